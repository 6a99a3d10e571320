package dev.berth.node.workload;

import dev.berth.core.TreeReader;
import dev.berth.manifest.Manifest;
import dev.berth.manifest.ManifestLoader;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The node as a Job or CronJob controller sees it: each pass asks for a decision, starts the pods it creates
 * (running at once), removes the ones it deletes and keeps the memo. Tests finish pods by name in between.
 */
final class SimulatedBatchNode {

    private final WorkloadController controller;
    private Manifest manifest;
    private Map<String, String> memo = Map.of();
    private final List<PodView> pods = new ArrayList<>();
    private boolean slowStops;

    SimulatedBatchNode(WorkloadController controller, String yaml) {
        this.controller = controller;
        this.manifest = load(yaml);
    }

    /** The manifest as the loader hands it over: validated and defaulted. */
    static Manifest load(String yaml) {
        byte[] content = yaml.getBytes(StandardCharsets.UTF_8);
        TreeReader tree = new TreeReader() {
            @Override
            public List<String> list(String dir) {
                return List.of("workload.yaml");
            }

            @Override
            public boolean isDirectory(String dir) {
                return dir.isEmpty();
            }

            @Override
            public byte[] read(String path) {
                return content;
            }

            @Override
            public String describe() {
                return "test";
            }
        };
        return new ManifestLoader().loadFiles(tree, List.of("workload.yaml"), null).manifests().iterator().next();
    }

    WorkloadDecision pass(Instant now) {
        WorkloadDecision decision = controller.decide(new Workload(manifest, memo), List.copyOf(pods), now);
        memo = decision.memo();
        for (String id : decision.delete()) {
            PodView pod = pods.stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow(
                    () -> new AssertionError("deleted a pod that does not exist: " + id));
            pods.remove(pod);
            if (slowStops) {
                pods.add(with(pod, pod.phase(), pod.restarts(), true));
            }
        }
        for (Pod pod : decision.create()) {
            String name = pod.getMetadata().getName();
            pods.add(new PodView("id-" + name, name, pod.getMetadata().getLabels(), pod.getMetadata().getAnnotations(),
                    now, PodPhase.RUNNING, true, now, 0, false));
        }
        return decision;
    }

    /** Deleted pods stay, terminating, until {@link #removeTerminating()}: a graceful stop takes a while. */
    void stopSlowly() {
        slowStops = true;
    }

    void removeTerminating() {
        pods.removeIf(PodView::terminating);
    }

    void finish(PodView pod, PodPhase phase) {
        replace(pod, with(pod, phase, pod.restarts(), pod.terminating()));
    }

    void restart(PodView pod) {
        replace(pod, with(pod, pod.phase(), pod.restarts() + 1, pod.terminating()));
    }

    void apply(String yaml) {
        manifest = load(yaml);
    }

    List<PodView> pods() {
        return List.copyOf(pods);
    }

    /** Pods neither finished nor terminating. */
    List<PodView> running() {
        return pods.stream().filter(p -> !p.phase().finished() && !p.terminating()).toList();
    }

    Map<String, String> memo() {
        return memo;
    }

    private void replace(PodView old, PodView updated) {
        int at = pods.indexOf(old);
        if (at < 0) {
            throw new AssertionError("no such pod: " + old.name());
        }
        pods.set(at, updated);
    }

    private static PodView with(PodView pod, PodPhase phase, int restarts, boolean terminating) {
        return new PodView(pod.id(), pod.name(), pod.labels(), pod.annotations(), pod.createdAt(), phase,
                phase == PodPhase.RUNNING, pod.readySince(), restarts, terminating);
    }
}
