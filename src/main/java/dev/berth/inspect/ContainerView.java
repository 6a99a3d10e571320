package dev.berth.inspect;

import static dev.berth.core.Nulls.orEmpty;

import dev.berth.node.ContainerRun;
import dev.berth.node.PodRuntime;
import dev.berth.node.PodSnapshot;
import dev.berth.runtime.ContainerStatus;
import io.fabric8.kubernetes.api.model.Container;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One container of a pod as kubectl reports it, from what the node tracked and what the runtime says now.
 *
 * @param lastState how the run before this one ended; null when there was none
 * @param ready     running, in a pod that is ready (berth tracks readiness per pod)
 */
public record ContainerView(Container spec, String runtimeId, boolean init, State state, State lastState,
                            boolean ready, int restarts) {

    /**
     * Running, Waiting (with a reason) or Terminated (with an exit code), as in a pod's containerStatuses.
     *
     * @param message a terminated container's termination message; null until the node has read it
     */
    public record State(String name, String reason, Integer exitCode, Instant startedAt, Instant finishedAt,
                        String message) {

        static State running(Instant startedAt) {
            return new State("Running", null, null, startedAt, null, null);
        }

        static State waiting(String reason) {
            return new State("Waiting", reason, null, null, null, null);
        }

        static State terminated(int exitCode, String reason, Instant startedAt, Instant finishedAt, String message) {
            return new State("Terminated", reason, exitCode, startedAt, finishedAt, message);
        }

        public boolean isTerminated() {
            return exitCode != null;
        }
    }

    public String name() {
        return spec.getName();
    }

    /** Init containers first, then the app containers, in the pod's order. */
    public static List<ContainerView> of(PodSnapshot pod) {
        List<ContainerView> views = new ArrayList<>();
        for (Container c : orEmpty(pod.record().pod().getSpec().getInitContainers())) {
            views.add(init(pod, c));
        }
        for (Container c : pod.appContainers()) {
            views.add(app(pod, c));
        }
        return views;
    }

    /**
     * An init container ran to success if the pod started: the node starts app containers only then. A failed one
     * shows how its last run ended and its restarts.
     */
    private static ContainerView init(PodSnapshot pod, Container c) {
        State state = pod.state().started() ? State.terminated(0, "Completed", null, null, null)
                : State.waiting(Objects.requireNonNullElse(pod.state().reason(), "PodInitializing"));
        ContainerRun run = pod.state().containers().get(c.getName());
        State last = run == null || run.lastExitCode() == null ? null
                : State.terminated(run.lastExitCode(), run.lastReason(), null, run.lastFinishedAt(), run.lastMessage());
        return new ContainerView(c, runtimeId(pod, c), true, state, last, pod.state().started(),
                run == null ? 0 : run.restarts());
    }

    private static ContainerView app(PodSnapshot pod, Container c) {
        String name = c.getName();
        ContainerRun run = pod.state().containers().get(name);
        ContainerStatus live = pod.containers().get(name);
        State last = run == null || run.lastExitCode() == null ? null
                : State.terminated(run.lastExitCode(), run.lastReason(), null, run.lastFinishedAt(), run.lastMessage());
        boolean exited = live != null && live.exitCode() != null;
        State state;
        if (!pod.state().started()) {
            state = State.waiting(Objects.requireNonNullElse(pod.state().reason(), "ContainerCreating"));
        } else if (pod.running(name)) {
            state = State.running(run == null ? null : run.startedAt());
        } else if (run != null && run.restartAt() != null) {
            state = State.waiting("CrashLoopBackOff"); // as the kubelet shows a container between restarts
            last = exited ? exit(live, run) : last;
        } else if (pod.lost(name)) {
            state = State.waiting("ContainerStatusUnknown"); // gone from the runtime; the node starts it again
        } else if (!exited) {
            state = State.waiting("ContainerCreating"); // created, not started yet
        } else {
            state = exit(live, run);
        }
        return new ContainerView(c, runtimeId(pod, c), false, state, last,
                pod.running(name) && pod.state().readySince() != null, run == null ? 0 : run.restarts());
    }

    private static String runtimeId(PodSnapshot pod, Container c) {
        return PodRuntime.containerId(pod.id(), c.getName());
    }

    /** The exit the runtime reports; its message once the node has noted that exit (it reads it then). */
    private static State exit(ContainerStatus exited, ContainerRun run) {
        String reason = exited.oomKilled() ? "OOMKilled" : exited.exitCode() == 0 ? "Completed" : "Error";
        boolean noted = run != null && exited.finishedAt() != null && exited.finishedAt().equals(run.lastFinishedAt());
        return State.terminated(exited.exitCode(), reason, run == null ? null : run.startedAt(), exited.finishedAt(),
                noted ? run.lastMessage() : null);
    }
}
