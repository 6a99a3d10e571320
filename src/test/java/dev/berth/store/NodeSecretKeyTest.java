package dev.berth.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.DirectoryTreeReader;
import dev.berth.core.Hashing;
import dev.berth.core.Revision;
import dev.berth.manifest.Manifest;
import dev.berth.manifest.ManifestLoader;
import dev.berth.node.RecordedState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node's key for Secret digests: made once, private, kept; records under it reveal no value. */
class NodeSecretKeyTest {

    @TempDir
    Path tmp;

    @Test
    void theKeyIsMadeOnceWithMode0600AndKept() throws IOException {
        StateLayout layout = new StateLayout(tmp.resolve("state"));
        Manifest secret = secret("hunter2");
        String first = record(layout, secret);
        Path key = layout.secretDigestKey();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertEquals(32, Files.size(key));
        assertEquals(first, record(layout, secret), "the same key after a restart");
        assertNotEquals(first, record(new StateLayout(tmp.resolve("other-node")), secret), "another node's key");
        assertTrue(NodeSecretKey.forPlanning(layout).comparesValues());
    }

    /** SHA-256 of a short password is looked up in seconds; the record holds neither it nor the value. */
    @Test
    void aRecordHoldsNeitherTheValueNorItsPlainDigest() throws IOException {
        String record = record(new StateLayout(tmp.resolve("state")), secret("hunter2"));
        String base64 = Base64.getEncoder().encodeToString("hunter2".getBytes());
        String plain = HexFormat.of().formatHex(Hashing.sha256(base64.getBytes()));
        String plainOfValue = HexFormat.of().formatHex(Hashing.sha256("hunter2".getBytes()));
        assertTrue(record.contains("hmac-sha256:"), record);
        assertFalse(record.contains(plain) || record.contains(plainOfValue) || record.contains(base64), record);
    }

    private String record(StateLayout layout, Manifest secret) {
        return RecordedState.recordOf(secret, NodeSecretKey.require(layout), new Revision("a".repeat(40)), Instant.EPOCH)
                .object().toString();
    }

    private Manifest secret(String value) throws IOException {
        Path repo = Files.createDirectories(tmp.resolve("repo-" + value));
        Files.writeString(repo.resolve("s.yaml"), "apiVersion: v1\nkind: Secret\nmetadata: {name: db}\nstringData: {password: "
                + value + "}\n");
        return new ManifestLoader().load(new DirectoryTreeReader(repo), "", null).manifests().iterator().next();
    }
}
