package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.testing.CliRun;
import dev.berth.testing.Processes;
import dev.berth.testing.TestImages;
import dev.berth.testing.TestRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** berth images pull/ls/rm/prune/import, run in-process against a real registry. */
class ImagesCommandIT {

    @TempDir
    Path dir;

    @Test
    void pullListRemovePrune() throws IOException {
        try (TestRegistry registry = TestRegistry.start().pushBusybox()) {
            Path config = dir.resolve("config.yaml");
            Files.writeString(config, "registries:\n  docker.io: {mirrors: [\"" + registry.url() + "\"]}\n");
            String root = dir.resolve("state").toString();

            CliRun pull = CliRun.of("images", "pull", "busybox:1.35", "--config", config.toString(), "--root", root);
            assertEquals(0, pull.exitCode(), pull.toString());
            assertTrue(pull.out().startsWith("docker.io/library/busybox:1.35 sha256:"), pull.toString());
            assertEquals("", pull.err(), "no progress bar without a terminal");

            CliRun list = CliRun.of("images", "ls", "-o", "json", "--root", root, "--config", config.toString());
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> images = (List<Map<String, Object>>) list.json().get("images");
            assertEquals("docker.io/library/busybox:1.35", images.get(0).get("name"));
            assertEquals(1, ((List<?>) images.get(0).get("layers")).size());
            assertTrue(CliRun.of("images", "ls", "--root", root, "--config", config.toString()).out()
                    .contains("docker.io/library/busybox:1.35"));

            CliRun keep = CliRun.of("images", "prune", "--root", root, "--config", config.toString());
            assertTrue(keep.out().contains("freed 0 blobs"), keep.toString());

            CliRun rm = CliRun.of("images", "rm", "busybox:1.35", "--root", root, "--config", config.toString());
            assertEquals("removed docker.io/library/busybox:1.35\n", rm.out(), rm.toString());
            CliRun again = CliRun.of("images", "rm", "busybox:1.35", "--root", root, "--config", config.toString());
            assertEquals(1, again.exitCode());
            assertEquals("error: image docker.io/library/busybox:1.35 is not present\n", again.err());

            CliRun prune = CliRun.of("images", "prune", "--root", root, "--config", config.toString());
            assertTrue(prune.out().contains("freed 3 blobs"), prune.toString());
            assertTrue(prune.out().contains("deleted sha256:"), prune.toString());
        }
    }

    @Test
    void pullErrorsAreOneLine() throws IOException {
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, "registries:\n  \"127.0.0.1:1\": {insecure: true}\n");
        CliRun down = CliRun.of("images", "pull", "127.0.0.1:1/app:1", "--config", config.toString(), "--root", dir.toString());
        assertEquals(1, down.exitCode());
        assertEquals("error: ErrImagePull: 127.0.0.1:1/app:1: registry unreachable: connection refused by http://127.0.0.1:1\n",
                down.err());
        CliRun never = CliRun.of("images", "pull", "app:1", "--policy", "Never", "--config", config.toString(), "--root", dir.toString());
        assertTrue(never.err().startsWith("error: ErrImageNeverPull: docker.io/library/app:1"), never.toString());
        CliRun bad = CliRun.of("images", "pull", "Bad:Ref", "--config", config.toString(), "--root", dir.toString());
        assertTrue(bad.err().startsWith("error: invalid image reference"), bad.toString());
    }

    @Test
    void importNamesTheImageAndHelpWorks() {
        Path archive = dir.resolve("busybox.tar");
        Processes.run("tar", "-C", TestImages.busybox().toString(), "-cf", archive.toString(), ".");
        CliRun imported = CliRun.of("images", "import", archive.toString(), "--name", "local/busybox:dev", "--root",
                dir.resolve("state").toString());
        assertEquals(0, imported.exitCode(), imported.toString());
        assertTrue(imported.out().startsWith("imported docker.io/local/busybox:dev sha256:"), imported.toString());
        for (String verb : List.of("pull", "ls", "rm", "prune", "import")) {
            CliRun help = CliRun.of("images", verb, "--help");
            assertEquals(0, help.exitCode(), help.toString());
            assertTrue(help.out().contains("Usage: berth images " + verb), help.toString());
        }
    }
}
