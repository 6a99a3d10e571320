package dev.berth.node;

import dev.berth.node.probe.ContainerProbes;
import dev.berth.node.probe.ProbeStates;
import dev.berth.node.probe.ProbeVerdict;
import dev.berth.runtime.ContainerStatus;
import io.fabric8.kubernetes.api.model.Container;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kubelet's part for a pod that has started: notes each container exit, restarts containers as the restart
 * policy says with CrashLoopBackOff (the first restart at once, then 10 s doubling to 5 min), and puts back
 * containers or whole pods removed behind berth's back, unless the owner asked for drift to be only reported.
 */
final class PodKeeper {

    /**
     * What one look at a pod found.
     *
     * @param containersChanged a container was restarted, recreated or stopped, or the pod torn down: what was
     *                          observed of its containers before is out of date
     */
    record Outcome(PodState state, int driftFound, Instant wakeAt, boolean containersChanged) {}

    private final PodRuntime pods;
    private final Map<String, ProbeStates> probeStates = new ConcurrentHashMap<>();

    PodKeeper(PodRuntime pods) {
        this.pods = pods;
    }

    Outcome keep(PodSnapshot pod, ConfigSource config, boolean correctDrift, Instant now) {
        PodState state = pod.state();
        Path podDir = pods.podDir(pod.id());
        if (pod.appContainers().stream().allMatch(c -> pod.lost(c.getName()))) {
            return podLost(pod, correctDrift, podDir);
        }
        int drift = 0;
        Instant wakeAt = null;
        boolean containersChanged = false;
        for (Container c : pod.appContainers()) {
            String name = c.getName();
            ContainerRun run = state.containers().getOrDefault(name, ContainerRun.startedAt(now));
            ContainerStatus status = pod.containers().get(name);
            if (pod.lost(name)) {
                if (!correctDrift) {
                    state = state.withReason("Drifted", "container " + name + " was removed behind berth's back");
                    continue;
                }
                PodEvents.warning(podDir, "Drift", "container " + name + " was removed behind berth's back; recreating it");
                run = restart(pod, name, config, run, now, podDir);
                drift++;
                containersChanged = true;
            } else if (status != null && status.exitCode() != null && !status.finishedAt().equals(run.lastFinishedAt())) {
                run = exited(pod, name, status, run, podDir);
            }
            if (run.restartAt() != null && !run.restartAt().isAfter(now)) {
                run = restart(pod, name, config, run, now, podDir);
                containersChanged = true;
            }
            state = state.withContainer(name, run);
            wakeAt = earliest(wakeAt, run.restartAt());
        }
        boolean ready = true;
        for (Container c : pod.appContainers()) {
            if (!pod.running(c.getName())) {
                ready = false;
                continue;
            }
            ProbeVerdict verdict = probe(pod, c, state.containers().get(c.getName()), now, podDir);
            ready &= verdict.ready();
            containersChanged |= verdict.restart(); // probe() stopped the container
            wakeAt = earliest(wakeAt, ContainerProbes.of(c).nextDueAt(verdict.states()).orElse(null));
        }
        if (ready && state.readySince() == null) {
            state = state.withReadySince(now);
        } else if (!ready && state.readySince() != null) {
            state = state.withReadySince(null);
        }
        return new Outcome(state, drift, wakeAt, containersChanged);
    }

    /**
     * Runs the container's due probes. A failed liveness or startup probe stops the container; its exit is then
     * handled as any other (restart per policy). Probe counters live in memory: after a berth restart they start
     * again, so a container is unready until its readiness probe passes once more.
     */
    private ProbeVerdict probe(PodSnapshot pod, Container c, ContainerRun run, Instant now, Path podDir) {
        ContainerProbes probes = ContainerProbes.of(c);
        String id = PodRuntime.containerId(pod.id(), c.getName());
        Instant startedAt = run == null || run.startedAt() == null ? now : run.startedAt();
        ProbeStates before = probeStates.get(id);
        if (before == null || !before.startedAt().equals(startedAt)) {
            before = probes.initial(startedAt);
        }
        ProbeVerdict verdict = probes.evaluate(before, pod.containers().get(c.getName()), now, pods::exec);
        probeStates.put(id, verdict.states());
        verdict.failures().forEach(f -> PodEvents.warning(podDir, "Unhealthy", f));
        if (verdict.restart()) {
            PodEvents.normal(podDir, "Killing", "Container " + c.getName() + " failed a probe, will be restarted: "
                    + verdict.restartMessage());
            Long grace = pod.record().pod().getSpec().getTerminationGracePeriodSeconds();
            pods.stopContainer(id, Duration.ofSeconds(grace == null ? 30 : grace));
        }
        return verdict;
    }

    /** Forgets probe counters of containers that no longer exist. */
    void retainProbes(java.util.Set<String> podIds) {
        probeStates.keySet().removeIf(id -> podIds.stream().noneMatch(p -> id.startsWith(p + ".")));
    }

    /** Every container gone with no exit recorded: removed behind berth's back, or the host rebooted. */
    private Outcome podLost(PodSnapshot pod, boolean correctDrift, Path podDir) {
        if (!correctDrift) {
            return new Outcome(pod.state().withReason("Drifted", "the pod's containers were removed behind berth's back"),
                    0, null, false);
        }
        PodEvents.warning(podDir, "Drift", "the pod's containers are gone (removed, or the host rebooted); starting it again");
        pods.teardown(pod.record());
        return new Outcome(pod.state().restartFromScratch(), 1, null, true);
    }

    private static ContainerRun exited(PodSnapshot pod, String name, ContainerStatus status, ContainerRun run, Path podDir) {
        String reason = status.oomKilled() ? "OOMKilled" : status.exitCode() == 0 ? "Completed" : "Error";
        Instant restartAt = null;
        long backoff = run.backoffSeconds();
        if (RestartBackoff.shouldRestart(pod.restartPolicy(), status.exitCode())) {
            // wait the delay in force before this exit, then double it for the next one
            restartAt = status.finishedAt().plusSeconds(backoff);
            Instant startedAt = run.startedAt() == null ? status.finishedAt() : run.startedAt();
            backoff = new RestartBackoff(run.restarts(), Duration.ofSeconds(backoff))
                    .afterExit(startedAt, status.finishedAt()).delay().toSeconds();
            if (restartAt.isAfter(status.finishedAt())) {
                PodEvents.warning(podDir, "BackOff", "Back-off " + run.backoffSeconds() + "s restarting failed container "
                        + name + " (exit code " + status.exitCode() + ", " + reason + ")");
            }
        }
        if (status.oomKilled()) {
            PodEvents.warning(podDir, "OOMKilled", "container " + name + " was killed for using more memory than its limit");
        }
        return new ContainerRun(run.restarts(), run.startedAt(), status.exitCode(), status.finishedAt(), reason, backoff,
                restartAt);
    }

    private ContainerRun restart(PodSnapshot pod, String name, ConfigSource config, ContainerRun run, Instant now,
                                 Path podDir) {
        pods.restartContainer(pod.record(), name, config);
        PodEvents.normal(podDir, "Started", "Started container " + name + " (restart " + (run.restarts() + 1) + ")");
        return new ContainerRun(run.restarts() + 1, now, run.lastExitCode(), run.lastFinishedAt(), run.lastReason(),
                run.backoffSeconds(), null);
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }
}
