package dev.berth.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.core.BerthException;
import dev.berth.image.ImageConfig;
import dev.berth.manifest.DesiredState;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import dev.berth.runtime.SeccompProfile;
import java.nio.file.Path;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LaunchPlannerTest {

    private final LaunchPlanner planner =
            new LaunchPlanner(new EnvironmentResolver(new ConfigSource(new DesiredState(null, List.of())), DownwardApiTest.NODE),
                    Path.of("/var/lib/berth/seccomp"));
    private static final ImageConfig IMAGE =
            new ImageConfig(List.of(), List.of("sh"), List.of("PATH=/bin"), "/srv", "1000:1000");

    private static Pod pod(Container c) {
        return new PodBuilder().withNewMetadata().withName("web").withNamespace("shop").endMetadata()
                .withNewSpec().withContainers(c).endSpec().build();
    }

    @Test
    void appliesImageDefaultsAndKubernetesRules() {
        Container c = new ContainerBuilder().withName("main").withImage("busybox:1.35").withImagePullPolicy("IfNotPresent")
                .withArgs("-c", "echo $(GREETING)").addNewEnv().withName("GREETING").withValue("hi").endEnv()
                .withNewResources().withLimits(Map.of("memory", new Quantity("32Mi"), "cpu", new Quantity("500m")))
                .endResources().addNewVolumeMount().withName("data").withMountPath("/data").withReadOnly(true).endVolumeMount()
                .build();
        ContainerLaunch launch = planner.plan(pod(c), c, IMAGE, ImageFiles.NONE);
        assertEquals(List.of("-c", "echo hi"), launch.argv(), "args replace Cmd; no Entrypoint");
        assertEquals(List.of("PATH=/bin", "GREETING=hi"), launch.env());
        assertEquals("/srv", launch.cwd());
        assertEquals(new ContainerUser(1000, 1000, List.of()), launch.user());
        assertEquals(new ContainerLaunch.Security(false, false, false, List.of(), List.of(),
                SeccompProfile.RUNTIME_DEFAULT), launch.security(), "no_new_privs only when asked for");
        assertEquals(50_000, launch.limits().cpuQuota());
        assertEquals(32L << 20, launch.limits().memoryLimit());
        assertEquals(List.of(new ContainerLaunch.VolumeMount("data", "/data", null, true)), launch.volumes());
    }

    @Test
    void securityContextWinsOverTheImage() {
        Container c = new ContainerBuilder().withName("main").withImage("busybox:1.35").withCommand("sleep", "1")
                .withNewSecurityContext().withRunAsUser(0L).withReadOnlyRootFilesystem(true)
                .withNewCapabilities().withAdd("NET_ADMIN").withDrop("ALL").endCapabilities().endSecurityContext().build();
        ContainerLaunch launch = planner.plan(pod(c), c, IMAGE, ImageFiles.NONE);
        assertEquals(List.of("sleep", "1"), launch.argv());
        assertEquals(0, launch.user().uid());
        assertEquals(new ContainerLaunch.Security(false, true, false, List.of("NET_ADMIN"), List.of("ALL"),
                SeccompProfile.RUNTIME_DEFAULT), launch.security());
    }

    @Test
    void noNewPrivsFollowsAllowPrivilegeEscalationFalse() {
        Container c = new ContainerBuilder().withName("main").withImage("busybox:1.35")
                .withNewSecurityContext().withAllowPrivilegeEscalation(false).endSecurityContext().build();
        assertTrue(planner.plan(pod(c), c, IMAGE, ImageFiles.NONE).security().noNewPrivileges());
        c.getSecurityContext().setAllowPrivilegeEscalation(true);
        assertFalse(planner.plan(pod(c), c, IMAGE, ImageFiles.NONE).security().noNewPrivileges());
    }

    /** expansion.go: the kubelet expands from the container's env only; the image's PATH stays a literal. */
    @Test
    void commandAndArgsExpandOnlyTheContainersOwnVariables() {
        Container c = new ContainerBuilder().withName("main").withImage("busybox:1.35")
                .withCommand("echo", "$(PATH)", "$(GREETING)", "$$(GREETING)")
                .addNewEnv().withName("GREETING").withValue("hi").endEnv().build();
        assertEquals(List.of("echo", "$(PATH)", "hi", "$(GREETING)"), planner.plan(pod(c), c, IMAGE, ImageFiles.NONE).argv());
    }

    @Test
    void seccompProfileOfTheContainerWinsOverThePodsAndLocalhostIsUnderTheNodesDirectory() {
        Container c = new ContainerBuilder().withName("main").withImage("busybox:1.35").withNewSecurityContext()
                .withNewSeccompProfile().withType("Localhost").withLocalhostProfile("audit/strict.json")
                .endSeccompProfile().endSecurityContext().build();
        Pod pod = pod(c);
        pod.getSpec().setSecurityContext(new PodSecurityContextBuilder().withNewSeccompProfile().withType("Unconfined")
                .endSeccompProfile().build());
        assertEquals(SeccompProfile.localhost(Path.of("/var/lib/berth/seccomp/audit/strict.json")),
                planner.plan(pod, c, IMAGE, ImageFiles.NONE).security().seccomp());
        c.setSecurityContext(null);
        assertEquals(SeccompProfile.UNCONFINED, planner.plan(pod, c, IMAGE, ImageFiles.NONE).security().seccomp());
        c.setSecurityContext(new SecurityContextBuilder().withNewSeccompProfile().withType("Localhost")
                .withLocalhostProfile("../../etc/shadow").endSeccompProfile().build());
        assertThrows(BerthException.class, () -> planner.plan(pod, c, IMAGE, ImageFiles.NONE));
    }

    @Test
    void nothingToRunIsAnError() {
        Container c = new ContainerBuilder().withName("main").withImage("scratch:1").build();
        ImageConfig empty = new ImageConfig(List.of(), List.of(), List.of(), "", "");
        assertEquals("container main: no command, and the image has neither Entrypoint nor Cmd",
                assertThrows(BerthException.class, () -> planner.plan(pod(c), c, empty, ImageFiles.NONE)).getMessage());
    }
}
