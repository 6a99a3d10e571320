package dev.berth.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.BerthException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretTest {

    @TempDir
    Path dir;

    @Test
    void fileLosesItsTrailingNewlineOnly() throws Exception {
        Files.writeString(dir.resolve("unix"), "s3cret\n");
        Files.writeString(dir.resolve("windows"), "s3cret\r\n");
        Files.writeString(dir.resolve("inner"), " s3 cret \n");

        assertTrue(Secret.fromFile(dir.resolve("unix")).matches("s3cret"));
        assertTrue(Secret.fromFile(dir.resolve("windows")).matches("s3cret"));
        assertTrue(Secret.fromFile(dir.resolve("inner")).matches(" s3 cret "));
        assertFalse(Secret.fromFile(dir.resolve("unix")).matches("s3cret\n"));
    }

    @Test
    void emptyOrMissingFileIsAnError() throws Exception {
        Files.writeString(dir.resolve("empty"), "\n");

        BerthException empty = assertThrows(BerthException.class, () -> Secret.fromFile(dir.resolve("empty")));
        assertTrue(empty.getMessage().contains("is empty"), empty.getMessage());
        BerthException missing = assertThrows(BerthException.class, () -> Secret.fromFile(dir.resolve("nope")));
        assertTrue(missing.getMessage().contains("cannot read secret file"), missing.getMessage());
    }

    @Test
    void matchesOnlyTheExactValue() {
        Secret secret = Secret.of("token-1");

        assertTrue(secret.matches("token-1"));
        assertFalse(secret.matches("token-2"));
        assertFalse(secret.matches("token-1 "));
        assertFalse(secret.matches("token"));
        assertFalse(secret.matches(""));
        assertFalse(secret.matches(null));
    }

    @Test
    void hmacIsGithubsDocumentedExample() {
        // docs.github.com, "Validating webhook deliveries": this secret and body give this signature
        Secret secret = Secret.of("It's a Secret to Everybody");
        byte[] body = "Hello, World!".getBytes(StandardCharsets.UTF_8);
        byte[] expected = HexFormat.of().parseHex("757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");

        assertArrayEquals(expected, secret.hmacSha256(body));
        assertTrue(secret.signed(body, expected));
        assertFalse(secret.signed("Hello, World?".getBytes(StandardCharsets.UTF_8), expected));
        assertFalse(secret.signed(body, null));
    }

    @Test
    void toStringHidesTheValue() {
        assertEquals("Secret[redacted]", Secret.of("hunter2").toString());
    }
}
