package dev.berth.client;

import dev.berth.core.BerthException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * X.509 certificates from a PEM file: the daemon's certificate chain, or the CA a client trusts ({@code --cacert}).
 * Every failure names the file.
 */
public final class PemCertificates {

    private PemCertificates() {}

    /** The certificates in {@code file}, in their order; at least one. */
    public static List<X509Certificate> read(Path file) {
        List<X509Certificate> certificates;
        try (InputStream in = Files.newInputStream(file)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast).toList();
        } catch (NoSuchFileException e) {
            throw new BerthException("certificate file " + file + " not found", e);
        } catch (IOException e) {
            throw new BerthException("cannot read certificate file " + file + ": " + e.getMessage(), e);
        } catch (CertificateException e) {
            throw new BerthException(file + " is not a PEM certificate file (-----BEGIN CERTIFICATE-----): "
                    + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw new BerthException(file + " holds no certificate (expected -----BEGIN CERTIFICATE-----)");
        }
        return certificates;
    }

    /** A TLS context that trusts exactly the certificates in {@code caFile}, as {@code curl --cacert} does. */
    public static SSLContext trusting(Path caFile) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            List<X509Certificate> certificates = read(caFile);
            for (int i = 0; i < certificates.size(); i++) {
                store.setCertificateEntry("ca-" + i, certificates.get(i));
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new BerthException("cannot trust the certificates in " + caFile + ": " + e.getMessage(), e);
        }
    }
}
