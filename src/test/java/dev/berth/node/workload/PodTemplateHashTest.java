package dev.berth.node.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodTemplateHashTest {

    private static Map<String, Object> template(String image) {
        return Map.of("metadata", Map.of("labels", Map.of("app", "web")),
                "spec", Map.of("containers", List.of(Map.of("name", "httpd", "image", image))));
    }

    @Test
    void equalTemplatesHashEquallyAndChangesShow() {
        String h = PodTemplateHash.of(template("busybox:1.35"));
        assertEquals(h, PodTemplateHash.of(template("busybox:1.35")));
        assertNotEquals(h, PodTemplateHash.of(template("busybox:1.36")));
        assertTrue(h.matches("[bcdfghjklmnpqrstvwxz2456789]{1,10}"), h);
    }

    @Test
    void encodesDigitsLikeKubernetes() {
        // '0' is 48: 48 % 27 = 21 -> '4'; '9' is 57: 57 % 27 = 3 -> 'f'
        assertEquals("4f", PodTemplateHash.encode("09"));
    }
}
