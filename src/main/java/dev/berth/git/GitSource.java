package dev.berth.git;

import dev.berth.core.BerthException;
import dev.berth.core.Revision;
import dev.berth.core.SourceUnavailableException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.RepositoryCache;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.util.FS;

/**
 * Resolves a {@link SourceSpec} to the committed tree of one commit. Local repositories are read in place; remote
 * ones are mirrored into a bare cache first, fetched incrementally on later calls.
 *
 * <p>Snapshots read lazily from repositories this object keeps open, one per repository and reused by later
 * {@link #resolve} calls, so a long-running reconciler holds a fixed number of them. {@link #close()} releases
 * them all, after which the snapshots' trees can no longer be read. Safe for concurrent use.
 */
public final class GitSource implements AutoCloseable {

    private static final List<RefSpec> MIRROR = List.of(
            new RefSpec("+refs/heads/*:refs/heads/*"), new RefSpec("+refs/tags/*:refs/tags/*"));

    private final Map<Path, Repository> repositories = new HashMap<>();
    private boolean closed;

    public Snapshot resolve(SourceSpec spec) {
        Objects.requireNonNull(spec, "spec");
        RepoAddress address = RepoAddress.parse(spec.repo());
        return address.remote() ? resolveRemote(address, spec) : resolveLocal(address, spec.ref());
    }

    /**
     * The commit the spec's ref points at now, from one ls-remote round trip (a local repository: its refs), with
     * no fetch and no tree read: what a poll compares with the revision applied. Empty when the ref names neither
     * the default branch, a branch nor a tag (a commit id never moves).
     */
    public Optional<String> peek(SourceSpec spec) {
        return peek(spec, RemoteAccess.TIMEOUT_SECONDS);
    }

    /** As {@link #peek(SourceSpec)}, giving up on a remote that does not answer within {@code timeoutSeconds}. */
    public Optional<String> peek(SourceSpec spec, int timeoutSeconds) {
        RepoAddress address = RepoAddress.parse(spec.repo());
        String ref = spec.ref() == null ? Constants.HEAD : spec.ref().trim();
        if (!address.remote()) {
            Snapshot head = resolveLocal(address, spec.ref());
            return Optional.of(head.revision().sha());
        }
        try (RemoteAccess remote = new RemoteAccess(address, spec.credentials(), timeoutSeconds)) {
            Map<String, Ref> refs = remote.advertised();
            for (String name : List.of(ref, Constants.R_HEADS + ref, Constants.R_TAGS + ref)) {
                Ref found = refs.get(name);
                if (found != null && found.getObjectId() != null) {
                    return Optional.of(found.getObjectId().name());
                }
            }
            return Optional.empty();
        }
    }

    /** Checks the signatures on what {@code spec} resolved to, as {@code policy} asks (see {@link SignatureVerifier}). */
    public Verification verify(SourceSpec spec, Snapshot snapshot, SignaturePolicy policy) {
        RepoAddress address = RepoAddress.parse(spec.repo());
        Path key = address.remote()
                ? spec.cacheRoot().toAbsolutePath().normalize().resolve(address.cacheName())
                : address.localPath();
        Repository repository;
        synchronized (this) {
            repository = repositories.get(key);
        }
        if (repository == null) {
            throw new IllegalStateException(spec.repo() + " was not resolved by this GitSource");
        }
        return new SignatureVerifier(policy).verify(repository, ObjectId.fromString(snapshot.revision().sha()),
                snapshot.ref());
    }

    private Snapshot resolveLocal(RepoAddress address, String ref) {
        Path path = address.localPath();
        Repository repository = open(path, () -> {
            FileRepositoryBuilder builder = new FileRepositoryBuilder().setMustExist(true);
            if (RepositoryCache.FileKey.isGitRepository(path.toFile(), FS.DETECTED)) {
                builder.setGitDir(path.toFile());
            } else if (Files.exists(path.resolve(Constants.DOT_GIT))) {
                builder.setWorkTree(path.toFile()); // also follows a ".git" file of a linked work tree
            } else {
                throw new SourceUnavailableException("not a git repository: " + path);
            }
            return builder.build();
        });
        return snapshot(repository, new RefResolver(repository, address.display()).resolve(ref), address.display());
    }

    @SuppressWarnings("try") // the lock is held for the whole block, not used in it
    private Snapshot resolveRemote(RepoAddress address, SourceSpec spec) {
        if (spec.cacheRoot() == null) {
            throw new BerthException("a cache directory is needed to read " + address.display());
        }
        Path cacheDir = spec.cacheRoot().toAbsolutePath().normalize().resolve(address.cacheName());
        try (CacheLock lock = CacheLock.acquire(cacheDir);
                RemoteAccess remote = new RemoteAccess(address, spec.credentials())) {
            boolean useDefault = spec.ref() == null || spec.ref().equals(Constants.HEAD);
            Repository cache = open(cacheDir, () -> openOrCreateCache(cacheDir));
            // the default branch is always under refs/heads/, which every fetch mirrors
            Map<String, Ref> advertised = remote.fetch(cache, refSpecs(useDefault ? Constants.HEAD : spec.ref().trim()));
            String ref = useDefault ? defaultBranch(head(advertised, remote), address) : spec.ref().trim();
            // Resolving under the lock, so a concurrent fetch cannot move or prune the ref in between.
            return snapshot(cache, new RefResolver(cache, address.display()).resolve(ref), address.display());
        } catch (IOException e) {
            throw new SourceUnavailableException(
                    "cannot use cache " + cacheDir + " for " + address.display() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The remote's HEAD as the fetch saw it. JGit asks for HEAD only while the cache's own HEAD (refs/heads/master)
     * does not resolve, and a protocol v2 server lists only what is asked for: once a master branch is mirrored, an
     * ls-remote tells it.
     */
    private static Ref head(Map<String, Ref> fetched, RemoteAccess remote) {
        Ref head = fetched.get(Constants.HEAD);
        return head != null ? head : remote.advertised().get(Constants.HEAD);
    }

    private static String defaultBranch(Ref head, RepoAddress address) {
        if (head == null || head.getObjectId() == null) {
            throw new SourceUnavailableException(address.display() + " has no default branch (is it empty?)");
        }
        // A server that does not say which branch HEAD is (or a detached HEAD) still tells its commit.
        return head.isSymbolic() ? head.getTarget().getName() : head.getObjectId().name();
    }

    /** Branches and tags always, so commit ids and later refs resolve; any other full ref only when asked for. */
    private static List<RefSpec> refSpecs(String ref) {
        List<RefSpec> specs = new ArrayList<>(MIRROR);
        if (ref.startsWith(Constants.R_REFS) && !ref.startsWith(Constants.R_HEADS) && !ref.startsWith(Constants.R_TAGS)) {
            specs.add(new RefSpec("+" + ref + ":" + ref));
        }
        return specs;
    }

    private static Repository openOrCreateCache(Path cacheDir) throws IOException {
        if (RepositoryCache.FileKey.isGitRepository(cacheDir.toFile(), FS.DETECTED)) {
            return new FileRepositoryBuilder().setGitDir(cacheDir.toFile()).setMustExist(true).build();
        }
        try {
            // The new Git wrapper is not closed: that would close the repository handed out here.
            return Git.init().setBare(true).setDirectory(cacheDir.toFile()).call().getRepository();
        } catch (GitAPIException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static Snapshot snapshot(Repository repository, RefResolver.Resolved resolved, String location) {
        Revision revision = new Revision(resolved.commit().name());
        return new Snapshot(revision, resolved.refName(),
                new CommitTreeReader(repository, resolved.commit().getTree(), revision, location));
    }

    private synchronized Repository open(Path key, RepositoryOpener opener) {
        if (closed) {
            throw new IllegalStateException("GitSource is closed");
        }
        Repository repository = repositories.get(key);
        if (repository == null) {
            try {
                repository = opener.open();
            } catch (IOException e) {
                throw new SourceUnavailableException("cannot open repository " + key + ": " + e.getMessage(), e);
            }
            repositories.put(key, repository);
        }
        return repository;
    }

    @Override
    public synchronized void close() {
        closed = true;
        repositories.values().forEach(Repository::close);
        repositories.clear();
    }

    private interface RepositoryOpener {
        Repository open() throws IOException;
    }
}
