package dev.berth.node;

import dev.berth.core.ResourceKey;
import dev.berth.manifest.DesiredState;
import dev.berth.manifest.Manifest;
import dev.berth.manifest.SecretDigest;
import dev.berth.node.workload.CronJobController;
import dev.berth.node.workload.DeploymentController;
import dev.berth.node.workload.Health;
import dev.berth.node.workload.JobController;
import dev.berth.node.workload.PodView;
import dev.berth.node.workload.Workload;
import dev.berth.node.workload.WorkloadController;
import dev.berth.node.workload.WorkloadDecision;
import dev.berth.store.NodeSecretKey;
import dev.berth.store.SideBySide;
import dev.berth.store.StateLayout;
import dev.berth.store.WriteBatch;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The controllers' part of a pass: asks each applied workload's controller for its next step, registers the new pods
 * it wants, and writes its status. A decision that fails, or whose pods cannot be registered, is kept as the object's
 * {@link Failure}: the object is left as it was until its backoff has passed, as a controller's work queue does.
 */
final class Workloads {

    private static final Map<String, WorkloadController> CONTROLLERS = Map.of(
            "Pod", new PodObjectController(),
            "Deployment", new DeploymentController(),
            "Job", new JobController(),
            "CronJob", new CronJobController());

    /** How a pass hands work to the pods' workers, and which keys it leaves alone because their worker is busy. */
    interface Work {
        boolean busy(String key);

        void submit(String key, String what, Runnable task);
    }

    /**
     * What the controllers decided in one pass.
     *
     * @param newPods  registered, not yet scheduled
     * @param delete   ids of pods to stop and remove
     * @param failures objects whose decision, registration or image pull failed
     * @param changes  pods registered and pulls started
     */
    record Decisions(List<PodSnapshot> newPods, Set<String> delete, Map<ResourceKey, Failure> failures, Instant wakeAt,
                     int changes) {}

    private final StateLayout layout;
    private final PodRuntimePort pods;
    private final PodWorkers workers;
    /** Digests Secret values in the config hash of pod templates: the node's key, read once. */
    private final SecretDigest secrets;
    private final Map<ResourceKey, Failure> failing = new HashMap<>();
    /** Images pulled ahead of a replacement, by workload: its old pods stop only once the new pods' are present. */
    private final Map<ResourceKey, Set<String>> pulled = new ConcurrentHashMap<>();

    Workloads(StateLayout layout, PodRuntimePort pods, PodWorkers workers) {
        this.layout = layout;
        this.pods = pods;
        this.workers = workers;
        this.secrets = NodeSecretKey.require(layout);
    }

    /**
     * @param live        pods not terminating, as the pass left them
     * @param terminating pods being deleted: their controllers count them, as holding resources but not available
     * @param drift       drift the pass found, by owner
     * @param podFailures what failed with the objects' pods (a restart, a removal): each object's lastError
     */
    Decisions decide(DesiredState applied, List<PodSnapshot> live, List<PodSnapshot> terminating,
                     Map<ResourceKey, Integer> drift, Map<ResourceKey, Failure> podFailures, Instant now, Work work) {
        Map<ResourceKey, List<PodView>> owned = new HashMap<>();
        live.forEach(p -> p.owner().ifPresent(o -> owned.computeIfAbsent(o, k -> new ArrayList<>()).add(p.view(false))));
        terminating.forEach(p -> p.owner().ifPresent(o -> owned.computeIfAbsent(o, k -> new ArrayList<>()).add(p.view(true))));
        Round round = new Round(now);
        ConfigSource config = new ConfigSource(applied);
        for (Manifest m : applied.manifests()) {
            WorkloadController controller = CONTROLLERS.get(m.key().kind());
            if (controller != null) {
                round.decide(m, controller, applied, owned.getOrDefault(m.key(), List.of()),
                        drift.getOrDefault(m.key(), 0), config, work);
            }
        }
        failing.keySet().removeIf(key -> applied.get(key).isEmpty());
        pulled.keySet().removeIf(key -> applied.get(key).isEmpty());
        return round.finish(podFailures);
    }

    /** One pass's decisions, gathered until the new pods are registered and the statuses written. */
    private final class Round {

        private final Instant now;
        private final List<Map.Entry<ResourceKey, Pod>> create = new ArrayList<>();
        private final Set<String> delete = new HashSet<>();
        private final Map<ResourceKey, Failure> failures = new LinkedHashMap<>();
        private final List<Decided> decided = new ArrayList<>();
        private Instant wakeAt;
        private int pulls;

        Round(Instant now) {
            this.now = now;
        }

        void decide(Manifest m, WorkloadController controller, DesiredState applied, List<PodView> owned,
                    int driftFound, ConfigSource config, Work work) {
            ResourceKey key = m.key();
            WorkloadStatus before = WorkloadStatus.read(layout, key).orElse(null);
            int driftCount = (before == null ? 0 : before.driftCount()) + driftFound;
            Failure failure = failing.get(key);
            if (failure != null && !failure.due(now)) {
                failures.put(key, failure);
                wake(failure.retryAt());
                return; // left as it was until its backoff has passed
            }
            try {
                WorkloadDecision decision = controller.decide(
                        new Workload(ConfigHash.annotate(m, applied, secrets), before == null ? Map.of() : before.memo()), owned, now);
                wake(nextDecisionAt(decision));
                if (!decision.delete().isEmpty() && !decision.create().isEmpty() && !pulledAhead(key, decision, work)) {
                    // the pods it replaces keep running while the new pods' images are pulled; asked again after
                    decided.add(new Decided(key, before, new WorkloadStatus(decision.health(), decision.message(), now,
                            before == null ? Map.of() : before.memo(), driftCount, null)));
                    return;
                }
                decision.create().forEach(pod -> create.add(Map.entry(key, pod)));
                delete.addAll(decision.delete());
                decision.relabel().forEach(r -> relabel(r, config, work));
                decided.add(new Decided(key, before, new WorkloadStatus(decision.health(), decision.message(), now,
                        decision.memo(), driftCount, null)));
                failing.remove(key);
            } catch (RuntimeException e) {
                fail(key, e.getMessage());
                decided.add(new Decided(key, before, failed(before, driftCount, e.getMessage())));
            }
        }

        /** On the pod's worker; a busy pod is relabelled by a later pass, whose controller asks again. */
        private void relabel(WorkloadDecision.Relabel r, ConfigSource config, Work work) {
            if (!work.busy(r.podId())) {
                work.submit(r.podId(), "new labels and annotations for pod " + r.podId(),
                        () -> pods.relabel(r.podId(), r.labels(), r.annotations(), config));
            }
        }

        /**
         * Whether the images of the decision's new pods are present: pulled on a worker of the workload's own before
         * the pods they replace stop. A pull that failed is the workload's failure, tried again after its backoff.
         */
        private boolean pulledAhead(ResourceKey key, WorkloadDecision decision, Work work) {
            Set<String> images = new HashSet<>();
            decision.create().forEach(pod -> allContainers(pod).forEach(c -> images.add(c.getImage())));
            if (pulled.getOrDefault(key, Set.of()).containsAll(images)) {
                return true;
            }
            String pullKey = "pull:" + key;
            workers.failure(pullKey).ifPresent(f -> {
                failures.put(key, f);
                wake(f.retryAt());
            });
            if (!work.busy(pullKey) && workers.due(pullKey, now)) {
                List<Pod> newPods = decision.create();
                work.submit(pullKey, "image pull for " + key, () -> {
                    newPods.forEach(pods::pullImages);
                    pulled.put(key, images);
                });
                pulls++;
            }
            return false;
        }

        Decisions finish(Map<ResourceKey, Failure> podFailures) {
            List<PodSnapshot> registered = register();
            WriteBatch statuses = new WriteBatch();
            for (Decided d : decided) {
                Failure failure = failures.get(d.key());
                Failure ofPods = podFailures.get(d.key());
                WorkloadStatus status = failure != null ? failed(d.before(), d.status().driftCount(), failure.message())
                        : ofPods == null ? d.status()
                        : new WorkloadStatus(d.status().health(), d.status().message(), now, d.status().memo(),
                                d.status().driftCount(), ofPods.message());
                status.writeOver(d.before(), layout, d.key(), statuses);
            }
            statuses.write();
            return new Decisions(registered, delete, failures, wakeAt, registered.size() + pulls);
        }

        /**
         * Registers every controller's new pods side by side: each registration is three fsyncs, which for 20 pods one
         * after the other took 60-90 ms. No state file yet: the pods are unscheduled until admission writes one.
         */
        private List<PodSnapshot> register() {
            List<PodSnapshot> registered = java.util.Collections.synchronizedList(new ArrayList<>());
            Map<ResourceKey, String> unregistered = new ConcurrentHashMap<>();
            List<Runnable> registrations = new ArrayList<>();
            for (Map.Entry<ResourceKey, Pod> pod : create) {
                registrations.add(() -> {
                    try {
                        registered.add(new PodSnapshot(pods.register(pod.getValue()), PodState.unscheduled(null, null),
                                Map.of()));
                    } catch (RuntimeException e) {
                        unregistered.putIfAbsent(pod.getKey(), e.getMessage());
                    }
                });
            }
            SideBySide.run(registrations);
            unregistered.forEach(this::fail);
            List<PodSnapshot> oldestFirst = new ArrayList<>(registered);
            oldestFirst.sort(java.util.Comparator.comparing(p -> p.record().createdAt()));
            return oldestFirst;
        }

        private void fail(ResourceKey key, String message) {
            Failure failure = Failure.after(failing.get(key), message, now);
            failing.put(key, failure);
            failures.put(key, failure);
            wake(failure.retryAt());
        }

        /** What was known before, with the error of a decision or registration that failed. */
        private WorkloadStatus failed(WorkloadStatus before, int driftCount, String error) {
            return new WorkloadStatus(before == null ? Health.MISSING : before.health(),
                    before == null ? "" : before.message(), now, before == null ? Map.of() : before.memo(),
                    driftCount, error);
        }

        /** Asks for a pass at {@code at}; what is due by now was done in this pass, or waits for an event. */
        private void wake(Instant at) {
            if (at != null && at.isAfter(now) && (wakeAt == null || at.isBefore(wakeAt))) {
                wakeAt = at;
            }
        }
    }

    /** A workload's status as its controller left it, written once the pass's new pods are registered. */
    private record Decided(ResourceKey key, WorkloadStatus before, WorkloadStatus status) {}

    private static List<Container> allContainers(Pod pod) {
        List<Container> all = new ArrayList<>(dev.berth.core.Nulls.orEmpty(pod.getSpec().getInitContainers()));
        all.addAll(dev.berth.core.Nulls.orEmpty(pod.getSpec().getContainers()));
        return all;
    }

    private static Instant nextDecisionAt(WorkloadDecision decision) {
        String at = decision.memo().get(JobController.NEXT_DECISION_AT);
        return at == null ? null : Instant.parse(at);
    }
}
