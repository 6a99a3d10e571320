package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.inspect.Ages;
import dev.berth.node.PodState;
import dev.berth.testing.CliRun;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code berth describe pod} on a pod the node recorded, tracked and logged events for. */
class DescribeCommandTest {

    static final String ID = "shop.web-5d8f-abcde.0a1b2c";

    @TempDir
    Path tmp;
    NodeState node;
    Instant now = Instant.now();

    /** Ages are taken 10 s into their minute, so that a slow run still prints the same age. */
    Instant ago(int minutes) {
        return now.minus(Duration.ofMinutes(minutes).plusSeconds(10));
    }

    static Pod web() {
        return new PodBuilder()
                .withNewMetadata().withNamespace("shop").withName("web-5d8f-abcde")
                .withLabels(Map.of("pod-template-hash", "5d8f", "app", "web"))
                .withAnnotations(Map.of("berth.dev/owner", "Deployment/shop/web")).endMetadata()
                .withNewSpec()
                .addToInitContainers(new ContainerBuilder().withName("setup").withImage("busybox:1.35").build())
                .addNewContainer().withName("app").withImage("busybox:1.35")
                .addNewPort().withContainerPort(8080).withProtocol("TCP").endPort()
                .withNewResources().withLimits(Map.of("memory", new Quantity("32Mi")))
                .withRequests(Map.of("cpu", new Quantity("100m"))).endResources()
                .addNewVolumeMount().withName("data").withMountPath("/data").endVolumeMount()
                .addNewVolumeMount().withName("cfg").withMountPath("/etc/cfg").withReadOnly(true).endVolumeMount()
                .endContainer()
                .addNewVolume().withName("data").withNewPersistentVolumeClaim().withClaimName("data")
                .endPersistentVolumeClaim().endVolume()
                .addNewVolume().withName("cfg").withNewConfigMap().withName("web-config").endConfigMap().endVolume()
                .addNewVolume().withName("tmp").withNewEmptyDir().endEmptyDir().endVolume()
                .endSpec().build();
    }

    @BeforeEach
    void crashLoopingPod() {
        node = new NodeState(tmp.resolve("state"));
        node.pods.pod(ID, web(), ago(45));
        node.pods.state(ID, NodeState.crashLooping(4, ago(30)));
        node.pods.event(ID, ago(45), "Normal", "Scheduled", "Successfully assigned shop/web-5d8f-abcde to localhost");
        node.pods.event(ID, ago(45), "Normal", "Pulled", "Container image \"busybox:1.35\" already present on machine");
        for (int minutes : List.of(40, 35, 31)) {
            node.pods.event(ID, ago(minutes), "Warning", "BackOff", "Back-off restarting failed container app");
        }
    }

    @Test
    void describesLikeKubectl() {
        CliRun run = node.run("describe", "pod", "-n", "shop", "web-5d8f-abcde");
        assertEquals(0, run.exitCode(), run::toString);
        ZoneId zone = ZoneId.systemDefault();
        assertEquals("""
                Name:           web-5d8f-abcde
                Namespace:      shop
                Node:           localhost
                Start Time:     %s
                Labels:         app=web
                                pod-template-hash=5d8f
                Annotations:    berth.dev/owner: Deployment/shop/web
                Status:         Running
                Reason:         CrashLoopBackOff
                IP:             <none>
                Controlled By:  Deployment/web
                Init Containers:
                  setup:
                    Container ID:   shop.web-5d8f-abcde.0a1b2c.setup
                    Image:          busybox:1.35
                    Port:           <none>
                    State:          Terminated
                      Reason:       Completed
                      Exit Code:    0
                    Ready:          True
                    Restart Count:  0
                    Mounts:         <none>
                Containers:
                  app:
                    Container ID:   shop.web-5d8f-abcde.0a1b2c.app
                    Image:          busybox:1.35
                    Port:           8080/TCP
                    State:          Waiting
                      Reason:       CrashLoopBackOff
                    Last State:     Terminated
                      Reason:       Error
                      Message:      panic: boom
                      Exit Code:    1
                      Finished:     %s
                    Ready:          False
                    Restart Count:  4
                    Limits:
                      memory:  32Mi
                    Requests:
                      cpu:  100m
                    Mounts:
                      /data from data (rw)
                      /etc/cfg from cfg (ro)
                Conditions:
                  Type             Status
                  PodScheduled     True
                  Initialized      True
                  ContainersReady  False
                  Ready            False
                Volumes:
                  data:
                    Type:       PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)
                    ClaimName:  data
                    ReadOnly:   false
                  cfg:
                    Type:      ConfigMap (a volume populated by a ConfigMap)
                    Name:      web-config
                    Optional:  false
                  tmp:
                    Type:       EmptyDir (a temporary directory that shares a pod's lifetime)
                    Medium:
                    SizeLimit:  <unset>
                Events:
                  Type     Reason     Age                Message
                  ----     ------     ----               -------
                  Normal   Scheduled  45m                Successfully assigned shop/web-5d8f-abcde to localhost
                  Normal   Pulled     45m                Container image "busybox:1.35" already present on machine
                  Warning  BackOff    31m (x3 over 40m)  Back-off restarting failed container app
                """.formatted(Ages.date(ago(45), zone), Ages.date(ago(30), zone)), run.out());
    }

    @Test
    void aPendingPodHasNoVolumesAndNoEvents() {
        node.pods.pod("default.worker.3c4d5e", NodeState.pod(null, "worker", "main"), ago(20));
        node.pods.state("default.worker.3c4d5e", PodState.unscheduled("Unschedulable", "0/1 nodes are available."));
        CliRun run = node.run("describe", "pod/worker");
        assertEquals(0, run.exitCode(), run::toString);
        List<String> lines = run.out().lines().toList();
        assertEquals(List.of("Status:       Pending", "Reason:       Unschedulable",
                "Message:      0/1 nodes are available.", "IP:           <none>", "Containers:"), lines.subList(6, 11));
        assertEquals(List.of("    State:          Waiting", "      Reason:       Unschedulable"), lines.subList(15, 17));
        // as in kubectl, lines with a tab after the conditions align with them
        assertEquals(List.of("Conditions:", "  Type             Status", "  PodScheduled     False",
                "  Initialized      False", "  ContainersReady  False", "  Ready            False",
                "Volumes:           <none>", "Events:            <none>"), lines.subList(lines.size() - 8, lines.size()));
    }

    @Test
    void badInputIsOneLine() {
        assertEquals("error: berth describe knows pods only, not \"deployment\"\n",
                node.run("describe", "deployment", "web").err());
        assertEquals("error: which pod? berth describe pod NAME\n", node.run("describe", "pod").err());
        CliRun unknown = node.run("describe", "pod", "web-5d8f-abcde");
        assertEquals(1, unknown.exitCode());
        assertEquals("error: pod \"web-5d8f-abcde\" not found in namespace \"default\" (there is one in namespace "
                + "shop: -n shop)\n", unknown.err());
    }
}
