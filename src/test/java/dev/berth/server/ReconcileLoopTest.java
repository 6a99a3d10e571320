package dev.berth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.server.ReconcileLoop.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ReconcileLoopTest {

    private record Run(Set<Kind> kinds, String reason, long at) {
        Kind kind() {
            return kinds.stream().max(Kind::compareTo).orElseThrow();
        }
    }

    /** Records each run; the first {@code failures} runs ask for a retry of {@code retry}. */
    private static final class Recorder implements ReconcileLoop.Work {
        final LinkedBlockingQueue<Run> runs = new LinkedBlockingQueue<>();
        final CountDownLatch release;
        int failures;
        final Kind retry;

        Recorder(int failures, Kind retry, CountDownLatch release) {
            this.failures = failures;
            this.retry = retry;
            this.release = release;
        }

        @Override
        public ReconcileLoop.Result run(Set<Kind> kinds, String reason) {
            runs.add(new Run(kinds, reason, System.nanoTime()));
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new ReconcileLoop.Result(failures-- > 0 ? retry : null, false, null);
        }

        Run next() throws InterruptedException {
            Run run = runs.poll(10, TimeUnit.SECONDS);
            assertTrue(run != null, "no run within 10 s");
            return run;
        }
    }

    @Test
    void triggersDuringARunCoalesceIntoOneRunOfTheStrongestKind() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Recorder work = new Recorder(0, null, release);
        try (ReconcileLoop loop = new ReconcileLoop(work, Duration.ofSeconds(5), Duration.ofMinutes(1))) {
            loop.trigger(Kind.RESYNC, "first");
            assertEquals(Kind.RESYNC, work.next().kind()); // running, held until released
            loop.trigger(Kind.POLL, "poll");
            loop.trigger(Kind.SYNC, "webhook");
            loop.trigger(Kind.RESYNC, "resync");
            release.countDown();
            Run second = work.next();
            assertEquals(Set.of(Kind.SYNC, Kind.POLL, Kind.RESYNC), second.kinds(), "no kind asked for is lost");
            assertEquals("webhook", second.reason(), "the strongest one's reason");
            assertEquals(null, work.runs.poll(300, TimeUnit.MILLISECONDS), "one run for the three triggers");
        }
    }

    @Test
    void aFailedRunIsRetriedWithDoublingDelaysUpToTheLongestAndASuccessEndsIt() throws Exception {
        Recorder work = new Recorder(3, Kind.POLL, new CountDownLatch(0));
        Duration first = Duration.ofMillis(100);
        try (ReconcileLoop loop = new ReconcileLoop(work, first, Duration.ofMillis(250))) {
            loop.trigger(Kind.SYNC, "webhook");
            List<Run> runs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                runs.add(work.next());
            }
            assertEquals(List.of(Kind.SYNC, Kind.POLL, Kind.POLL, Kind.POLL), runs.stream().map(Run::kind).toList());
            assertEquals("retry after a failure", runs.get(1).reason());
            long[] waitedMs = new long[3];
            for (int i = 0; i < 3; i++) {
                waitedMs[i] = TimeUnit.NANOSECONDS.toMillis(runs.get(i + 1).at() - runs.get(i).at());
            }
            assertTrue(waitedMs[0] >= 100 && waitedMs[1] >= 200 && waitedMs[2] >= 250, Arrays.toString(waitedMs));
            assertEquals(null, work.runs.poll(600, TimeUnit.MILLISECONDS), "the fourth run succeeded: no more retries");
        }
    }

    @Test
    void runsFailingWhileARetryIsPendingDoNotStartRetriesOfTheirOwn() throws Exception {
        Recorder work = new Recorder(Integer.MAX_VALUE, Kind.POLL, new CountDownLatch(0));
        try (ReconcileLoop loop = new ReconcileLoop(work, Duration.ofMillis(400), Duration.ofMillis(400))) {
            loop.trigger(Kind.SYNC, "webhook");
            work.next();
            for (int i = 0; i < 3; i++) { // timer polls failing at their own moments while the retry waits
                Thread.sleep(100);
                loop.trigger(Kind.POLL, "poll");
                assertEquals("poll", work.next().reason());
            }
            List<Run> later = new ArrayList<>();
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1000);
            for (Run run; (run = work.runs.poll(until - System.nanoTime(), TimeUnit.NANOSECONDS)) != null; ) {
                later.add(run);
            }
            // one chain, a retry every 400 ms: 2 or 3 runs in the second; a chain per failed run would make 8 or more
            assertTrue(later.size() >= 2 && later.size() <= 3, later.toString());
            assertTrue(later.stream().allMatch(r -> r.reason().equals("retry after a failure")), later.toString());
        }
    }

    /** After a pass over the node, the next pass comes when the node said, unprompted; a later pass resets it. */
    @Test
    void aPassOverTheNodeSetsTheNextOneForItsWakeAt() throws Exception {
        LinkedBlockingQueue<Run> runs = new LinkedBlockingQueue<>();
        Instant[] wakeAt = {Instant.now().plusMillis(300)};
        ReconcileLoop.Work work = (kinds, reason) -> {
            runs.add(new Run(kinds, reason, System.nanoTime()));
            Instant at = wakeAt[0];
            wakeAt[0] = null; // the second pass has nothing due
            return new ReconcileLoop.Result(null, true, at);
        };
        try (ReconcileLoop loop = new ReconcileLoop(work, Duration.ofSeconds(5), Duration.ofMinutes(1))) {
            long start = System.nanoTime();
            loop.trigger(Kind.SYNC, "start");
            assertEquals("start", runs.poll(10, TimeUnit.SECONDS).reason());
            Run woken = runs.poll(10, TimeUnit.SECONDS);
            assertEquals(Set.of(Kind.RESYNC), woken.kinds());
            assertTrue(woken.reason().startsWith("due at "), woken.reason());
            assertTrue(TimeUnit.NANOSECONDS.toMillis(woken.at() - start) >= 290, "not before it is due");
            assertEquals(null, runs.poll(500, TimeUnit.MILLISECONDS), "nothing more due: no more passes");
        }
    }
}
