package dev.berth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WatchedRefTest {

    @Test
    void branchByShortOrFullName() {
        for (String watched : new String[] {"main", "refs/heads/main", " main "}) {
            WatchedRef ref = WatchedRef.of(watched);
            assertEquals(new WatchedRef.Decision(true, "push to refs/heads/main"),
                    ref.decide("refs/heads/main", "main"), watched);
            assertEquals(new WatchedRef.Decision(false, "ignored: branch dev"),
                    ref.decide("refs/heads/dev", "main"), watched);
        }
    }

    @Test
    void nestedBranchNamesAreWhole() {
        WatchedRef ref = WatchedRef.of("release/1.x");

        assertTrue(ref.decide("refs/heads/release/1.x", null).trigger());
        assertFalse(ref.decide("refs/heads/1.x", null).trigger());
        assertFalse(ref.decide("refs/heads/release/1.x-rc", null).trigger());
    }

    @Test
    void tagsAreIgnoredUnlessTheTagIsWatched() {
        assertEquals(new WatchedRef.Decision(false, "ignored: tag v1.2.0"),
                WatchedRef.of("main").decide("refs/tags/v1.2.0", "main"));
        assertEquals(new WatchedRef.Decision(false, "ignored: tag v1.2.0"),
                WatchedRef.of(null).decide("refs/tags/v1.2.0", "main"));
        assertTrue(WatchedRef.of("v1.2.0").decide("refs/tags/v1.2.0", "main").trigger());
        assertTrue(WatchedRef.of("refs/tags/v1.2.0").decide("refs/tags/v1.2.0", "main").trigger());
        assertFalse(WatchedRef.of("refs/tags/v1.2.0").decide("refs/heads/v1.2.0", "main").trigger());
        assertFalse(WatchedRef.of("v1.2.0").decide("refs/tags/v1.3.0", "main").trigger());
    }

    @Test
    void defaultBranchFollowsThePayload() {
        for (String watched : new String[] {null, "", "HEAD"}) {
            WatchedRef ref = WatchedRef.of(watched);
            assertEquals("the default branch", ref.toString());
            assertTrue(ref.decide("refs/heads/trunk", "trunk").trigger());
            assertEquals(new WatchedRef.Decision(false, "ignored: branch main (the default branch is trunk)"),
                    ref.decide("refs/heads/main", "trunk"));
        }
    }

    @Test
    void unknownDefaultBranchTriggersAndSaysSo() {
        WatchedRef.Decision decision = WatchedRef.of(null).decide("refs/heads/feature", null);

        assertTrue(decision.trigger());
        assertEquals("push to refs/heads/feature (the payload does not name the default branch: fetching in case it"
                + " is)", decision.message());
    }

    @Test
    void otherRefsOnlyByFullName() {
        assertEquals(new WatchedRef.Decision(false, "ignored: ref refs/pull/7/head"),
                WatchedRef.of("main").decide("refs/pull/7/head", "main"));
        assertTrue(WatchedRef.of("refs/notes/deploy").decide("refs/notes/deploy", "main").trigger());
    }

    @Test
    void pinnedCommitMatchesNoPush() {
        WatchedRef ref = WatchedRef.of("9fceb02d0ae598e95dc970b74767f19372d61af8");

        assertFalse(ref.decide("refs/heads/main", "main").trigger());
    }
}
