package dev.berth.git;

import dev.berth.core.SourceUnavailableException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.LsRemoteCommand;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/** Talks to one remote repository with the configured credentials, timeout and ssh host key policy. */
final class RemoteAccess implements AutoCloseable {

    /** Per network operation, so an unreachable or stalled server fails instead of hanging a reconcile. */
    static final int TIMEOUT_SECONDS = 30;

    private final RepoAddress address;
    private final GitCredentials credentials;
    private final int timeoutSeconds;
    private StrictSshSessionFactory ssh;

    RemoteAccess(RepoAddress address, GitCredentials credentials) {
        this(address, credentials, TIMEOUT_SECONDS);
    }

    RemoteAccess(RepoAddress address, GitCredentials credentials, int timeoutSeconds) {
        this.address = address;
        this.credentials = credentials;
        this.timeoutSeconds = timeoutSeconds;
    }

    /** Every ref the remote advertises, by name: one round trip, nothing fetched. */
    Map<String, Ref> advertised() {
        try {
            return configure(new LsRemoteCommand(null).setRemote(address.raw())).callAsMap();
        } catch (GitAPIException | RuntimeException e) {
            throw failure(e);
        }
    }

    /**
     * Mirrors the remote's branches and tags (plus {@code extra}) into {@code cache}, dropping deleted ones; returns
     * what the remote advertised on that same connection (its HEAD included), so no separate ls-remote is needed.
     */
    Map<String, Ref> fetch(Repository cache, List<RefSpec> specs) {
        try {
            FetchResult result = configure(Git.wrap(cache).fetch())
                    .setRemote(address.raw())
                    .setRefSpecs(specs)
                    .setRemoveDeletedRefs(true)
                    .setTagOpt(TagOpt.NO_TAGS)
                    .call();
            return result.getAdvertisedRefs().stream().collect(Collectors.toMap(Ref::getName, ref -> ref));
        } catch (GitAPIException | RuntimeException e) {
            throw failure(e);
        }
    }

    private <C extends TransportCommand<C, ?>> C configure(C command) {
        command.setTimeout(timeoutSeconds);
        if (credentials.hasLogin()) {
            command.setCredentialsProvider(new UsernamePasswordCredentialsProvider(
                    credentials.username() == null ? "" : credentials.username(),
                    credentials.password() == null ? "" : credentials.password()));
        }
        command.setTransportConfigCallback(transport -> {
            if (transport instanceof SshTransport sshTransport) {
                sshTransport.setSshSessionFactory(sshFactory());
            }
        });
        return command;
    }

    private synchronized StrictSshSessionFactory sshFactory() {
        if (ssh == null) {
            ssh = new StrictSshSessionFactory(credentials.knownHostsOrDefault(), credentials.sshKey());
        }
        return ssh;
    }

    private SourceUnavailableException failure(Exception e) {
        return TransportErrors.explain(address, e, credentials, ssh);
    }

    @Override
    public synchronized void close() {
        if (ssh != null) {
            ssh.close();
        }
    }
}
