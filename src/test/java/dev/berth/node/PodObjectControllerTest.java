package dev.berth.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.core.DirectoryTreeReader;
import dev.berth.manifest.Manifest;
import dev.berth.manifest.ManifestLoader;
import dev.berth.node.workload.PodPhase;
import dev.berth.node.workload.PodView;
import dev.berth.node.workload.Workload;
import dev.berth.node.workload.WorkloadDecision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Pod object's labels and annotations change in place; its spec's changes replace the pod. */
class PodObjectControllerTest {

    @TempDir
    Path dir;

    private Manifest pod(String labels, String image) throws IOException {
        Files.writeString(dir.resolve("pod.yaml"), """
                apiVersion: v1
                kind: Pod
                metadata: {name: web, namespace: shop, labels: %s}
                spec:
                  containers: [{name: app, image: %s}]
                """.formatted(labels, image));
        return new ManifestLoader().load(new DirectoryTreeReader(dir), "", null).manifests().iterator().next();
    }

    /** The pod the controller created for {@code m}, running. */
    private static PodView running(Manifest m) {
        var created = new PodObjectController().decide(new Workload(m, Map.of()), List.of(), Instant.now()).create().get(0);
        return new PodView("shop.web.abc", "web", created.getMetadata().getLabels(),
                created.getMetadata().getAnnotations(), Instant.now(), PodPhase.RUNNING, true, Instant.now(), 0, false);
    }

    @Test
    void newLabelsRelabelTheRunningPod() throws IOException {
        PodView current = running(pod("{app: web}", "busybox"));
        WorkloadDecision same = new PodObjectController().decide(new Workload(pod("{app: web}", "busybox"), Map.of()),
                List.of(current), Instant.now());
        assertEquals(List.of(), same.relabel());
        WorkloadDecision relabelled = new PodObjectController().decide(
                new Workload(pod("{app: web, track: canary}", "busybox"), Map.of()), List.of(current), Instant.now());
        assertEquals(List.of(), relabelled.delete());
        assertEquals(List.of(), relabelled.create());
        assertEquals(1, relabelled.relabel().size());
        assertEquals("shop.web.abc", relabelled.relabel().get(0).podId());
        assertEquals(Map.of("app", "web", "track", "canary"), relabelled.relabel().get(0).labels());
        assertEquals(current.annotations(), relabelled.relabel().get(0).annotations(), "owner and spec hash kept");
    }

    @Test
    void aNewSpecReplacesThePod() throws IOException {
        PodView current = running(pod("{app: web}", "busybox"));
        WorkloadDecision replaced = new PodObjectController().decide(
                new Workload(pod("{app: web}", "busybox:1.36"), Map.of()), List.of(current), Instant.now());
        assertEquals(List.of("shop.web.abc"), replaced.delete());
        assertEquals(1, replaced.create().size());
    }

    /** A pod started by a berth that hashed the whole object is kept, not replaced on upgrade, and gets the new hash. */
    @Test
    void aPodHashedTheOldWayIsKeptAndRelabelledWithTheNewHash() throws IOException {
        Manifest m = pod("{app: web}", "busybox");
        PodView current = running(m);
        Map<String, String> oldAnnotations = new java.util.HashMap<>(current.annotations());
        oldAnnotations.put(PodObjectController.SPEC_HASH,
                dev.berth.manifest.ComparableForm.hash(m.object()).substring(7, 23));
        PodView upgraded = new PodView(current.id(), current.name(), current.labels(), oldAnnotations, Instant.now(),
                PodPhase.RUNNING, true, Instant.now(), 0, false);
        WorkloadDecision decision = new PodObjectController().decide(new Workload(m, Map.of()), List.of(upgraded),
                Instant.now());
        assertEquals(List.of(), decision.delete());
        assertEquals(List.of(), decision.create());
        assertEquals(current.annotations(), decision.relabel().get(0).annotations());
    }
}
