package dev.berth.server;

import dev.berth.config.BerthConfig;
import dev.berth.core.BerthException;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the certificate and key of {@code server.tls}, and reads them again when either file changes (a renewal by
 * cert-manager, certbot or a Secret volume's swap), with no restart. The check is two {@code stat} calls per
 * handshake. A pair that cannot be read (the certificate written, its key not yet) leaves the previous one in
 * service until the files change again.
 */
final class ReloadingKeyManager extends X509ExtendedKeyManager {

    private static final Logger LOG = LoggerFactory.getLogger(ReloadingKeyManager.class);

    /** What the files looked like when last read: a change of either means read them again. */
    private record Stamp(FileStamp cert, FileStamp key) {}

    /** Null for a file that cannot be read: a change like any other, which reading the pair then explains. */
    private record FileStamp(FileTime modified, long size) {
        static FileStamp of(Path file) {
            try {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                return new FileStamp(attributes.lastModifiedTime(), attributes.size());
            } catch (IOException e) {
                return null;
            }
        }
    }

    /** One generation of the pair; the alias names the generation, so a handshake keeps the pair it chose. */
    private record Loaded(String alias, PemKeyPair pair) {}

    private final Path certFile;
    private final Path keyFile;
    private Stamp seen; // guarded by this
    private int generation; // guarded by this
    private volatile Loaded current;
    private volatile Loaded previous;

    /** Reads the pair now: a bad certificate or key fails the start, naming the file. */
    ReloadingKeyManager(BerthConfig.Server.Tls tls) {
        this.certFile = tls.cert();
        this.keyFile = tls.key();
        this.seen = stamp();
        this.current = load();
    }

    /** A TLS context serving this key manager's pair. */
    SSLContext context() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {this}, null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is part of every JDK", e);
        }
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return chooseServerAlias(keyType, issuers, null);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        refresh();
        Loaded loaded = current;
        return keyType.equals(loaded.pair().key().getAlgorithm()) ? loaded.alias() : null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        Loaded loaded = byAlias(alias);
        return loaded == null ? null : loaded.pair().chain().toArray(X509Certificate[]::new);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        Loaded loaded = byAlias(alias);
        return loaded == null ? null : loaded.pair().key();
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        String alias = chooseServerAlias(keyType, issuers, null);
        return alias == null ? null : new String[] {alias};
    }

    /** A server presents no client certificate. */
    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    private Loaded byAlias(String alias) {
        Loaded now = current;
        Loaded before = previous;
        if (now.alias().equals(alias)) {
            return now;
        }
        return before != null && before.alias().equals(alias) ? before : null;
    }

    private synchronized void refresh() {
        Stamp now = stamp();
        if (now.equals(seen)) {
            return;
        }
        seen = now; // tried once per change, whatever comes of it: no retry (and no warning) at every handshake
        try {
            Loaded loaded = load();
            previous = current;
            current = loaded;
        } catch (BerthException e) {
            LOG.warn("{}; serving the certificate read before until the files change again", e.getMessage());
        }
    }

    private Loaded load() {
        PemKeyPair pair = PemKeyPair.read(certFile, keyFile);
        X509Certificate leaf = pair.chain().get(0);
        LOG.info("TLS certificate from {}: {}, valid until {}", certFile, leaf.getSubjectX500Principal().getName(),
                leaf.getNotAfter().toInstant());
        return new Loaded("berth-" + ++generation, pair);
    }

    private Stamp stamp() {
        return new Stamp(FileStamp.of(certFile), FileStamp.of(keyFile));
    }
}
