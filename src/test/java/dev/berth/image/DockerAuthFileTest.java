package dev.berth.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.BerthException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerAuthFileTest {

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void authFieldAndUsernamePasswordAndUrlKeys() {
        DockerAuthFile file = DockerAuthFile.parse("{\"auths\": {"
                + "\"127.0.0.1:5000\": {\"auth\": \"" + b64("user:pa:ss") + "\"},"
                + "\"https://index.docker.io/v1/\": {\"auth\": \"" + b64("hub:secret") + "\"},"
                + "\"ghcr.io\": {\"username\": \"bot\", \"password\": \"tok\"},"
                + "\"quay.io\": {}}, \"credsStore\": \"desktop\"}");
        assertEquals(Optional.of(new Credentials("user", "pa:ss")), file.forHost("127.0.0.1:5000"));
        assertEquals(Optional.of(new Credentials("hub", "secret")), file.forHost("docker.io"));
        assertEquals(Optional.of(new Credentials("hub", "secret")), file.forHost("registry-1.docker.io"));
        assertEquals(Optional.of(new Credentials("bot", "tok")), file.forHost("ghcr.io"));
        assertFalse(file.forHost("quay.io").isPresent());
        assertFalse(file.forHost("127.0.0.1:5001").isPresent());
    }

    @Test
    void passwordsNeverShowInStringsOrErrors(@TempDir Path dir) throws Exception {
        assertFalse(new Credentials("user", "hunter2").toString().contains("hunter2"));
        Path bad = dir.resolve("auth.json");
        Files.writeString(bad, "{\"auths\": {\"h\": {\"auth\": \"" + b64("hunter2-no-colon") + "\"}}}");
        BerthException e = assertThrows(BerthException.class, () -> DockerAuthFile.load(bad));
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Test
    void environmentNamesTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("auth.json");
        Files.writeString(file, "{\"auths\": {\"r.example\": {\"auth\": \"" + b64("a:b") + "\"}}}");
        assertTrue(DockerAuthFile.locate(Map.of("REGISTRY_AUTH_FILE", file.toString())).forHost("r.example").isPresent());
    }
}
