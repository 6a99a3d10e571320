package dev.berth.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.BerthException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** priorityClassName to priority. */
class PriorityClassesTest {

    private final PriorityClasses classes = new PriorityClasses(Map.of("high", 1000, "batch", -10));

    @Test
    void classNameGivesItsValue() {
        assertEquals(1000, classes.resolve("high", null));
        assertEquals(-10, classes.resolve("batch", 5));
    }

    @Test
    void builtInSystemClasses() {
        assertEquals(2_000_001_000, classes.resolve("system-node-critical", null));
        assertEquals(2_000_000_000, classes.resolve("system-cluster-critical", null));
    }

    @Test
    void withoutClassExplicitPriorityElseZero() {
        assertEquals(7, classes.resolve(null, 7));
        assertEquals(7, classes.resolve("", 7));
        assertEquals(0, classes.resolve(null, null));
    }

    @Test
    void unknownClassIsNamed() {
        BerthException e = assertThrows(BerthException.class, () -> classes.resolve("urgent", null));
        assertEquals("no PriorityClass with name urgent was found", e.getMessage());
    }

    @Test
    void systemNamesAndValuesAreKubernetesOwn() {
        BerthException prefix = assertThrows(BerthException.class,
                () -> new PriorityClasses(Map.of("system-mine", 1)));
        assertTrue(prefix.getMessage().contains("system-mine"), prefix.getMessage());
        BerthException value = assertThrows(BerthException.class,
                () -> new PriorityClasses(Map.of("huge", 1_000_000_001)));
        assertTrue(value.getMessage().contains("huge"), value.getMessage());
    }
}
