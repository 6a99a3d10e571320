package dev.berth.scheduler;

import static dev.berth.scheduler.Taint.Effect.NO_EXECUTE;
import static dev.berth.scheduler.Taint.Effect.NO_SCHEDULE;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Kubernetes' toleration matching rules. */
class TolerationTest {

    private static final Taint GPU = new Taint("dedicated", "gpu", NO_SCHEDULE);

    @Test
    void equalNeedsKeyValueAndEffect() {
        assertTrue(Toleration.equal("dedicated", "gpu", NO_SCHEDULE).tolerates(GPU));
        assertFalse(Toleration.equal("dedicated", "db", NO_SCHEDULE).tolerates(GPU));
        assertFalse(Toleration.equal("other", "gpu", NO_SCHEDULE).tolerates(GPU));
        assertFalse(Toleration.equal("dedicated", "gpu", NO_EXECUTE).tolerates(GPU));
    }

    @Test
    void existsIgnoresTheValue() {
        assertTrue(Toleration.exists("dedicated", NO_SCHEDULE).tolerates(GPU));
        assertFalse(Toleration.exists("other", NO_SCHEDULE).tolerates(GPU));
    }

    @Test
    void noEffectMatchesEveryEffect() {
        assertTrue(Toleration.equal("dedicated", "gpu", null).tolerates(GPU));
        assertTrue(Toleration.exists("dedicated", null).tolerates(new Taint("dedicated", "", NO_EXECUTE)));
    }

    @Test
    void emptyKeyWithExistsToleratesEverything() {
        Toleration all = Toleration.exists("", null);
        assertTrue(all.tolerates(GPU));
        assertTrue(all.tolerates(new Taint("node.kubernetes.io/not-ready", "", NO_EXECUTE)));
        assertFalse(Toleration.exists("", NO_EXECUTE).tolerates(GPU));
    }

    @Test
    void missingOperatorMeansEqual() {
        assertTrue(new Toleration("dedicated", null, "gpu", null).tolerates(GPU));
        assertFalse(new Toleration("dedicated", null, "", null).tolerates(GPU));
    }

    @Test
    void refusesShapesTheApiServerRejects() {
        assertThrows(IllegalArgumentException.class, () -> Toleration.equal("", "gpu", null));
        assertThrows(IllegalArgumentException.class,
                () -> new Toleration("dedicated", Toleration.Operator.EXISTS, "gpu", null));
    }
}
