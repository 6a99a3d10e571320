package dev.berth.git;

import java.io.File;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;

/**
 * SSH through Apache MINA that only trusts host keys already listed in one known_hosts file, whatever the user's
 * ~/.ssh/config says: an unattended reconciler has nobody to ask about a new key. Remembers the last rejected host
 * so the caller can explain the failure, which jgit reports only vaguely.
 */
final class StrictSshSessionFactory extends SshdSessionFactory {

    private final Path knownHosts;
    private final Path identity;
    private volatile String rejectedHost;

    StrictSshSessionFactory(Path knownHosts, Path identity) {
        this.knownHosts = knownHosts;
        this.identity = identity;
    }

    String rejectedHost() {
        return rejectedHost;
    }

    Path knownHosts() {
        return knownHosts;
    }

    @Override
    protected List<Path> getDefaultKnownHostsFiles(File sshDir) {
        return List.of(knownHosts);
    }

    @Override
    protected List<Path> getDefaultIdentities(File sshDir) {
        return identity != null ? List.of(identity) : super.getDefaultIdentities(sshDir);
    }

    @Override
    protected ServerKeyDatabase createServerKeyDatabase(File homeDir, File sshDir) {
        ServerKeyDatabase delegate = super.createServerKeyDatabase(homeDir, sshDir);
        return new ServerKeyDatabase() {
            @Override
            public List<PublicKey> lookup(String host, InetSocketAddress address, Configuration config) {
                return delegate.lookup(host, address, strict(config));
            }

            @Override
            public boolean accept(String host, InetSocketAddress address, PublicKey key, Configuration config,
                    CredentialsProvider provider) {
                boolean accepted = delegate.accept(host, address, key, strict(config), null);
                if (!accepted) {
                    rejectedHost = host;
                }
                return accepted;
            }
        };
    }

    private ServerKeyDatabase.Configuration strict(ServerKeyDatabase.Configuration config) {
        return new ServerKeyDatabase.Configuration() {
            @Override
            public List<String> getUserKnownHostsFiles() {
                return List.of(knownHosts.toString());
            }

            @Override
            public List<String> getGlobalKnownHostsFiles() {
                return List.of();
            }

            @Override
            public StrictHostKeyChecking getStrictHostKeyChecking() {
                return StrictHostKeyChecking.REQUIRE_MATCH;
            }

            @Override
            public boolean getHashKnownHosts() {
                return false;
            }

            @Override
            public String getUsername() {
                return config.getUsername();
            }
        };
    }
}
