package dev.berth.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Effective pod requests from per-container requests, as Kubernetes computes them. */
class RequestsTest {

    @Test
    void appContainersAddUp() {
        assertEquals(new Requests(300, 384),
                Requests.effective(List.of(), List.of(new Requests(100, 128), new Requests(200, 256))));
    }

    @Test
    void largestInitContainerWinsPerResource() {
        List<Requests> app = List.of(new Requests(100, 128), new Requests(100, 128));
        List<Requests> init = List.of(new Requests(500, 64), new Requests(50, 100));
        assertEquals(new Requests(500, 256), Requests.effective(init, app));
    }

    @Test
    void extendedResourcesAddUpAcrossAppContainersAndTakeTheLargestInitContainer() {
        List<Requests> app = List.of(new Requests(0, 0, Map.of("example.com/dongle", 1L)),
                new Requests(0, 0, Map.of("example.com/dongle", 2L, "a.io/x", 1L)));
        List<Requests> init = List.of(new Requests(0, 0, Map.of("example.com/dongle", 2L, "b.io/y", 5L)));
        assertEquals(new Requests(0, 0, Map.of("example.com/dongle", 3L, "a.io/x", 1L, "b.io/y", 5L)),
                Requests.effective(init, app));
        assertThrows(IllegalArgumentException.class, () -> new Requests(0, 0, Map.of("a.io/x", -1L)));
    }

    @Test
    void containersWithoutRequestsCountNothing() {
        assertEquals(Requests.NONE, Requests.effective(List.of(Requests.NONE), List.of(Requests.NONE, Requests.NONE)));
        assertEquals(Requests.NONE, Requests.effective(List.of(), List.of()));
    }

    @Test
    void negativeRequestsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Requests(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> Pods.pod("p", 0, -1));
    }
}
