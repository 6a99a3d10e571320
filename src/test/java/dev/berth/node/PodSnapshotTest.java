package dev.berth.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.ResourceKey;
import dev.berth.node.workload.PodPhase;
import dev.berth.runtime.ContainerStatus;
import dev.berth.runtime.RuntimeState;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Phases and reasons as the kubelet reports them, from what the node tracked and what the runtime says. */
class PodSnapshotTest {

    private static final Instant T0 = Instant.parse("2026-11-29T06:00:00Z");

    private static Pod pod(String restartPolicy, String... containers) {
        var spec = new PodBuilder().withNewMetadata().withName("p").withNamespace("default")
                .addToAnnotations("berth.dev/owner", "Deployment/default/web").endMetadata()
                .withNewSpec().withRestartPolicy(restartPolicy);
        for (String c : containers) {
            spec.addNewContainer().withName(c).withImage("busybox").endContainer();
        }
        return spec.endSpec().build();
    }

    private static ContainerStatus running(String name) {
        return new ContainerStatus(name, RuntimeState.Status.RUNNING, 42, null, null, false, Path.of("log"));
    }

    private static ContainerStatus exited(String name, int code, boolean oom) {
        return new ContainerStatus(name, RuntimeState.Status.STOPPED, 0, code, T0, oom, Path.of("log"));
    }

    private static ContainerStatus gone(String name) {
        return new ContainerStatus(name, RuntimeState.Status.STOPPED, 0, null, null, false, Path.of("log"));
    }

    private static PodSnapshot snapshot(Pod pod, PodState state, ContainerStatus... statuses) {
        Map<String, ContainerStatus> live = new LinkedHashMap<>();
        for (ContainerStatus s : statuses) {
            live.put(s.id(), s);
        }
        return new PodSnapshot(new PodRecord("default.p.abc123", "default", "p", List.of(), T0, pod), state, live);
    }

    private static PodState started(Map<String, ContainerRun> runs) {
        return PodState.unscheduled(null, null).admitted().startedWith(runs);
    }

    @Test
    void pendingUntilScheduledAndStarted() {
        Pod pod = pod("Always", "a");
        assertEquals(PodPhase.PENDING, snapshot(pod, PodState.unscheduled("Unschedulable", "Insufficient memory")).phase());
        assertEquals("Unschedulable", snapshot(pod, PodState.unscheduled("Unschedulable", "x")).reason());
        assertEquals(PodPhase.PENDING, snapshot(pod, PodState.unscheduled(null, null).admitted()).phase());
    }

    @Test
    void runningWhileAnyContainerRunsOrWillRestart() {
        Pod pod = pod("Always", "a", "b");
        PodState state = started(Map.of("a", ContainerRun.startedAt(T0), "b", ContainerRun.startedAt(T0)));
        assertEquals(PodPhase.RUNNING, snapshot(pod, state, running("a"), exited("b", 1, false)).phase());
        assertEquals(PodPhase.RUNNING, snapshot(pod, state, exited("a", 0, false), exited("b", 1, false)).phase(),
                "restartPolicy Always restarts both");
        PodState backingOff = state.withContainer("b", new ContainerRun(2, T0, 1, T0, "Error", null, 20, T0.plusSeconds(20)));
        assertEquals("CrashLoopBackOff", snapshot(pod, backingOff, running("a"), exited("b", 1, false)).reason());
    }

    @Test
    void succeededOrFailedOnceNothingWillRestart() {
        PodState state = started(Map.of("a", ContainerRun.startedAt(T0)));
        assertEquals(PodPhase.SUCCEEDED, snapshot(pod("OnFailure", "a"), state, exited("a", 0, false)).phase());
        assertEquals(PodPhase.RUNNING, snapshot(pod("OnFailure", "a"), state, exited("a", 2, false)).phase());
        assertEquals(PodPhase.FAILED, snapshot(pod("Never", "a"), state, exited("a", 2, false)).phase());
        assertEquals("OOMKilled", snapshot(pod("Never", "a"), state, exited("a", 137, true)).reason());
    }

    @Test
    void aContainerTheRuntimeForgotIsLostUnlessItHadFinishedForGood() {
        PodState state = started(Map.of("a", ContainerRun.startedAt(T0)));
        assertTrue(snapshot(pod("Always", "a"), state, gone("a")).lost("a"));
        assertTrue(snapshot(pod("Always", "a"), state).lost("a"), "no bundle at all");
        PodState finished = state.withContainer("a", new ContainerRun(0, T0, 0, T0, "Completed", null, 0, null));
        PodSnapshot afterReboot = snapshot(pod("Never", "a"), finished, gone("a"));
        assertFalse(afterReboot.lost("a"), "a Job pod that completed is not started again after a reboot");
        assertEquals(PodPhase.SUCCEEDED, afterReboot.phase());
    }

    @Test
    void readyOnlyWhileRunningWithReadySince() {
        Pod pod = pod("Always", "a");
        PodState state = started(Map.of("a", ContainerRun.startedAt(T0)));
        assertFalse(snapshot(pod, state, running("a")).ready());
        assertTrue(snapshot(pod, state.withReadySince(T0), running("a")).ready());
        assertFalse(snapshot(pod, state.withReadySince(T0), exited("a", 1, false)).ready());
        assertNull(snapshot(pod, state, running("a")).reason());
    }

    @Test
    void ownerComesFromTheAnnotation() {
        PodSnapshot p = snapshot(pod("Always", "a"), PodState.unscheduled(null, null));
        assertEquals(new ResourceKey("Deployment", "default", "web"), p.owner().orElseThrow());
    }
}
