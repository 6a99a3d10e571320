package dev.berth.server;

import dev.berth.node.PodObserver;
import dev.berth.node.PodSnapshot;
import dev.berth.node.WorkloadStatus;
import dev.berth.node.workload.Health;
import dev.berth.store.ObjectRecord;
import dev.berth.store.ObjectRecords;
import dev.berth.store.StateLayout;
import dev.berth.sync.SyncState;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The daemon's Prometheus metrics. Counters and histograms are updated as things happen; objects, pods, drift and
 * the last apply are read from the state root when scraped, so they can never disagree with {@code berth status}.
 */
public final class Metrics {

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Histogram reconcile = Histogram.builder().name("berth_reconcile_duration_seconds")
            .help("Time one reconcile took (poll, sync or resync)").register(registry);
    private final Counter syncs = Counter.builder().name("berth_sync_total")
            .help("Applies by result (Synced, Failed, Invalid, Denied, Unavailable, Pinned); node passes that failed count as Failed").labelNames("result").register(registry);
    private final Histogram gitFetch = Histogram.builder().name("berth_git_fetch_duration_seconds")
            .help("Time to ask the git server for the head (ls-remote)").register(registry);
    private final Counter gitFetchErrors = Counter.builder().name("berth_git_fetch_errors_total")
            .help("Polls that could not reach or read the git server").register(registry);
    private final Histogram imagePull = Histogram.builder().name("berth_image_pull_duration_seconds")
            .help("Time to make a pod's images present (pull when missing)").register(registry);

    public Metrics(StateLayout layout, PodObserver pods) {
        GaugeWithCallback.builder().name("berth_objects").help("Applied objects by kind and health")
                .labelNames("kind", "health").callback(cb -> objects(layout).forEach((labels, n) ->
                        cb.call(n, labels[0], labels[1]))).register(registry);
        CounterWithCallback.builder().name("berth_drift_corrections").help("Drift found on objects' pods, by kind")
                .labelNames("kind").callback(cb -> drift(layout).forEach((kind, n) -> cb.call(n, kind)))
                .register(registry);
        GaugeWithCallback.builder().name("berth_pods").help("Pods on the node by phase").labelNames("phase")
                .callback(cb -> pods(pods).forEach((phase, n) -> cb.call(n, phase))).register(registry);
        GaugeWithCallback.builder().name("berth_last_applied_timestamp_seconds")
                .help("When the last apply finished, as Unix time").callback(cb -> SyncState.read(layout)
                        .filter(s -> s.appliedAt() != null)
                        .ifPresent(s -> cb.call(s.appliedAt().toEpochMilli() / 1000.0))).register(registry);
    }

    /** Counts the HTTP server's refusals, read from it when scraped. */
    public void httpRefusals(Supplier<Map<String, Long>> refusals) {
        CounterWithCallback.builder().name("berth_http_refused")
                .help("Connections and requests the HTTP server refused or closed, by the cap or time limit that did")
                .labelNames("reason").callback(cb -> refusals.get().forEach((reason, n) -> cb.call(n, reason)))
                .register(registry);
    }

    void reconcile(Duration took) {
        reconcile.observe(seconds(took));
    }

    void synced(String result) {
        syncs.labelValues(result).inc();
    }

    void gitFetch(Duration took) {
        gitFetch.observe(seconds(took));
    }

    void gitFetchError() {
        gitFetchErrors.inc();
    }

    public void imagePull(Duration took) {
        imagePull.observe(seconds(took));
    }

    public String contentType() {
        return PrometheusTextFormatWriter.CONTENT_TYPE;
    }

    public void write(OutputStream out) throws IOException {
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
    }

    private static Map<String[], Double> objects(StateLayout layout) {
        Map<String, Double> counts = new HashMap<>();
        for (ObjectRecord r : new ObjectRecords(layout).readAll()) {
            Health health = WorkloadStatus.read(layout, r.key()).map(WorkloadStatus::health).orElse(Health.HEALTHY);
            counts.merge(r.key().kind() + "\u0000" + health, 1.0, Double::sum);
        }
        Map<String[], Double> out = new HashMap<>();
        counts.forEach((k, n) -> out.put(k.split("\u0000"), n));
        return out;
    }

    private static Map<String, Double> drift(StateLayout layout) {
        Map<String, Double> counts = new HashMap<>();
        for (ObjectRecord r : new ObjectRecords(layout).readAll()) {
            WorkloadStatus.read(layout, r.key()).ifPresent(s -> counts.merge(r.key().kind(), (double) s.driftCount(), Double::sum));
        }
        return counts;
    }

    private static Map<String, Double> pods(PodObserver observer) {
        Map<String, Double> counts = new HashMap<>();
        for (PodSnapshot pod : observer.observe()) {
            counts.merge(pod.phase().toString(), 1.0, Double::sum);
        }
        return counts;
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
