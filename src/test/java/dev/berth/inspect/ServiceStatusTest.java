package dev.berth.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.ResourceKey;
import dev.berth.node.workload.Health;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A Service's IP and node ports in {@code berth status}, as text and as JSON read back from a daemon. */
class ServiceStatusTest {

    private static final Instant NOW = Instant.parse("2026-12-03T23:00:00Z");

    private static final ObjectStatus WEB = new ObjectStatus(new ResourceKey("Service", "shop", "web"), "v1", null, NOW,
            Health.HEALTHY, "2 ready endpoints", 0, null, "10.96.0.2", Map.of("80/TCP", 30080, "443/TCP", 30443));
    private static final ObjectStatus CONFIG = new ObjectStatus(new ResourceKey("ConfigMap", "shop", "web"), "v1",
            null, NOW, Health.HEALTHY, null, 0, null, null, null);

    private final NodeStatus status = new NodeStatus(null, List.of(WEB, CONFIG), List.of());

    @Test
    void theTextShowsTheIpAndNodePortsBeforeTheMessage() {
        String text = StatusText.render(status, Path.of("/var/lib/berth"), NOW);
        assertTrue(text.contains("10.96.0.2 443:30443/TCP,80:30080/TCP; 2 ready endpoints"), text);
    }

    @Test
    void jsonHasThemForServicesAloneAndReadsThemBack() {
        String json = StatusJson.render(status);
        JsonNode node = JsonMapper.builder().build().readTree("{\"node\": " + json + "}");
        JsonNode web = node.path("node").path("objects").get(0);
        assertEquals("10.96.0.2", web.path("clusterIP").asText());
        assertEquals(30080, web.path("nodePorts").path("80/TCP").asInt());
        assertFalse(node.path("node").path("objects").get(1).has("clusterIP"));
        assertEquals(List.of(WEB, CONFIG), StatusJson.parseServer(node).node().objects());
    }
}
