package dev.berth.node;

import dev.berth.core.ResourceKey;
import dev.berth.manifest.Annotations;
import dev.berth.manifest.DesiredState;
import dev.berth.net.dns.PodDns;
import dev.berth.net.service.ServiceIps;
import dev.berth.net.service.ServiceProxy;
import dev.berth.scheduler.Decision;
import dev.berth.store.StateLayout;
import dev.berth.store.WriteBatch;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One level-triggered pass over the node: observe every pod, keep started pods running (restarts, probes, drift),
 * ask each workload's controller for its next step, admit waiting pods through the scheduler, start what was admitted.
 * A pass only decides and writes what it decided; the slow work (pulls, starts, stops, removals) runs on the pods'
 * workers, whose end wakes the next pass, as do container exits and probe verdicts. Everything it knows is on disk or
 * in the runtime, so a pass after a crash carries on where one stopped.
 */
public final class NodeReconciler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NodeReconciler.class);

    private final PodRuntimePort pods;
    private final PodObserver observer;
    private final Wakeup wakeup = new Wakeup();
    private final PodWorkers workers = new PodWorkers(wakeup);
    private final ProbeRunner probes;
    private final PodKeeper keeper;
    private final PodStarter starter;
    private final PodRemover remover;
    private final Workloads workloads;
    private final NodeResources resources;
    private final Services services;
    private final PodDns dns;
    private final AutoCloseable exitWatch;

    /** A node whose Services have statuses but no rules ({@link ServiceProxy#NONE}), from the default range. */
    public NodeReconciler(StateLayout layout, PodRuntimePort pods, NodeResources resources) {
        this(layout, pods, resources, ServiceProxy.NONE, new ServiceIps(layout, ServiceIps.DEFAULT_CIDR), PodDns.NONE);
    }

    /**
     * @param proxy puts the Services' rules in place, with their IPs and node ports from {@code serviceIps}
     * @param dns   serves the Services' names to the pods, and is kept running while there are pods
     */
    public NodeReconciler(StateLayout layout, PodRuntimePort pods, NodeResources resources, ServiceProxy proxy,
                          ServiceIps serviceIps, PodDns dns) {
        this.pods = pods;
        this.dns = dns;
        this.observer = new PodObserver(pods);
        this.probes = new ProbeRunner(pods::exec, workers, wakeup);
        this.keeper = new PodKeeper(pods, probes);
        this.starter = new PodStarter(pods, workers);
        this.services = new Services(layout, proxy, serviceIps, pods::podDir, NodeFacts::primaryAddress);
        this.remover = new PodRemover(pods, workers, starter, services::withdraw);
        this.workloads = new Workloads(layout, pods, workers);
        this.resources = resources;
        this.exitWatch = pods.watchExits(id -> wakeup.signal(id == null ? "container exits" : "exit of " + id));
    }

    /**
     * What one pass did and found.
     *
     * @param changes      actions the pass took or handed to the workers
     * @param working      tasks on the pods' workers during the pass, and first probe rounds due
     * @param initializing pods whose start waits for an init container
     * @param failures     what keeps failing, by the object it belongs to
     * @param wakeAt       when the earliest thing is due by the clock (a restart, a retry, a deadline); null if none
     */
    public record PassResult(int changes, int working, int initializing, Map<ResourceKey, Failure> failures,
                             Instant wakeAt) {}

    /** Signalled whenever a pass may have something to do: a container exit, a worker done, a probe verdict. */
    public Wakeup wakeup() {
        return wakeup;
    }

    /**
     * What each Service's name stands for, by {@code namespace/name}: its virtual IP, or a headless Service's ready
     * pods' IPs; as of the last pass (or withdrawal of a terminating pod).
     */
    public Map<String, List<String>> serviceNames() {
        return services.names();
    }

    public synchronized PassResult pass(DesiredState applied, Instant now) {
        Pass pass = new Pass(applied, now, workers.busy());
        PodObserver.Observation seen = observer.observeAll();
        seen.pods().forEach(p -> pass.keys.add(p.id()));
        pass.removeStrays(seen);
        List<PodSnapshot> live = pass.terminate(seen.pods());
        live = pass.prune(live);
        live = pass.keepRunning(live);
        Workloads.Decisions decided = workloads.decide(applied, live, pass.terminating, pass.drift, pass.failures, now,
                pass);
        pass.actOn(decided, live);
        pass.admitAndStart(live, decided.newPods());
        pass.syncServices(live);
        workers.retainFailures(pass.keys);
        return pass.result();
    }

    /** The state of one pass; lives for that pass only. */
    private final class Pass implements Workloads.Work {

        private final DesiredState applied;
        private final Instant now;
        private final ConfigSource config;
        /** Pods (and other keys) whose worker is busy: taken at the start, plus all the pass hands work to. */
        private final Set<String> busy;
        /** Every worker key the pass came across: failures of others are forgotten. */
        private final Set<String> keys = new HashSet<>();
        private final List<PodSnapshot> terminating = new ArrayList<>();
        private final Map<ResourceKey, Integer> drift = new HashMap<>();
        private final Map<ResourceKey, Failure> failures = new LinkedHashMap<>();
        private int changes;
        private Instant wakeAt;

        Pass(DesiredState applied, Instant now, Set<String> busy) {
            this.applied = applied;
            this.now = now;
            this.config = new ConfigSource(applied);
            this.busy = new HashSet<>(busy);
            this.keys.addAll(busy); // a task under way keeps its last failure until it succeeds
        }

        @Override
        public boolean busy(String key) {
            keys.add(key);
            return busy.contains(key);
        }

        /** Hands work to {@code key}'s worker, which is idle: the pass leaves that key alone from now on. */
        @Override
        public void submit(String key, String what, Runnable task) {
            busy.add(key);
            workers.submit(key, what, task);
            changes++;
        }

        /**
         * Leftovers of crashes (pod directories, networks) and containers made behind berth's back; each removal on a
         * worker of its own.
         */
        void removeStrays(PodObserver.Observation seen) {
            for (String name : pods.leftoverPodDirs()) {
                String id = name.replaceFirst("^\\.(new|deleting)-", "");
                if (!busy(id) && due(id, podKey(id))) { // busy: a removal under way renamed it
                    submit(id, "removal of pods/" + name, () -> pods.removeLeftoverPodDir(name));
                }
            }
            for (String id : pods.strayContainers(seen.pods().stream().map(PodSnapshot::record).toList())) {
                String key = "stray:" + id; // logged when it fails, but no object's failure: no object wants it
                if (!busy(key) && workers.due(key, now)) {
                    submit(key, "removal of stray container " + id, () -> pods.removeStrayContainer(id));
                }
            }
            for (String id : pods.leftoverNetworks()) {
                String key = "network:" + id;
                if (!busy(key) && workers.due(key, now)) {
                    submit(key, "removal of the network of pod " + id, () -> pods.removeLeftoverNetwork(id));
                }
            }
        }

        /** Pods being deleted go on being deleted (cut short by a crash, or failed before); the rest are returned. */
        List<PodSnapshot> terminate(List<PodSnapshot> all) {
            List<PodSnapshot> live = new ArrayList<>();
            for (PodSnapshot pod : all) {
                if (remover.removing(pod.id())) { // its state may be deleted already: it is terminating all the same
                    terminating.add(new PodSnapshot(pod.record(), pod.state().markTerminating(), pod.containers()));
                    continue;
                }
                if (!pod.state().terminating()) {
                    live.add(pod);
                    continue;
                }
                terminating.add(pod);
                if (!busy(pod.id()) && due(pod.id(), ownerOrPod(pod))) {
                    remove(pod, "finishing a deletion");
                }
            }
            return live;
        }

        /** Pods whose owner is no longer applied go; pods berth did not make (run-pod's) are left alone. */
        List<PodSnapshot> prune(List<PodSnapshot> live) {
            List<PodSnapshot> kept = new ArrayList<>();
            for (PodSnapshot pod : live) {
                Optional<ResourceKey> owner = pod.owner();
                boolean orphaned = owner.isPresent() && applied.get(owner.get()).isEmpty();
                if (!orphaned || busy(pod.id()) || !due(pod.id(), owner.get()) || !remove(pod, owner.get()
                        + " is no longer applied")) {
                    kept.add(pod);
                }
            }
            return kept;
        }

        /**
         * Marks the pod terminating and removes it on its worker; it then counts among the terminating. Returns false
         * when its last removal failed and is not due again yet.
         */
        private boolean remove(PodSnapshot pod, String why) {
            Optional<PodSnapshot> marked = remover.remove(pod, why, now);
            marked.ifPresent(m -> {
                busy.add(pod.id());
                terminating.removeIf(p -> p.id().equals(pod.id()));
                terminating.add(m);
                changes++;
            });
            return marked.isPresent();
        }

        /** Returns the pods with the states they were left in. */
        List<PodSnapshot> keepRunning(List<PodSnapshot> live) {
            List<PodSnapshot> kept = new ArrayList<>();
            Set<String> running = new HashSet<>();
            WriteBatch noted = new WriteBatch(); // states that only note what was seen: exits, readiness, drift
            for (PodSnapshot pod : live) {
                ResourceKey owner = ownerOrPod(pod);
                if (!pod.state().scheduled() || !pod.state().started() || busy(pod.id()) || !due(pod.id(), owner)) {
                    kept.add(pod);
                    continue;
                }
                PodKeeper.Outcome outcome;
                try {
                    outcome = keeper.keep(pod, correctsDrift(pod.owner().orElse(null)), now);
                } catch (RuntimeException e) {
                    fail(pod.id(), owner, e.getMessage());
                    kept.add(pod);
                    continue;
                }
                if (!outcome.state().equals(pod.state())) {
                    if (outcome.actions().isEmpty()) {
                        noted.add(PodState.file(pods.podDir(pod.id())), outcome.state());
                    } else { // on disk before its worker builds on it
                        outcome.state().write(pods.podDir(pod.id()));
                    }
                }
                if (!outcome.actions().isEmpty()) {
                    submit(pod.id(), "restart in pod " + pod.id(),
                            () -> keeper.act(pod, outcome.state(), outcome.actions(), config));
                }
                if (outcome.driftFound() > 0 && pod.owner().isPresent()) {
                    drift.merge(pod.owner().get(), outcome.driftFound(), Integer::sum);
                }
                pod.appContainers().stream().filter(c -> pod.running(c.getName()))
                        .forEach(c -> running.add(PodRuntime.containerId(pod.id(), c.getName())));
                wake(outcome.wakeAt());
                kept.add(new PodSnapshot(pod.record(), outcome.state(), pod.containers()));
            }
            noted.write();
            live.stream().filter(p -> busy(p.id())).forEach(p -> p.appContainers()
                    .forEach(c -> running.add(PodRuntime.containerId(p.id(), c.getName())))); // probed on as they were
            keeper.retainProbes(running);
            return kept;
        }

        /** Takes in what the controllers decided, and deletes the pods they want gone. */
        void actOn(Workloads.Decisions decided, List<PodSnapshot> live) {
            changes += decided.changes();
            failures.putAll(decided.failures());
            wake(decided.wakeAt());
            for (PodSnapshot pod : live) {
                if (decided.delete().contains(pod.id()) && !busy(pod.id())) {
                    remove(pod, "replaced or scaled down");
                }
            }
        }

        /** Admits waiting pods (new ones included) through the scheduler and starts them, and carries on starts. */
        void admitAndStart(List<PodSnapshot> kept, List<PodSnapshot> newPods) {
            Set<String> gone = new HashSet<>();
            terminating.forEach(p -> gone.add(p.id()));
            List<PodSnapshot> live = new ArrayList<>(kept.stream().filter(p -> !gone.contains(p.id())).toList());
            live.addAll(newPods);
            List<PodSnapshot> running = new ArrayList<>(terminating); // they hold their resources until they are gone
            List<PodSnapshot> queue = new ArrayList<>();
            for (PodSnapshot pod : live) {
                if (pod.owner().isEmpty()) {
                    continue; // run-pod's, which has no state file: it starts and removes its pod itself
                }
                if (!pod.state().scheduled()) {
                    if (!busy(pod.id())) { // busy unscheduled: a removal cut short before its state was written
                        queue.add(pod);
                    }
                } else if (!pod.phase().finished()) {
                    running.add(pod);
                }
            }
            Map<ResourceKey, PodSnapshot> byKey = new HashMap<>();
            running.forEach(p -> byKey.put(Admission.key(p), p));
            queue.forEach(p -> byKey.put(Admission.key(p), p));
            Decision decision = resources.admission(applied).admit(running, queue);
            for (ResourceKey victim : decision.preempt()) {
                PodSnapshot pod = byKey.get(victim);
                if (!pod.state().terminating() && !busy(pod.id())) {
                    remove(pod, "Preempted by a higher-priority pod");
                }
            }
            for (Decision.Pending p : decision.pending()) {
                PodSnapshot pod = byKey.get(p.pod());
                if (!p.reason().equals(pod.state().message())) {
                    if (!p.gated()) { // a gated pod was not tried: kube-scheduler reports no failure for it
                        PodEvents.warning(pods.podDir(pod.id()), "FailedScheduling", "0/1 nodes are available: " + p.reason());
                    }
                    PodState.unscheduled(p.cause().reason(), p.reason())
                            .write(pods.podDir(pod.id()));
                }
            }
            WriteBatch admissions = new WriteBatch();
            List<PodSnapshot> admitted = new ArrayList<>();
            for (ResourceKey key : decision.admitted()) {
                PodSnapshot pod = byKey.get(key);
                PodState state = pod.state().admitted();
                admissions.add(PodState.file(pods.podDir(pod.id())), state);
                admitted.add(new PodSnapshot(pod.record(), state, Map.of()));
            }
            admissions.write(); // every admission on disk before any of the pods starts
            for (PodSnapshot pod : admitted) {
                PodEvents.normal(pods.podDir(pod.id()), "Scheduled", "Successfully assigned " + pod.record().namespace()
                        + "/" + pod.record().name() + " to this node");
                busy.add(pod.id());
                starter.start(pod, config, false);
                changes++;
            }
            for (PodSnapshot pod : live) { // admitted earlier: a start under way, waiting on an init, failed or cut short
                if (!pod.state().scheduled() || pod.state().started() || pod.phase().finished() || busy(pod.id())
                        || !due(pod.id(), ownerOrPod(pod))) {
                    continue;
                }
                if (starter.initializing(pod.id())) {
                    if (starter.carryOn(pod, now)) {
                        busy.add(pod.id());
                        changes++;
                    }
                    wake(starter.restartAt(pod.id()));
                } else if (pod.state().retryAt() == null || !pod.state().retryAt().isAfter(now)) {
                    busy.add(pod.id());
                    starter.start(pod, config, true);
                    changes++;
                } else {
                    wake(pod.state().retryAt());
                }
            }
        }

        /** Last, once the pass decided which pods go: those it is removing serve no Service from now on. */
        void syncServices(List<PodSnapshot> live) {
            Set<String> gone = new HashSet<>();
            terminating.forEach(p -> gone.add(p.id()));
            List<PodSnapshot> staying = live.stream().filter(p -> !gone.contains(p.id())).toList();
            try {
                services.sync(applied, staying, now);
            } catch (RuntimeException e) { // the Services' state file: the next pass tries again
                LOG.warn("Services: {}", e.getMessage(), e);
            }
            try {
                dns.publish(services.names());
                if (!staying.isEmpty()) {
                    dns.ensureRunning(); // brought back if it died
                }
            } catch (RuntimeException e) {
                LOG.warn("the pods' DNS: {}", e.getMessage());
            }
        }

        /**
         * The work under way counts every task that ran at any point of the pass: one that ended meanwhile may have
         * left what this pass did not see (a failure, a pod to admit), and its end has woken the next pass.
         */
        PassResult result() {
            Set<String> working = new HashSet<>(busy);
            working.addAll(workers.busy());
            return new PassResult(changes, working.size() + keeper.firstProbesDue(now), starter.initializingCount(),
                    failures, wakeAt);
        }

        /** Whether work on {@code key} may be tried (again); a failure not yet due is reported against {@code object}. */
        private boolean due(String key, ResourceKey object) {
            keys.add(key);
            Optional<Failure> failure = workers.failure(key);
            failure.ifPresent(f -> {
                failures.putIfAbsent(object, f);
                wake(f.retryAt());
            });
            return failure.map(f -> f.due(now)).orElse(true);
        }

        private void fail(String key, ResourceKey object, String message) {
            Failure failure = workers.fail(key, message, now);
            failures.put(object, failure);
            wake(failure.retryAt());
        }

        /** What a pod's failures are reported against: its owner, else the pod itself. */
        private ResourceKey ownerOrPod(PodSnapshot pod) {
            return pod.owner().orElse(Admission.key(pod));
        }

        /** A pod known by its id alone ({@code <namespace>.<name>.<suffix>}), as the scheduler keys pods. */
        private ResourceKey podKey(String id) {
            int dot = id.indexOf('.');
            return new ResourceKey("Pod", dot > 0 ? id.substring(0, dot) : "default", id);
        }

        private boolean correctsDrift(ResourceKey owner) {
            if (owner == null) {
                return true;
            }
            return applied.get(owner).map(m -> !"warn".equals(m.annotations().get(Annotations.DRIFT))).orElse(true);
        }

        /** Asks for a pass at {@code at}; what is due by now was done in this pass, or waits for an event. */
        private void wake(Instant at) {
            if (at != null && at.isAfter(now) && (wakeAt == null || at.isBefore(wakeAt))) {
                wakeAt = at;
            }
        }
    }

    @Override
    public void close() {
        try {
            exitWatch.close();
        } catch (Exception e) {
            // its thread ends with the JVM anyway
        }
        probes.close();
        workers.close();
    }
}
