package dev.berth.server;

import dev.berth.config.BerthConfig;
import dev.berth.testing.Prerequisites;
import dev.berth.testing.Processes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A self-signed certificate for 127.0.0.1 made by openssl, as a user makes one: {@code NAME.crt} and {@code NAME.key}
 * in a directory. The certificate is its own CA: a client trusts it with {@code --cacert NAME.crt}.
 */
public record TestCertificate(Path cert, Path key) {

    /** An EC P-256 key, written as PKCS#8 ({@code BEGIN PRIVATE KEY}), OpenSSL 3's default. */
    public static TestCertificate selfSigned(Path dir, String name, String commonName) {
        Prerequisites.requireBinaries("openssl");
        TestCertificate made = at(dir, name);
        Processes.run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-days", "2", "-subj", "/CN=" + commonName, "-addext", "subjectAltName=IP:127.0.0.1",
                "-keyout", made.key().toString(), "-out", made.cert().toString());
        return made;
    }

    /**
     * A certificate for the key that {@code keygen} writes (its last argument is the key file), to try the key
     * formats openssl writes: e.g. {@code openssl genrsa -traditional -out} for PKCS#1.
     */
    public static TestCertificate forKey(Path dir, String name, String... keygen) {
        Prerequisites.requireBinaries("openssl");
        TestCertificate made = at(dir, name);
        List<String> command = new ArrayList<>(List.of(keygen));
        command.add(made.key().toString());
        Processes.run(command.toArray(String[]::new));
        Processes.run("openssl", "req", "-x509", "-key", made.key().toString(), "-days", "2", "-subj", "/CN=" + name,
                "-addext", "subjectAltName=IP:127.0.0.1", "-out", made.cert().toString());
        return made;
    }

    private static TestCertificate at(Path dir, String name) {
        return new TestCertificate(dir.resolve(name + ".crt"), dir.resolve(name + ".key"));
    }

    public BerthConfig.Server.Tls tls() {
        return new BerthConfig.Server.Tls(cert, key);
    }
}
