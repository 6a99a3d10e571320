package dev.berth.node;

import dev.berth.core.ResourceKey;
import dev.berth.manifest.Annotations;
import dev.berth.manifest.DesiredState;
import dev.berth.manifest.Manifest;
import dev.berth.node.workload.CronJobController;
import dev.berth.node.workload.DeploymentController;
import dev.berth.node.workload.JobController;
import dev.berth.node.workload.PodView;
import dev.berth.node.workload.Workload;
import dev.berth.node.workload.WorkloadController;
import dev.berth.node.workload.WorkloadDecision;
import dev.berth.scheduler.Decision;
import dev.berth.store.SideBySide;
import dev.berth.store.StateLayout;
import dev.berth.store.WriteBatch;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One level-triggered pass over the node: observe every pod, keep started pods running (restarts, drift), ask each
 * workload's controller for its next step and act on it, admit waiting pods through the scheduler, start what was
 * admitted. Everything it knows is on disk or in the runtime, so a pass after a crash carries on where one stopped.
 */
public final class NodeReconciler implements AutoCloseable {

    private static final Map<String, WorkloadController> CONTROLLERS = Map.of(
            "Pod", new PodObjectController(),
            "Deployment", new DeploymentController(),
            "Job", new JobController(),
            "CronJob", new CronJobController());

    private final StateLayout layout;
    private final PodRuntime pods;
    private final PodObserver observer;
    private final PodKeeper keeper;
    private final PodStarter starter;
    private final PodRemover remover;
    private final NodeResources resources;

    public NodeReconciler(StateLayout layout, PodRuntime pods, NodeResources resources) {
        this.layout = layout;
        this.pods = pods;
        this.observer = new PodObserver(pods);
        this.keeper = new PodKeeper(pods);
        this.starter = new PodStarter(pods);
        this.remover = new PodRemover(pods);
        this.resources = resources;
    }

    /** What one pass did and found. */
    public record PassResult(int changes, int waiting, Map<ResourceKey, String> failures, Instant wakeAt) {
        /** Nothing left to do now: no action taken, nothing failed. */
        public boolean settled() {
            return changes == 0 && failures.isEmpty();
        }
    }

    public PassResult pass(DesiredState applied, Instant now) {
        Pass pass = new Pass(applied, now);
        PodObserver.Observation seen = observer.observeAll();
        pass.removeStrays(seen);
        List<PodSnapshot> live = pass.finishTerminations(seen.pods());
        live = pass.prune(live);
        live = pass.keepRunning(live);
        keeper.retainProbes(live.stream().map(PodSnapshot::id).collect(java.util.stream.Collectors.toSet()));
        live = pass.current(live); // containers restarted or pods lost: controllers see the state after that
        pass.runControllers(live);
        pass.admitAndStart(pass.current(live));
        return new PassResult(pass.changes, pass.waiting, pass.failures, pass.wakeAt);
    }

    /** The state of one pass; lives for that pass only. */
    private final class Pass {

        private final DesiredState applied;
        private final Instant now;
        private final ConfigSource config;
        private final Map<ResourceKey, Integer> drift = new HashMap<>();
        private final Map<ResourceKey, String> failures = new LinkedHashMap<>();
        private int changes;
        private int waiting;
        private Instant wakeAt;
        /** Pods or containers were made, removed, restarted or stopped since the node was last observed. */
        private boolean touched;

        Pass(DesiredState applied, Instant now) {
            this.applied = applied;
            this.now = now;
            this.config = new ConfigSource(applied);
        }

        /**
         * The node as observed again if this pass has touched its pods or containers since it last looked, else
         * {@code live}: each look is a {@code runc list}, and on a settled node no pass touches anything.
         */
        List<PodSnapshot> current(List<PodSnapshot> live) {
            if (!touched) {
                return live;
            }
            touched = false;
            return observer.observe();
        }

        /** Leftovers of crashes and containers made behind berth's back, found in the pass's first look. */
        void removeStrays(PodObserver.Observation seen) {
            int removed = pods.removeLeftoverPodDirs().size() + pods.removeStrayContainers(
                    seen.pods().stream().map(PodSnapshot::record).toList(), seen.containers()).size();
            changes += removed;
            touched |= removed > 0;
        }

        List<PodSnapshot> finishTerminations(List<PodSnapshot> all) {
            List<PodSnapshot> live = new ArrayList<>();
            for (PodSnapshot pod : all) {
                if (pod.state().terminating()) {
                    touched = true;
                    remover.remove(pod, "finishing a deletion cut short");
                    changes++;
                } else {
                    live.add(pod);
                }
            }
            return live;
        }

        /** Pods whose owner is no longer applied go; pods berth did not make (run-pod's) are left alone. */
        List<PodSnapshot> prune(List<PodSnapshot> live) {
            List<PodSnapshot> kept = new ArrayList<>();
            List<PodSnapshot> doomed = new ArrayList<>();
            for (PodSnapshot pod : live) {
                Optional<ResourceKey> owner = pod.owner();
                if (owner.isPresent() && applied.get(owner.get()).isEmpty()) {
                    doomed.add(pod);
                    changes++;
                } else {
                    kept.add(pod);
                }
            }
            touched |= !doomed.isEmpty();
            remover.removeAll(doomed, pod -> pod.owner().orElseThrow() + " is no longer applied"); // side by side
            return kept;
        }

        /** Returns the pods with the states they were left in. */
        List<PodSnapshot> keepRunning(List<PodSnapshot> live) {
            List<PodSnapshot> kept = new ArrayList<>();
            WriteBatch noted = new WriteBatch(); // states that only note what was seen: exits, readiness, drift
            for (PodSnapshot pod : live) {
                if (!pod.state().scheduled() || !pod.state().started()) {
                    kept.add(pod);
                    continue;
                }
                ResourceKey owner = pod.owner().orElse(null);
                try {
                    PodKeeper.Outcome outcome = keeper.keep(pod, config, correctsDrift(owner), now);
                    touched |= outcome.containersChanged();
                    if (!outcome.state().equals(pod.state())) {
                        if (outcome.containersChanged()) { // what was done is on disk before the next pod is kept
                            outcome.state().write(pods.podDir(pod.id()));
                        } else {
                            noted.add(PodState.file(pods.podDir(pod.id())), outcome.state());
                        }
                        changes += restartsOrRecreations(pod.state(), outcome.state());
                    }
                    if (owner != null && outcome.driftFound() > 0) {
                        drift.merge(owner, outcome.driftFound(), Integer::sum);
                    }
                    wake(outcome.wakeAt());
                    kept.add(new PodSnapshot(pod.record(), outcome.state(), pod.containers()));
                } catch (RuntimeException e) {
                    touched = true; // cut short, maybe halfway through a restart
                    failures.put(owner == null ? Admission.key(pod) : owner, e.getMessage());
                    kept.add(pod);
                }
            }
            noted.write();
            return kept;
        }

        void runControllers(List<PodSnapshot> live) {
            List<Map.Entry<ResourceKey, Pod>> newPods = new ArrayList<>();
            Map<ResourceKey, List<PodView>> owned = new HashMap<>();
            for (PodSnapshot pod : live) {
                pod.owner().ifPresent(o -> owned.computeIfAbsent(o, k -> new ArrayList<>()).add(pod.view(false)));
            }
            List<Decided> decided = new ArrayList<>();
            for (Manifest m : applied.manifests()) {
                WorkloadController controller = CONTROLLERS.get(m.key().kind());
                if (controller == null) {
                    continue;
                }
                ResourceKey key = m.key();
                WorkloadStatus before = WorkloadStatus.read(layout, key).orElse(null);
                int driftCount = (before == null ? 0 : before.driftCount()) + drift.getOrDefault(key, 0);
                try {
                    Manifest annotated = ConfigHash.annotate(m, applied);
                    WorkloadDecision decision = controller.decide(
                            new Workload(annotated, before == null ? Map.of() : before.memo()),
                            owned.getOrDefault(key, List.of()), now);
                    act(decision, live);
                    decision.create().forEach(pod -> newPods.add(Map.entry(key, pod)));
                    wake(nextDecisionAt(decision));
                    decided.add(new Decided(key, before, driftCount, new WorkloadStatus(decision.health(),
                            decision.message(), now, decision.memo(), driftCount, null)));
                } catch (RuntimeException e) {
                    touched = true; // maybe halfway through its decision
                    failures.put(key, e.getMessage());
                    decided.add(new Decided(key, before, driftCount, failed(before, driftCount, e.getMessage())));
                }
            }
            Map<ResourceKey, String> unregistered = register(newPods);
            WriteBatch statuses = new WriteBatch();
            for (Decided d : decided) {
                String error = unregistered.get(d.key());
                WorkloadStatus status = error == null ? d.status() : failed(d.before(), d.driftCount(), error);
                status.writeOver(d.before(), layout, d.key(), statuses);
            }
            statuses.write();
        }

        /** A workload's status as its controller left it, written once the pass's new pods are registered. */
        private record Decided(ResourceKey key, WorkloadStatus before, int driftCount, WorkloadStatus status) {}

        /** What was known before, with the error of a decision or registration that failed. */
        private WorkloadStatus failed(WorkloadStatus before, int driftCount, String error) {
            return new WorkloadStatus(before == null ? dev.berth.node.workload.Health.MISSING : before.health(),
                    before == null ? "" : before.message(), now, before == null ? Map.of() : before.memo(),
                    driftCount, error);
        }

        /**
         * Registers every controller's new pods side by side: each registration is three fsyncs, which for 20 pods
         * one after the other took 60-90 ms. No state file yet: PodObserver takes a pod without one for unscheduled,
         * and admission writes one. Returns the error of each owner a registration failed for.
         */
        private Map<ResourceKey, String> register(List<Map.Entry<ResourceKey, Pod>> newPods) {
            Map<ResourceKey, String> unregistered = new java.util.concurrent.ConcurrentHashMap<>();
            java.util.concurrent.atomic.AtomicInteger registered = new java.util.concurrent.atomic.AtomicInteger();
            List<Runnable> registrations = new ArrayList<>();
            for (Map.Entry<ResourceKey, Pod> pod : newPods) {
                registrations.add(() -> {
                    try {
                        pods.register(pod.getValue());
                        registered.incrementAndGet();
                    } catch (RuntimeException e) {
                        unregistered.putIfAbsent(pod.getKey(), e.getMessage());
                    }
                });
            }
            SideBySide.run(registrations);
            failures.putAll(unregistered);
            changes += registered.get();
            return unregistered;
        }

        /** Pulls the new pods' images before the pods they replace stop, then deletes; the new are registered after. */
        private void act(WorkloadDecision decision, List<PodSnapshot> live) {
            touched |= !decision.create().isEmpty() || !decision.delete().isEmpty();
            for (Pod pod : decision.create()) {
                pods.pullImages(pod);
            }
            Set<String> doomed = new HashSet<>(decision.delete());
            for (PodSnapshot pod : live) {
                if (doomed.contains(pod.id())) {
                    remover.remove(pod, "replaced or scaled down");
                    changes++;
                }
            }
        }

        void admitAndStart(List<PodSnapshot> live) {
            List<PodSnapshot> running = new ArrayList<>();
            List<PodSnapshot> queue = new ArrayList<>();
            for (PodSnapshot pod : live) {
                if (pod.owner().isEmpty()) {
                    continue; // run-pod's, which has no state file: it starts and removes its pod itself
                }
                if (!pod.state().scheduled()) {
                    queue.add(pod);
                } else if (!pod.phase().finished()) {
                    running.add(pod);
                }
            }
            Map<ResourceKey, PodSnapshot> byKey = new HashMap<>();
            live.forEach(p -> byKey.put(Admission.key(p), p));
            Decision decision = resources.admission(applied).admit(running, queue);
            for (ResourceKey victim : decision.preempt()) {
                remover.remove(byKey.get(victim), "Preempted by a higher-priority pod");
                changes++;
            }
            for (Decision.Pending p : decision.pending()) {
                PodSnapshot pod = byKey.get(p.pod());
                if (!p.reason().equals(pod.state().message())) {
                    PodEvents.warning(pods.podDir(pod.id()), "FailedScheduling", "0/1 nodes are available: " + p.reason());
                    PodState.unscheduled("Unschedulable", p.reason()).write(pods.podDir(pod.id()));
                }
                waiting++;
            }
            List<PodSnapshot> toStart = new ArrayList<>();
            WriteBatch admissions = new WriteBatch();
            for (ResourceKey admitted : decision.admitted()) {
                PodSnapshot pod = byKey.get(admitted);
                PodState state = pod.state().admitted();
                admissions.add(PodState.file(pods.podDir(pod.id())), state);
                toStart.add(new PodSnapshot(pod.record(), state, Map.of()));
            }
            admissions.write(); // every admission on disk before any of the pods starts
            for (PodSnapshot pod : toStart) {
                PodEvents.normal(pods.podDir(pod.id()), "Scheduled", "Successfully assigned " + pod.record().namespace()
                        + "/" + pod.record().name() + " to this node");
            }
            for (PodSnapshot pod : live) { // admitted earlier, but the start was cut short or failed
                boolean due = pod.state().retryAt() == null || !pod.state().retryAt().isAfter(now);
                if (pod.state().scheduled() && !pod.state().started() && !pod.state().terminating()) {
                    if (due) {
                        pods.teardown(pod.record());
                        toStart.add(pod);
                    } else {
                        wake(pod.state().retryAt());
                    }
                }
            }
            for (Map.Entry<String, PodState> started : starter.start(toStart, config).entrySet()) {
                changes++;
                if (!started.getValue().started()) {
                    wake(started.getValue().retryAt());
                }
            }
        }

        private boolean correctsDrift(ResourceKey owner) {
            if (owner == null) {
                return true;
            }
            return applied.get(owner).map(m -> !"warn".equals(m.annotations().get(Annotations.DRIFT))).orElse(true);
        }

        private void wake(Instant at) {
            if (at != null && (wakeAt == null || at.isBefore(wakeAt))) {
                wakeAt = at;
            }
        }
    }

    private static int restartsOrRecreations(PodState before, PodState after) {
        int restarts = after.containers().values().stream().mapToInt(ContainerRun::restarts).sum()
                - before.containers().values().stream().mapToInt(ContainerRun::restarts).sum();
        return Math.max(0, restarts) + (before.started() && !after.started() ? 1 : 0);
    }

    private static Instant nextDecisionAt(WorkloadDecision decision) {
        String at = decision.memo().get(JobController.NEXT_DECISION_AT);
        return at == null ? null : Instant.parse(at);
    }

    @Override
    public void close() {
        starter.close();
    }
}
