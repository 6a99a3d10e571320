package dev.berth.node;

import dev.berth.node.probe.ContainerProbes;
import dev.berth.node.probe.ProbeDialer;
import dev.berth.node.probe.ProbeExec;
import dev.berth.node.probe.ProbeStates;
import dev.berth.node.probe.ProbeVerdict;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet's probe workers: each running container with probes is probed on its own timer (its periodSeconds,
 * after initialDelaySeconds), on the pod workers' threads, never in a pass. A pass only reads the latest verdict.
 * When a verdict changes (ready, unready, to be restarted) the reconciler is woken. Probe counters live in memory:
 * after a berth restart a container keeps the readiness the node recorded until its probe says otherwise.
 */
final class ProbeRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProbeRunner.class);
    /** When a round itself broke (not its probe): the next try. */
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final ProbeExec exec;
    private final PodWorkers workers;
    private final Wakeup wakeup;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "berth-probe-timer");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Probing> probing = new ConcurrentHashMap<>();
    /** The containers whose probes that are not run (gRPC) have been told of in an event, while they run. */
    private final Set<String> toldNotRun = ConcurrentHashMap.newKeySet();

    ProbeRunner(ProbeExec exec, PodWorkers workers, Wakeup wakeup) {
        this.exec = exec;
        this.workers = workers;
        this.wakeup = wakeup;
    }

    /**
     * The latest verdict on the running container instance that started at {@code startedAt}; the first call for an
     * instance starts probing it. A container without probes is started and ready at once; one whose probes have
     * not run yet in this process has no verdict: it stays as the node last recorded it (after a berth restart, a
     * ready container is not made unready before its probe has said so). {@code dialer} connects its httpGet and
     * tcpSocket probes. Probes that are not run (gRPC, from a pod recorded by an older berth) count as passing and
     * are told of once, in a ProbeWarning event, while the container keeps running.
     */
    Optional<ProbeVerdict> verdict(String containerId, ContainerProbes probes, Instant startedAt, Path podDir,
                                   ProbeDialer dialer) {
        if (!probes.notRun().isEmpty() && toldNotRun.add(containerId)) {
            probes.notRun().forEach(m -> PodEvents.warning(podDir, "ProbeWarning", m));
        }
        if (!probes.any()) {
            return Optional.of(probes.verdict(probes.initial(startedAt)));
        }
        Probing current = probing.get(containerId);
        if (current == null || !current.startedAt.equals(startedAt)) {
            if (current != null) {
                current.stop();
            }
            current = new Probing(containerId, probes, startedAt, podDir, dialer);
            probing.put(containerId, current);
            current.schedule();
        }
        return current.rounds > 0 ? Optional.of(current.verdict) : Optional.empty();
    }

    /** Probes due now whose first round has not ended: their verdict is a moment away. */
    int firstRoundsDue(Instant now) {
        return (int) probing.values().stream().filter(p -> p.rounds == 0 && p.dueAt != null && !p.dueAt.isAfter(now))
                .count();
    }

    /** Stops probing every container but {@code running} (ids of container instances still running). */
    void retain(Set<String> running) {
        toldNotRun.retainAll(running);
        probing.entrySet().removeIf(e -> {
            boolean gone = !running.contains(e.getKey());
            if (gone) {
                e.getValue().stop();
            }
            return gone;
        });
    }

    /** One container instance being probed: its counters and its verdict, replaced after each round. */
    private final class Probing {

        private final String containerId;
        private final ContainerProbes probes;
        private final Instant startedAt;
        private final Path podDir;
        private final ProbeDialer dialer;
        private volatile ProbeStates states;
        private volatile ProbeVerdict verdict;
        private volatile int rounds;
        /** When the next round is due; null when none will run. */
        private volatile Instant dueAt;
        private volatile ScheduledFuture<?> next;
        private volatile boolean stopped;

        Probing(String containerId, ContainerProbes probes, Instant startedAt, Path podDir, ProbeDialer dialer) {
            this.containerId = containerId;
            this.probes = probes;
            this.startedAt = startedAt;
            this.podDir = podDir;
            this.dialer = dialer;
            this.states = probes.initial(startedAt);
            this.verdict = probes.verdict(states);
        }

        /** Arms the timer for the next probe due; none when no probe will run again (a liveness failure). */
        void schedule() {
            dueAt = probes.nextDueAt(states).orElse(null);
            probes.nextDueAt(states).ifPresent(due -> {
                long delay = Math.max(0, Duration.between(Instant.now(), due).toMillis());
                if (!stopped) {
                    next = timer.schedule(() -> workers.execute(this::round), delay, TimeUnit.MILLISECONDS);
                }
            });
        }

        private void round() {
            if (stopped) {
                return;
            }
            ProbeVerdict after;
            try {
                after = probes.evaluate(states, containerId, Instant.now(), exec, dialer);
                after.failures().forEach(f -> PodEvents.warning(podDir, "Unhealthy", f));
                after.warnings().forEach(w -> PodEvents.warning(podDir, "ProbeWarning", w));
            } catch (RuntimeException e) { // not the probe's failure, which evaluate counts: probe on, a little later
                LOG.warn("{}: probe round failed: {}", containerId, e.getMessage(), e);
                if (!stopped) {
                    next = timer.schedule(() -> workers.execute(this::round), RETRY.toMillis(), TimeUnit.MILLISECONDS);
                }
                return;
            }
            if (stopped) {
                return; // the container went while its probe ran: what the probe said is of no use
            }
            boolean changed = after.ready() != verdict.ready() || after.started() != verdict.started()
                    || after.restart() != verdict.restart();
            boolean first = rounds == 0;
            states = after.states();
            verdict = after;
            rounds++;
            if (changed || first) {
                wakeup.signal(containerId + ": " + (after.restart() ? after.restartMessage()
                        : after.ready() ? "ready" : "not ready"));
            }
            schedule();
        }

        void stop() {
            stopped = true;
            ScheduledFuture<?> pending = next;
            if (pending != null) {
                pending.cancel(false);
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        probing.values().forEach(Probing::stop);
    }
}
