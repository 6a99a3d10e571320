package dev.berth.server;

import dev.berth.config.BerthConfig;
import java.security.cert.X509Certificate;

/** The checks {@code berth watch} makes of {@code server.tls} at its start, for {@code berth doctor} to make first. */
public final class TlsFiles {

    private TlsFiles() {}

    /**
     * The certificate the server would present, once the pair is read as the server reads it: a file that cannot be
     * read, a key that is encrypted or not the certificate's, fails with the reason and the file.
     */
    public static X509Certificate leaf(BerthConfig.Server.Tls tls) {
        return PemKeyPair.read(tls.cert(), tls.key()).chain().get(0);
    }
}
