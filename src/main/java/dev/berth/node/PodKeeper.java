package dev.berth.node;

import dev.berth.node.probe.ContainerProbes;
import dev.berth.node.probe.ProbeVerdict;
import dev.berth.runtime.ContainerStatus;
import io.fabric8.kubernetes.api.model.Container;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The kubelet's part for a pod that has started: notes each container exit, decides restarts as the restart policy
 * says with CrashLoopBackOff (the first restart at once, then 10 s doubling to 5 min), kills a container whose
 * liveness or startup probe failed, and puts back containers or whole pods removed behind berth's back, unless the
 * owner asked for drift to be only reported. Deciding is quick and done in the pass; what it decides
 * ({@link Action}s) runs on the pod's worker.
 */
final class PodKeeper {

    /** Something to do to a started pod's containers. */
    sealed interface Action permits Restart, Kill, StartAfresh {}

    /** Start the container again (its restart is due, or it was removed behind berth's back). */
    record Restart(String container) implements Action {}

    /** Stop the container, whose liveness or startup probe failed; its exit is then handled as any other. */
    record Kill(String container, String why) implements Action {}

    /** Every container is gone (removed, or a reboot): tear the pod down and start it again. */
    record StartAfresh() implements Action {}

    /**
     * What one look at a pod found.
     *
     * @param state   the pod's state with what was seen noted (exits, readiness, drift)
     * @param actions what its worker is to do, in order; empty when nothing
     */
    record Outcome(PodState state, int driftFound, Instant wakeAt, List<Action> actions) {}

    private final PodRuntimePort pods;
    private final ProbeRunner probes;

    PodKeeper(PodRuntimePort pods, ProbeRunner probes) {
        this.pods = pods;
        this.probes = probes;
    }

    Outcome keep(PodSnapshot pod, boolean correctDrift, Instant now) {
        PodState state = pod.state();
        Path podDir = pods.podDir(pod.id());
        if (pod.appContainers().stream().allMatch(c -> pod.lost(c.getName()))) {
            return podLost(pod, correctDrift, podDir);
        }
        int drift = 0;
        Instant wakeAt = null;
        List<Action> actions = new ArrayList<>();
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
                actions.add(new Restart(name));
                drift++;
            } else if (status != null && status.exitCode() != null && !status.finishedAt().equals(run.lastFinishedAt())) {
                run = exited(pod, c, status, run, podDir);
                if (run.restartAt() != null && !run.restartAt().isAfter(now)) {
                    actions.add(new Restart(name));
                }
            } else if (run.restartAt() != null && !run.restartAt().isAfter(now)) {
                actions.add(new Restart(name));
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
            ContainerRun run = state.containers().get(c.getName());
            Instant startedAt = run == null || run.startedAt() == null ? now : run.startedAt();
            Optional<ProbeVerdict> verdict = probes.verdict(PodRuntime.containerId(pod.id(), c.getName()),
                    ContainerProbes.of(c), startedAt, podDir, new PodProbeDialer(pods, pod.id(), podDir));
            ready &= verdict.map(ProbeVerdict::ready).orElse(state.readySince() != null); // no verdict yet: as it was
            if (verdict.isPresent() && verdict.get().restart()) {
                actions.add(new Kill(c.getName(), verdict.get().restartMessage()));
            }
        }
        if (ready && state.readySince() == null) {
            state = state.withReadySince(now);
        } else if (!ready && state.readySince() != null) {
            state = state.withReadySince(null);
        }
        return new Outcome(state, drift, wakeAt, actions);
    }

    /**
     * Does what {@link #keep} decided, on the pod's worker, writing the pod's state after each step so that a crash
     * loses nothing done. {@code state} is what keep returned, on disk already.
     */
    void act(PodSnapshot pod, PodState state, List<Action> actions, ConfigSource config) {
        Path podDir = pods.podDir(pod.id());
        for (Action action : actions) {
            if (action instanceof Kill kill) {
                PodEvents.normal(podDir, "Killing", "Container " + kill.container()
                        + " failed a probe, will be restarted: " + kill.why());
                pods.stopContainer(PodRuntime.containerId(pod.id(), kill.container()), grace(pod));
            } else if (action instanceof Restart restart) {
                ContainerRun run = state.containers().getOrDefault(restart.container(), ContainerRun.startedAt(Instant.now()));
                pods.restartContainer(pod.record(), restart.container(), config);
                state = state.withContainer(restart.container(), new ContainerRun(run.restarts() + 1, Instant.now(),
                        run.lastExitCode(), run.lastFinishedAt(), run.lastReason(), run.lastMessage(),
                        run.backoffSeconds(), null));
                state.write(podDir);
                PodEvents.normal(podDir, "Started", "Started container " + restart.container() + " (restart "
                        + (run.restarts() + 1) + ")");
            } else {
                pods.teardown(pod.record());
                state = state.restartFromScratch();
                state.write(podDir);
            }
        }
    }

    /** Stops probing containers that no longer run as they did: {@code running} are the ids of those that do. */
    void retainProbes(Set<String> running) {
        probes.retain(new HashSet<>(running));
    }

    /** Probes whose first verdict is due now: the pass that follows it will know more. */
    int firstProbesDue(Instant now) {
        return probes.firstRoundsDue(now);
    }

    /** Every container gone with no exit recorded: removed behind berth's back, or the host rebooted. */
    private Outcome podLost(PodSnapshot pod, boolean correctDrift, Path podDir) {
        if (!correctDrift) {
            return new Outcome(pod.state().withReason("Drifted", "the pod's containers were removed behind berth's back"),
                    0, null, List.of());
        }
        PodEvents.warning(podDir, "Drift", "the pod's containers are gone (removed, or the host rebooted); starting it again");
        return new Outcome(pod.state(), 1, null, List.of(new StartAfresh()));
    }

    /**
     * Notes a container's exit (an app container's, or a failed init container's): its code, reason and termination
     * message, and when the restart policy starts it again, after the CrashLoopBackOff delay.
     */
    static ContainerRun exited(PodSnapshot pod, Container c, ContainerStatus status, ContainerRun run, Path podDir) {
        String name = c.getName();
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
        String message = TerminationMessage.read(podDir, c, status.exitCode(), status.logPath());
        return new ContainerRun(run.restarts(), run.startedAt(), status.exitCode(), status.finishedAt(), reason, message,
                backoff, restartAt);
    }

    static Duration grace(PodSnapshot pod) {
        Long grace = pod.record().pod().getSpec().getTerminationGracePeriodSeconds();
        return Duration.ofSeconds(grace == null ? PodRemover.DEFAULT_GRACE_SECONDS : grace);
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }
}
