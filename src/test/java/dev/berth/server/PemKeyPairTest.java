package dev.berth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.BerthException;
import dev.berth.testing.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Security;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** server.tls's PEM files as openssl, cert-manager and certbot write them, and the mistakes people make with them. */
class PemKeyPairTest {

    @TempDir
    Path dir;

    @Test
    void readsPkcs8Pkcs1AndSec1Keys() throws Exception {
        TestCertificate pkcs8 = TestCertificate.selfSigned(dir, "pkcs8", "127.0.0.1");
        TestCertificate pkcs1 = TestCertificate.forKey(dir, "pkcs1", "openssl", "genrsa", "-traditional", "-out");
        TestCertificate sec1 = TestCertificate.forKey(dir, "sec1", "openssl", "ecparam", "-name", "prime256v1",
                "-genkey", "-out");

        assertTrue(Files.readString(pkcs8.key()).startsWith("-----BEGIN PRIVATE KEY-----"));
        assertTrue(Files.readString(pkcs1.key()).startsWith("-----BEGIN RSA PRIVATE KEY-----"));
        assertTrue(Files.readString(sec1.key()).startsWith("-----BEGIN EC PARAMETERS-----"), "parameters come first");
        assertEquals("EC", PemKeyPair.read(pkcs8.cert(), pkcs8.key()).key().getAlgorithm());
        assertEquals("RSA", PemKeyPair.read(pkcs1.cert(), pkcs1.key()).key().getAlgorithm());
        PemKeyPair pair = PemKeyPair.read(sec1.cert(), sec1.key());
        assertEquals("EC", pair.key().getAlgorithm());
        assertEquals("CN=sec1", pair.chain().get(0).getSubjectX500Principal().getName());
    }

    @Test
    void keysAreTheJdksEvenWithBouncyCastleRegistered() {
        TestCertificate certificate = TestCertificate.selfSigned(dir, "server", "127.0.0.1");
        boolean added = Security.addProvider(new BouncyCastleProvider()) != -1; // as Apache MINA sshd does
        try {
            assertEquals("EC", PemKeyPair.read(certificate.cert(), certificate.key()).key().getAlgorithm(),
                    "the name JSSE looks for");
        } finally {
            if (added) {
                Security.removeProvider(BouncyCastleProvider.PROVIDER_NAME);
            }
        }
    }

    @Test
    void filesThatCannotServeAreClearErrorsNamingTheFile() throws Exception {
        TestCertificate good = TestCertificate.selfSigned(dir, "good", "127.0.0.1");
        TestCertificate other = TestCertificate.selfSigned(dir, "other", "127.0.0.1");
        Path missing = dir.resolve("missing.crt");
        Path garbage = Files.writeString(dir.resolve("garbage.key"),
                "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n");
        Path encrypted = dir.resolve("encrypted.key");
        Processes.run("openssl", "pkcs8", "-topk8", "-v2", "aes256", "-passout", "pass:x", "-in", good.key().toString(),
                "-out", encrypted.toString());

        assertEquals("certificate file " + missing + " not found", error(missing, good.key()));
        assertEquals("private key file " + missing + " not found", error(good.cert(), missing));
        assertTrue(error(good.key(), good.key()).startsWith(good.key() + " "), "a key given as the certificate");
        assertEquals(good.cert() + " holds no private key (expected -----BEGIN PRIVATE KEY-----, -----BEGIN RSA "
                + "PRIVATE KEY----- or -----BEGIN EC PRIVATE KEY-----)", error(good.cert(), good.cert()));
        assertTrue(error(good.cert(), garbage).startsWith("cannot read the private key in " + garbage + ": "));
        assertTrue(error(good.cert(), encrypted).startsWith("the private key in " + encrypted + " is encrypted"));
        assertEquals("the private key in " + other.key() + " does not belong to the certificate in " + good.cert()
                + " (CN=127.0.0.1): give server.tls the key the certificate was issued for",
                error(good.cert(), other.key()));
    }

    private static String error(Path cert, Path key) {
        return assertThrows(BerthException.class, () -> PemKeyPair.read(cert, key)).getMessage();
    }
}
