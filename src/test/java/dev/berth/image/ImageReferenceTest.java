package dev.berth.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.Digest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageReferenceTest {

    private static final String HEX = "a".repeat(64);

    @Test
    void shortNamesAreDockerHubLibraryLatest() {
        assertEquals(new ImageReference("docker.io", "library/busybox", "latest", null), ImageReference.parse("busybox"));
        assertEquals("docker.io/library/busybox:1.35", ImageReference.parse("busybox:1.35").toString());
        assertEquals("docker.io/bitnami/redis:7", ImageReference.parse("bitnami/redis:7").toString());
        assertEquals("docker.io/library/busybox:1.35", ImageReference.parse("docker.io/library/busybox:1.35").toString());
    }

    @Test
    void hostWithPortIsARegistryAndItsColonIsNoTag() {
        ImageReference ref = ImageReference.parse("127.0.0.1:5000/library/busybox");
        assertEquals("127.0.0.1:5000", ref.registry());
        assertEquals("library/busybox", ref.repository());
        assertEquals("latest", ref.tag());
        assertEquals("localhost", ImageReference.parse("localhost/app:1").registry());
        assertEquals("ghcr.io", ImageReference.parse("ghcr.io/org/app").registry());
    }

    @Test
    void digestsPinAndAreWhatIsAskedFor() {
        ImageReference pinned = ImageReference.parse("busybox@sha256:" + HEX);
        assertNull(pinned.tag());
        assertEquals(Digest.parse("sha256:" + HEX), pinned.digest());
        assertEquals("sha256:" + HEX, pinned.manifestReference());
        ImageReference both = ImageReference.parse("127.0.0.1:5000/app:1@sha256:" + HEX);
        assertEquals("1", both.tag());
        assertEquals("sha256:" + HEX, both.manifestReference());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " busybox", "Busybox", "busybox:", "busybox@sha256:abc", "a//b", "busybox:bad tag", "-x"})
    void badInputIsRejectedNamingIt(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImageReference.parse(text));
        assertTrue(e.getMessage().contains("digest") || e.getMessage().contains("\"" + text + "\""), e.getMessage());
    }
}
