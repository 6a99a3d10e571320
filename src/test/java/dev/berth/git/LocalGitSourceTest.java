package dev.berth.git;

import dev.berth.testing.TestRepo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.BerthException;
import dev.berth.core.SourceUnavailableException;
import dev.berth.core.TreeReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalGitSourceTest {

    @TempDir
    Path tmp;

    private final GitSource source = new GitSource();
    private TestRepo repo;
    private RevCommit first;
    private RevCommit second;
    private RevCommit feature;

    /** main: first (a, dir/b, dir/sub/c, old) -> second (old deleted, a changed); feature: first -> feature; tag v1 = first. */
    @BeforeEach
    void buildHistory() throws Exception {
        repo = TestRepo.init(tmp.resolve("repo"), "main");
        first = repo.write("a.yaml", "a: 1\n").write("dir/b.yaml", "b: 1\n").write("dir/sub/c.yaml", "c: 1\n")
                .write("old.yaml", "old\n").commit("first");
        repo.git().tag().setName("v1").setMessage("release 1").setAnnotated(true).setObjectId(first).setSigned(false).call();
        repo.git().checkout().setCreateBranch(true).setName("feature").call();
        feature = repo.write("feature.yaml", "f\n").commit("feature");
        repo.git().checkout().setName("main").call();
        second = repo.write("a.yaml", "a: 2\n").delete("old.yaml").commit("second");
    }

    @AfterEach
    void close() {
        source.close();
        repo.close();
    }

    private Snapshot resolve(String ref) {
        return source.resolve(new SourceSpec(repo.dir().toString(), ref, tmp.resolve("cache"), GitCredentials.none()));
    }

    private static String text(TreeReader tree, String path) {
        return new String(tree.read(path), StandardCharsets.UTF_8);
    }

    @Test
    void readsCommittedContentNotTheWorkTree() throws Exception {
        repo.write("a.yaml", "a: uncommitted\n").write("untracked.yaml", "u\n");

        Snapshot snapshot = resolve(null);

        assertEquals(second.name(), snapshot.revision().sha());
        assertEquals("refs/heads/main", snapshot.ref());
        assertEquals(List.of("a.yaml", "dir/b.yaml", "dir/sub/c.yaml"), snapshot.tree().list(""));
        assertEquals("a: 2\n", text(snapshot.tree(), "a.yaml"));
        assertFalse(Files.exists(tmp.resolve("cache")), "local repositories are read in place");
    }

    @Test
    void listsAndReadsDirectories() {
        TreeReader tree = resolve(null).tree();

        assertEquals(List.of("dir/b.yaml", "dir/sub/c.yaml"), tree.list("dir"));
        assertEquals(List.of("dir/sub/c.yaml"), tree.list("dir/sub/"));
        assertEquals(List.of(), tree.list("missing"));
        assertEquals(List.of(), tree.list("a.yaml"));
        assertTrue(tree.isDirectory(""));
        assertTrue(tree.isDirectory("dir/sub"));
        assertFalse(tree.isDirectory("a.yaml"));
        assertFalse(tree.isDirectory("nope"));
        assertEquals("c: 1\n", text(tree, "dir/sub/c.yaml"));
        assertEquals(repo.dir().toAbsolutePath() + "@" + second.name().substring(0, 12), tree.describe());
    }

    @Test
    void missingFileNamesPathAndCommit() {
        TreeReader tree = resolve(null).tree();

        BerthException e = assertThrows(BerthException.class, () -> tree.read("old.yaml"));
        assertTrue(e.getMessage().contains("'old.yaml'"), e.getMessage());
        assertTrue(e.getMessage().contains(second.name().substring(0, 12)), e.getMessage());
        assertThrows(BerthException.class, () -> tree.read("dir"));
    }

    @Test
    void resolvesBranchTagFullRefAndCommitIds() {
        assertSnapshot(resolve("feature"), feature, "refs/heads/feature");
        assertSnapshot(resolve("refs/heads/feature"), feature, "refs/heads/feature");
        assertSnapshot(resolve("v1"), first, "refs/tags/v1");
        assertSnapshot(resolve("refs/tags/v1"), first, "refs/tags/v1");
        assertSnapshot(resolve("main"), second, "refs/heads/main");
        assertSnapshot(resolve(first.name()), first, first.name());
        assertSnapshot(resolve(first.name().substring(0, 7)), first, first.name());
        assertSnapshot(resolve(first.name().substring(0, 10).toUpperCase()), first, first.name());
    }

    private static void assertSnapshot(Snapshot snapshot, RevCommit commit, String ref) {
        assertEquals(commit.name(), snapshot.revision().sha());
        assertEquals(ref, snapshot.ref());
    }

    @Test
    void olderCommitsShowTheirOwnTree() {
        TreeReader tree = resolve("v1").tree();

        assertEquals(List.of("a.yaml", "dir/b.yaml", "dir/sub/c.yaml", "old.yaml"), tree.list(""));
        assertEquals("a: 1\n", text(tree, "a.yaml"));
        assertEquals(List.of("a.yaml", "dir/b.yaml", "dir/sub/c.yaml", "feature.yaml", "old.yaml"),
                resolve("feature").tree().list("").stream().sorted().toList());
    }

    @Test
    void unknownRefIsReportedByName() {
        SourceUnavailableException e = assertThrows(SourceUnavailableException.class, () -> resolve("nope"));
        assertEquals("ref 'nope' not found in " + repo.dir().toAbsolutePath(), e.getMessage());
        assertThrows(SourceUnavailableException.class, () -> resolve("deadbeefdeadbeef"));
        assertThrows(SourceUnavailableException.class, () -> resolve("refs/heads/nope"));
    }

    @Test
    void refToANonCommitIsRejected() {
        String treeId = first.getTree().name();
        SourceUnavailableException e = assertThrows(SourceUnavailableException.class, () -> resolve(treeId));
        assertTrue(e.getMessage().contains("not a commit"), e.getMessage());
    }

    @Test
    void plainDirectoryIsNotARepository() throws Exception {
        Path plain = Files.createDirectories(tmp.resolve("plain"));
        SourceUnavailableException e = assertThrows(SourceUnavailableException.class,
                () -> source.resolve(new SourceSpec(plain.toString(), null, null, null)));
        assertEquals("not a git repository: " + plain.toAbsolutePath(), e.getMessage());
    }

    @Test
    void readsBareRepositoryInPlace() throws Exception {
        Path bare = tmp.resolve("bare.git");
        Git.cloneRepository().setURI(repo.dir().toUri().toString()).setDirectory(bare.toFile()).setBare(true).call().close();

        Snapshot snapshot = source.resolve(new SourceSpec(bare.toString(), null, null, null));

        assertSnapshot(snapshot, second, "refs/heads/main");
        assertEquals("a: 2\n", text(snapshot.tree(), "a.yaml"));
    }

    @Test
    void skipsSymlinks() throws Exception {
        Files.createSymbolicLink(repo.dir().resolve("link.yaml"), Path.of("a.yaml"));
        repo.commit("link");

        assertEquals(List.of("a.yaml", "dir/b.yaml", "dir/sub/c.yaml"), resolve(null).tree().list(""));
        assertThrows(BerthException.class, () -> resolve(null).tree().read("link.yaml"));
    }

    @Test
    void treeStaysReadableAfterResolveUntilClose() {
        TreeReader tree = resolve(null).tree();
        assertEquals("b: 1\n", text(tree, "dir/b.yaml"));
        source.close();
        assertThrows(IllegalStateException.class, () -> resolve(null));
    }
}
