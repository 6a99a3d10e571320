package dev.berth.node;

import static dev.berth.core.Nulls.orEmpty;

import dev.berth.core.ResourceKey;
import dev.berth.manifest.Annotations;
import dev.berth.node.workload.PodPhase;
import dev.berth.node.workload.PodView;
import dev.berth.runtime.ContainerStatus;
import dev.berth.runtime.RuntimeState;
import io.fabric8.kubernetes.api.model.Container;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One pod as observed now: its record, what the node tracked, and each container's runtime state.
 *
 * @param containers runtime status by container name (app containers only); empty before the pod started
 */
public record PodSnapshot(PodRecord record, PodState state, Map<String, ContainerStatus> containers) {

    public String id() {
        return record.id();
    }

    /** The object that owns the pod, from its {@link Annotations#OWNER} annotation. */
    public Optional<ResourceKey> owner() {
        String owner = orEmpty(record.pod().getMetadata().getAnnotations()).get(Annotations.OWNER);
        if (owner == null) {
            return Optional.empty();
        }
        String[] parts = owner.split("/", 3);
        return parts.length == 3 ? Optional.of(new ResourceKey(parts[0], parts[1], parts[2])) : Optional.empty();
    }

    public String restartPolicy() {
        String policy = record.pod().getSpec().getRestartPolicy();
        return policy == null ? "Always" : policy;
    }

    public List<Container> appContainers() {
        return orEmpty(record.pod().getSpec().getContainers());
    }

    /** A container that runc does not know and that left no exit code: removed behind berth's back, or a reboot. */
    public boolean lost(String container) {
        ContainerStatus status = containers.get(container);
        boolean gone = status == null || status.forgotten()
                || (status.status() == RuntimeState.Status.STOPPED && status.exitCode() == null);
        return gone && !finishedForGood(container);
    }

    /** Exited for good by the node's own record: after a reboot the runtime forgot it, the node did not. */
    private boolean finishedForGood(String container) {
        ContainerRun run = state.containers().get(container);
        return run != null && run.lastExitCode() != null && run.restartAt() == null
                && !RestartBackoff.shouldRestart(restartPolicy(), run.lastExitCode());
    }

    /** The exit code of the container's last run; null while it never exited. */
    public Integer exitCode(String container) {
        ContainerStatus status = containers.get(container);
        if (status != null && status.exitCode() != null) {
            return status.exitCode();
        }
        ContainerRun run = state.containers().get(container);
        return run == null ? null : run.lastExitCode();
    }

    public boolean running(String container) {
        ContainerStatus status = containers.get(container);
        return status != null && status.status() == RuntimeState.Status.RUNNING;
    }

    /** Whether the container, now stopped, will be started again under the pod's restart policy. */
    public boolean willRestart(String container) {
        Integer code = exitCode(container);
        return lost(container) || code == null || RestartBackoff.shouldRestart(restartPolicy(), code);
    }

    public PodPhase phase() {
        if (!state.scheduled() || !state.started()) {
            return initFailedForGood() ? PodPhase.FAILED : PodPhase.PENDING;
        }
        boolean anyRestarting = false;
        boolean allSucceeded = true;
        for (Container c : appContainers()) {
            String name = c.getName();
            if (running(name)) {
                return PodPhase.RUNNING;
            }
            if (willRestart(name)) {
                anyRestarting = true;
            } else if (exitCode(name) != 0) {
                allSucceeded = false;
            }
        }
        if (anyRestarting) {
            return PodPhase.RUNNING; // as the kubelet reports a pod whose container waits in CrashLoopBackOff
        }
        return allSucceeded ? PodPhase.SUCCEEDED : PodPhase.FAILED;
    }

    /** An init container failed and the restart policy (Never) does not start it again: the pod has failed. */
    private boolean initFailedForGood() {
        return orEmpty(record.pod().getSpec().getInitContainers()).stream()
                .map(c -> state.containers().get(c.getName()))
                .anyMatch(run -> run != null && run.lastExitCode() != null && run.lastExitCode() != 0
                        && !RestartBackoff.shouldRestart(restartPolicy(), run.lastExitCode()));
    }

    public boolean ready() {
        return phase() == PodPhase.RUNNING && state.readySince() != null
                && appContainers().stream().allMatch(c -> running(c.getName()));
    }

    public int restarts() {
        return state.containers().values().stream().mapToInt(ContainerRun::restarts).sum();
    }

    /** Why the pod is not plainly running: Unschedulable, CrashLoopBackOff, OOMKilled, ErrImagePull, ... */
    public String reason() {
        if (state.reason() != null) {
            return state.reason();
        }
        for (Container c : appContainers()) {
            ContainerRun run = state.containers().get(c.getName());
            if (!running(c.getName()) && run != null && run.restartAt() != null) {
                return "CrashLoopBackOff";
            }
            ContainerStatus status = containers.get(c.getName());
            if (status != null && status.oomKilled()) {
                return "OOMKilled";
            }
        }
        return null;
    }

    public PodView view(boolean terminating) {
        var meta = record.pod().getMetadata();
        return new PodView(record.id(), record.name(), orEmpty(meta.getLabels()), orEmpty(meta.getAnnotations()),
                record.createdAt(), phase(), ready(), state.readySince(), restarts(), terminating);
    }
}
