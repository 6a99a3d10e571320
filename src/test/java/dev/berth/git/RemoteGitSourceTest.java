package dev.berth.git;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.SourceUnavailableException;
import dev.berth.testing.GitDaemon;
import dev.berth.testing.Prerequisites;
import dev.berth.testing.TestRepo;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Remote resolution through the bare cache, using file:// URLs so no server is needed. */
class RemoteGitSourceTest {

    @TempDir
    Path tmp;

    private final GitSource source = new GitSource();
    private TestRepo origin;
    private RevCommit first;
    private String url;
    private Path cacheRoot;

    @BeforeEach
    void createOrigin() throws Exception {
        origin = TestRepo.init(tmp.resolve("origin"), "trunk");
        first = origin.write("app/deploy.yaml", "v: 1\n").commit("first");
        url = origin.dir().toUri().toString();
        cacheRoot = tmp.resolve("cache");
    }

    @AfterEach
    void close() {
        source.close();
        origin.close();
    }

    private Snapshot resolve(String ref) {
        return source.resolve(new SourceSpec(url, ref, cacheRoot, GitCredentials.none()));
    }

    private List<Path> cacheEntries() throws Exception {
        try (Stream<Path> entries = Files.list(cacheRoot)) {
            return entries.sorted().toList();
        }
    }

    @Test
    void defaultRefIsTheRemotesHeadBranch() {
        Snapshot snapshot = resolve(null);

        assertEquals(first.name(), snapshot.revision().sha());
        assertEquals("refs/heads/trunk", snapshot.ref());
        assertEquals(List.of("app/deploy.yaml"), snapshot.tree().list(""));
        assertEquals(url + "@" + first.name().substring(0, 12), snapshot.tree().describe());
    }

    /**
     * The cache's own HEAD names refs/heads/master: once that branch is mirrored, the remote's HEAD must still be
     * asked for. Over git:// (protocol v2, where a server lists only the refs asked for) as well as file://.
     */
    @Test
    void aDefaultBranchNamedMasterIsFollowedOnEverySync() throws Exception {
        Prerequisites.requireBinaries("git");
        try (TestRepo master = TestRepo.init(tmp.resolve("master-origin"), "master");
                GitDaemon daemon = GitDaemon.serve(Files.createDirectories(tmp.resolve("served")), "master.git")) {
            master.write("a.yaml", "v: 1\n").commit("one");
            daemon.push(master);
            try (Git served = Git.open(tmp.resolve("served/master.git").toFile())) {
                served.getRepository().updateRef(Constants.HEAD).link("refs/heads/master"); // it was made with main
            }
            SourceSpec spec = new SourceSpec(daemon.url(), null, cacheRoot, GitCredentials.none());
            assertEquals("refs/heads/master", source.resolve(spec).ref());
            RevCommit second = master.write("a.yaml", "v: 2\n").commit("two");
            daemon.push(master);

            Snapshot again = source.resolve(spec);

            assertEquals("refs/heads/master", again.ref());
            assertEquals(second.name(), again.revision().sha());
        }
    }

    @Test
    void anEmptyRemoteHasNoDefaultBranch() {
        String empty;
        try (TestRepo bare = TestRepo.init(tmp.resolve("empty"), "main")) {
            empty = bare.dir().toUri().toString();
        }
        SourceUnavailableException e = assertThrows(SourceUnavailableException.class,
                () -> source.resolve(new SourceSpec(empty, null, cacheRoot, GitCredentials.none())));
        assertEquals(empty + " has no default branch (is it empty?)", e.getMessage());
    }

    @Test
    void laterResolvesFetchIntoTheSameCache() throws Exception {
        resolve(null);
        Path cache = cacheRoot.resolve(RepoAddress.parse(url).cacheName());
        assertEquals(List.of(cache, cacheRoot.resolve(cache.getFileName() + ".lock")), cacheEntries());
        assertTrue(Files.isDirectory(cache.resolve("objects")), "cache is a bare repository");

        RevCommit second = origin.write("app/deploy.yaml", "v: 2\n").write("app/svc.yaml", "s\n").commit("second");
        Snapshot snapshot = resolve(null);

        assertEquals(second.name(), snapshot.revision().sha());
        assertEquals(List.of("app/deploy.yaml", "app/svc.yaml"), snapshot.tree().list("app"));
        assertEquals("v: 2\n", new String(snapshot.tree().read("app/deploy.yaml"), StandardCharsets.UTF_8));
        assertEquals(List.of(cache, cacheRoot.resolve(cache.getFileName() + ".lock")), cacheEntries());
        // a fresh GitSource (as after a restart) reuses the cache too
        try (GitSource restarted = new GitSource()) {
            Snapshot again = restarted.resolve(new SourceSpec(url, first.name().substring(0, 8), cacheRoot, null));
            assertEquals(first.name(), again.revision().sha());
        }
        assertEquals(2, cacheEntries().size());
    }

    @Test
    void resolvesBranchesTagsAndCommitIdsFromTheCache() throws Exception {
        origin.git().tag().setName("v1").setObjectId(first).setAnnotated(false).call();
        origin.git().checkout().setCreateBranch(true).setName("next").call();
        RevCommit next = origin.write("next.yaml", "n\n").commit("next");

        assertEquals(next.name(), resolve("next").revision().sha());
        assertEquals("refs/heads/next", resolve("refs/heads/next").ref());
        assertEquals("refs/tags/v1", resolve("v1").ref());
        assertEquals(first.name(), resolve("v1").revision().sha());
        assertEquals(next.name(), resolve(next.name().substring(0, 7)).revision().sha());
        assertEquals("refs/heads/next", resolve("HEAD").ref(), "origin has next checked out");
    }

    @Test
    void branchDeletedOnTheRemoteIsGoneFromTheCache() throws Exception {
        origin.git().branchCreate().setName("short-lived").call();
        assertEquals(first.name(), resolve("short-lived").revision().sha());

        origin.git().branchDelete().setBranchNames("short-lived").setForce(true).call();

        SourceUnavailableException e = assertThrows(SourceUnavailableException.class, () -> resolve("short-lived"));
        assertEquals("ref 'short-lived' not found in " + url, e.getMessage());
    }

    @Test
    void otherFullRefsAreFetchedWhenAskedFor() throws Exception {
        RefUpdate update = origin.git().getRepository().updateRef("refs/pull/1/head");
        update.setNewObjectId(first);
        assertEquals(RefUpdate.Result.NEW, update.update());

        Snapshot snapshot = resolve("refs/pull/1/head");

        assertEquals(first.name(), snapshot.revision().sha());
        assertEquals("refs/pull/1/head", snapshot.ref());
    }

    @Test
    void missingRepositoryIsReported() throws Exception {
        url = Files.createDirectories(tmp.resolve("empty-dir")).toUri().toString();

        SourceUnavailableException e = assertThrows(SourceUnavailableException.class, () -> resolve(null));
        assertEquals("not a git repository: " + url, e.getMessage());
    }

    @Test
    void unreachableServerFailsFast() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        url = "http://127.0.0.1:" + closedPort + "/x.git";

        SourceUnavailableException e = assertTimeoutPreemptively(Duration.ofSeconds(15),
                () -> assertThrows(SourceUnavailableException.class, () -> resolve("main")));
        assertTrue(e.getMessage().startsWith("cannot reach " + url + ": "), e.getMessage());
        assertTrue(e.getMessage().lines().count() == 1, e.getMessage());
    }

    @Test
    void concurrentResolvesShareOneCacheSafely() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Snapshot>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> {
                    try (GitSource own = new GitSource()) {
                        Snapshot snapshot = own.resolve(new SourceSpec(url, null, cacheRoot, null));
                        snapshot.tree().list("");
                        return snapshot;
                    }
                }));
            }
            for (Future<Snapshot> result : results) {
                assertEquals(first.name(), result.get(30, TimeUnit.SECONDS).revision().sha());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(2, cacheEntries().size());
    }

    @Test
    void cacheRootIsRequiredForRemotes() {
        cacheRoot = null;
        assertThrows(dev.berth.core.BerthException.class, () -> resolve(null));
    }
}
