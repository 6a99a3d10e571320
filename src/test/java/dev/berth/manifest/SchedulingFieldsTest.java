package dev.berth.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.core.DirectoryTreeReader;
import dev.berth.core.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** At validate: the API server's rules for node affinity and extended resources, and notes for what one node moots. */
class SchedulingFieldsTest {

    @TempDir
    Path dir;

    private DesiredState load(String yaml) throws IOException {
        Files.writeString(dir.resolve("pod.yaml"), yaml);
        return new ManifestLoader().load(new DirectoryTreeReader(dir), "", null);
    }

    private List<String> errors(String yaml) {
        return assertThrows(InvalidInputException.class, () -> load(yaml)).getMessage().lines().toList();
    }

    private List<String> notes(String yaml) throws IOException {
        return load(yaml).warnings().stream().map(Object::toString).toList();
    }

    @Test
    void honouredFieldsGiveNoNoteAndTheOthersSayWhy() throws IOException {
        assertEquals(List.of(
                "pod.yaml:9:7: field \"spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution\" has no "
                        + "effect: with one node there is no other node to prefer",
                "pod.yaml:11:5: field \"spec.affinity.podAntiAffinity\" is ignored: berth does not keep pods apart; on a "
                        + "one-node cluster a required anti-affinity to a running pod keeps the new pod Pending",
                "pod.yaml:15:3: field \"spec.topologySpreadConstraints\" has no effect: one node is one topology domain, "
                        + "where the skew is always 0 (berth checks neither minDomains nor that the node has each "
                        + "topologyKey label)"), notes("""
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  affinity:
                    nodeAffinity:
                      requiredDuringSchedulingIgnoredDuringExecution:
                        nodeSelectorTerms: [{matchExpressions: [{key: disk, operator: In, values: [ssd]}]}]
                      preferredDuringSchedulingIgnoredDuringExecution:
                        - {weight: 10, preference: {matchExpressions: [{key: zone, operator: Exists}]}}
                    podAntiAffinity:
                      requiredDuringSchedulingIgnoredDuringExecution:
                        - {topologyKey: kubernetes.io/hostname, labelSelector: {matchLabels: {app: p}}}
                  schedulingGates: [{name: example.com/wait}]
                  topologySpreadConstraints:
                    - {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule}
                  containers:
                    - {name: main, image: "busybox:1.35", resources: {limits: {example.com/dongle: 2}}}
                """));
    }

    @Test
    void nodeAffinityFollowsTheApiServersRules() {
        List<String> errors = errors("""
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  affinity:
                    nodeAffinity:
                      requiredDuringSchedulingIgnoredDuringExecution:
                        nodeSelectorTerms:
                          - matchExpressions:
                              - {key: disk, operator: In}
                              - {key: disk, operator: Exists, values: [ssd]}
                              - {key: cores, operator: Gt, values: ["1", "2"]}
                              - {key: disk, operator: Like, values: [ssd]}
                            matchFields:
                              - {key: metadata.labels, operator: In, values: [a]}
                              - {key: metadata.name, operator: Exists}
                              - {key: metadata.name, operator: NotIn, values: [a, b]}
                      preferredDuringSchedulingIgnoredDuringExecution:
                        - {weight: 101, preference: {matchExpressions: [{key: zone, operator: Exists}]}}
                  containers:
                    - {name: main, image: "busybox:1.35"}
                """);
        assertEquals(List.of(
                "pod.yaml:10:17: must be specified when `operator` is 'In' or 'NotIn'",
                "pod.yaml:11:47: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                "pod.yaml:12:44: must be specified single value when `operator` is 'Lt' or 'Gt'",
                "pod.yaml:13:29: not a valid selector operator \"Like\" (expected one of DoesNotExist, Exists, Gt, In, Lt, "
                        + "NotIn)",
                "pod.yaml:15:18: not a valid field selector key \"metadata.labels\" (only metadata.name)",
                "pod.yaml:16:38: not a valid selector operator \"Exists\" for a node field selector (expected In or NotIn)",
                "pod.yaml:17:55: must be only one value when `operator` is 'In' or 'NotIn' for node field selector",
                "pod.yaml:19:12: must be in the range 1-100, got 101"), errors);
    }

    @Test
    void requiredAffinityNeedsATermAndANonIntegerBoundIsANote() throws IOException {
        assertEquals(List.of("pod.yaml:7:56: must have at least one node selector term"), errors("""
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  affinity:
                    nodeAffinity:
                      requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: []}
                  containers:
                    - {name: main, image: "busybox:1.35"}
                """));
        assertEquals(List.of("pod.yaml:8:85: \"many\" is not an integer: this requirement matches no node, so the "
                + "pod stays Pending unless another term matches"), notes("""
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  affinity:
                    nodeAffinity:
                      requiredDuringSchedulingIgnoredDuringExecution:
                        nodeSelectorTerms: [{matchExpressions: [{key: cores, operator: Gt, values: [many]}]}]
                  containers:
                    - {name: main, image: "busybox:1.35"}
                """));
    }

    @Test
    void extendedResourcesAreWholeAndCannotBeOvercommitted() {
        List<String> errors = errors("""
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  initContainers:
                    - name: init
                      image: "busybox:1.35"
                      resources: {requests: {example.com/dongle: 1}}
                  containers:
                    - name: main
                      image: "busybox:1.35"
                      resources:
                        requests: {example.com/dongle: 1, cpu: 500m}
                        limits: {example.com/dongle: 2, cpu: "1"}
                    - name: half
                      image: "busybox:1.35"
                      resources: {limits: {example.com/dongle: 500m, memory: 1.5Gi}}
                """);
        assertEquals(List.of(
                "pod.yaml:8:7: limit must be set for non overcommitable resources (example.com/dongle)",
                "pod.yaml:13:20: must be equal to example.com/dongle limit",
                "pod.yaml:17:28: must be an integer, got 500m"), errors);
    }
}
