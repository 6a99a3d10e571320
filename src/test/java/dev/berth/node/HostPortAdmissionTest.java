package dev.berth.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.node.workload.PodPhase;
import dev.berth.scheduler.HostPort;
import dev.berth.scheduler.NodeCapacity;
import dev.berth.testing.PodYaml;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pods whose host port is taken stay Pending with reason HostPortConflict, through the node reconciler. */
class HostPortAdmissionTest {

    @TempDir
    Path dir;

    private final List<HostPort> listening = new CopyOnWriteArrayList<>();
    private FakeNode node;

    @BeforeEach
    void setUp() {
        node = new FakeNode(dir, new NodeResources(new NodeCapacity(4000, 8L << 30, Map.of(), List.of()),
                () -> List.copyOf(listening)));
    }

    @AfterEach
    void tearDown() {
        node.close();
    }

    private static String deployment(int replicas) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: %d
                  strategy: {type: Recreate}
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      terminationGracePeriodSeconds: 1
                      containers:
                        - {name: main, image: "busybox:1.35", command: [sleep, "3600"],
                           ports: [{containerPort: 80, hostPort: 8080}]}
                """.formatted(replicas);
    }

    @Test
    void aSecondReplicaWaitsForTheFirstOnesHostPort() {
        node.apply(deployment(2));
        node.untilIdle("one running, one waiting", pods -> pods.size() == 2
                && pods.stream().filter(p -> p.phase() == PodPhase.RUNNING).count() == 1
                && pods.stream().anyMatch(p -> "HostPortConflict".equals(p.reason())));
        PodSnapshot running = node.pods().stream().filter(p -> p.phase() == PodPhase.RUNNING).findFirst().orElseThrow();
        PodSnapshot waiting = node.pods().stream().filter(p -> p.phase() == PodPhase.PENDING).findFirst().orElseThrow();
        assertEquals("hostPort 8080/TCP is held by Pod default/" + running.id(), waiting.state().message());
        assertEquals(List.of("0/1 nodes are available: hostPort 8080/TCP is held by Pod default/" + running.id()),
                node.events(waiting).stream().filter(e -> e.reason().equals("FailedScheduling"))
                        .map(PodEvents.Event::message).toList());
    }

    @Test
    void aHostProcessOnThePortKeepsThePodWaitingUntilItIsGone() {
        listening.add(new HostPort("TCP", "0.0.0.0", 8080));
        node.apply(PodYaml.pod("web", "busybox:1.35", "hostNetwork: true", PodYaml.SLEEPS
                + "\nports: [{containerPort: 8080}]"));
        node.untilIdle("web waiting", pods -> pods.size() == 1 && "HostPortConflict".equals(node.pod("web").reason()));
        assertEquals("hostPort 8080/TCP is held by a host process listening on *:8080/TCP",
                node.pod("web").state().message(), "a hostNetwork pod's container port is a host port");

        listening.clear();
        node.apply(PodYaml.pod("web", "busybox:1.35", "hostNetwork: true", PodYaml.SLEEPS
                + "\nports: [{containerPort: 8080}]"));
        node.untilIdle("web running", pods -> pods.size() == 1 && node.pod("web").phase() == PodPhase.RUNNING);
    }
}
