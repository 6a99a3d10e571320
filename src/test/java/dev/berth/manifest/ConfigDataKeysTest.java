package dev.berth.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.core.DirectoryTreeReader;
import dev.berth.core.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** validate refuses the ConfigMap and Secret keys the API server refuses, at their file:line:column. */
class ConfigDataKeysTest {

    @TempDir
    Path dir;

    private DesiredState load(String yaml) throws IOException {
        Files.writeString(dir.resolve("config.yaml"), yaml);
        return new ManifestLoader().load(new DirectoryTreeReader(dir), "", null);
    }

    private List<String> errors(String yaml) {
        return assertThrows(InvalidInputException.class, () -> load(yaml)).getMessage().lines().toList();
    }

    @Test
    void anEmptyKeyIsRefusedInEveryMapOfAConfigMapOrSecret() {
        List<String> errors = errors("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: c}
                data: {ok: v, "": value-1}
                binaryData:
                  "": dmFsdWU=
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: s}
                data: {"": dmFsdWU=}
                stringData:
                  "": "value-1\\n"
                """);
        String invalid = "a valid config key must consist of alphanumeric characters, '-', '_' or '.'";
        assertEquals(List.of(
                "config.yaml:4:15: ConfigMap \"c\": invalid key \"\" in data: " + invalid,
                "config.yaml:6:3: ConfigMap \"c\": invalid key \"\" in binaryData: " + invalid,
                "config.yaml:11:8: Secret \"s\": invalid key \"\" in data: " + invalid,
                "config.yaml:13:3: Secret \"s\": invalid key \"\" in stringData: " + invalid), errors);
    }

    @Test
    void keysAreOneFileNameOfAtMost253Characters() {
        assertNull(ConfigDataKeys.problem("data-1"));
        assertNull(ConfigDataKeys.problem(".hidden_file.txt"));
        assertNull(ConfigDataKeys.problem("x".repeat(253)));
        assertEquals("must be no more than 253 characters", ConfigDataKeys.problem("x".repeat(254)));
        for (String bad : List.of("", "a/b", "with space", "ümlaut")) {
            assertEquals("a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
                    ConfigDataKeys.problem(bad), bad);
        }
        for (String bad : List.of(".", "..", "..data")) {
            assertEquals("must not be '.' or start with '..'", ConfigDataKeys.problem(bad), bad);
        }
    }
}
