package dev.berth.server;

import dev.berth.core.DirectoryTreeReader;
import dev.berth.core.Revision;
import dev.berth.git.GitCredentials;
import dev.berth.manifest.ManifestLoader;
import dev.berth.node.PodObserver;
import dev.berth.node.RecordedState;
import dev.berth.pipeline.PlanPipeline;
import dev.berth.pipeline.PlanRequest;
import dev.berth.plan.PlanReport;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.RuntimeLayout;
import dev.berth.store.NodeSecretKey;
import dev.berth.store.ObjectRecords;
import dev.berth.store.StateLayout;
import dev.berth.sync.SyncState;
import dev.berth.testing.TestRepo;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A node that runs ConfigMap {@code settings} with {@code mode: calm}, and a commit that changes the mode to
 * {@link #VALUE}: planned as the daemon's sync plans it, the change is what the page and {@code /api/v1/plan} show.
 * The recorded source URL carries a password, as a URL with credentials does.
 */
final class PendingChange implements AutoCloseable {

    static final String VALUE = "pending-7e1d-value";
    static final String URL_PASSWORD = "s3cret-in-the-url";

    private static final String CONFIG_MAP = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings}
            data: {mode: %s}
            """;

    final StateLayout layout;
    final PodObserver pods;
    final TestRepo repo;
    private final PlanRequest request;

    PendingChange(Path dir) throws Exception {
        layout = new StateLayout(dir.resolve("state"));
        pods = new PodObserver(layout, new ContainerRuntime(new RuntimeLayout(dir.resolve("run"))));
        repo = TestRepo.init(dir.resolve("repo"));
        String applied = repo.write("settings.yaml", CONFIG_MAP.formatted("calm")).commit("calm").name();
        Revision revision = new Revision(applied);
        new ManifestLoader().load(new DirectoryTreeReader(repo.dir()), "", revision).manifests().forEach(m ->
                new ObjectRecords(layout).write(RecordedState.recordOf(m, NodeSecretKey.require(layout), revision, Instant.now())));
        new SyncState("https://deploy:" + URL_PASSWORD + "@git.example.org/ops.git", "main", "", applied,
                Instant.now(), "Synced", "applied 1 change", null).write(layout);
        repo.write("settings.yaml", CONFIG_MAP.formatted(VALUE)).commit("the change under review");
        request = new PlanRequest(repo.dir().toString(), null, "", null, "state:" + layout.root(), layout.root(),
                dir.resolve("git-cache"), GitCredentials.none(), null, false);
    }

    /** The plan of the commit against the node, as a sync computes it. */
    PlanReport plan() {
        return new PlanPipeline().plan(request);
    }

    @Override
    public void close() {
        repo.close();
    }
}
