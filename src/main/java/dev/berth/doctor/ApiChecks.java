package dev.berth.doctor;

import dev.berth.client.PemCertificates;
import dev.berth.config.BerthConfig;
import dev.berth.core.BerthException;
import dev.berth.server.Secret;
import dev.berth.server.TlsFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;

/** {@code berth watch}'s server: the address it listens on, its API token, webhook secret and TLS pair. */
public final class ApiChecks implements CheckGroup {

    /** A certificate closer to its end than this is to be renewed. */
    static final Duration RENEW_BEFORE = Duration.ofDays(14);
    private static final int PROBE_TIMEOUT_MILLIS = 2000;

    private final BerthConfig.Server server;
    private final Clock clock;

    public ApiChecks(BerthConfig.Server server, Clock clock) {
        this.server = server;
        this.clock = clock;
    }

    @Override
    public String topic() {
        return "api";
    }

    @Override
    public List<Check> run() {
        return List.of(listen(),
                secret("token", server.tokenFile(), "server.tokenFile", "the API is off (berth status --server "
                        + "and plan --against server: cannot ask this node)"),
                secret("webhook-secret", server.webhookSecretFile(), "server.webhookSecretFile", "webhooks are off"),
                tls());
    }

    private Check listen() {
        String listen = server.listen() != null ? server.listen() : BerthConfig.Server.DEFAULT_LISTEN;
        int colon = listen.lastIndexOf(':');
        InetSocketAddress address;
        try {
            if (colon < 1) {
                throw new IllegalArgumentException("no host");
            }
            String host = listen.substring(0, colon).replaceAll("^\\[|]$", ""); // [::1]:7420
            address = new InetSocketAddress(host, Integer.parseInt(listen.substring(colon + 1)));
        } catch (IllegalArgumentException e) { // a port that is no number, or out of range
            return Check.error("listen", "server.listen \"" + listen + "\" is not HOST:PORT", "e.g. 127.0.0.1:7420");
        }
        if (address.isUnresolved()) {
            return Check.error("listen", "server.listen " + listen + ": no such host", "name an address of this node");
        }
        String scheme = server.tls() == null ? "plain HTTP" : "HTTPS";
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(address);
        } catch (BindException e) {
            if (!inUse(e)) {
                return Check.error("listen", "cannot listen on " + listen + " (" + e.getMessage() + ")",
                        "set server.listen to an address of this node");
            }
            if (!answersAsBerth(address)) {
                return Check.error("listen", listen + " is taken by another program: berth watch cannot start",
                        "stop that program, or set server.listen to a free port");
            }
            return clearText(address) ? exposed(listen)
                    : Check.ok("listen", listen + ": berth watch answers there (" + scheme + ")");
        } catch (IOException e) {
            return Check.error("listen", "cannot listen on " + listen + " (" + e.getMessage() + ")",
                    "set server.listen to an address of this node");
        }
        return clearText(address) ? exposed(listen) : Check.ok("listen", listen + " is free (" + scheme + ")");
    }

    private boolean clearText(InetSocketAddress address) {
        return server.tls() == null && !address.getAddress().isLoopbackAddress();
    }

    /** ApiServer says the same at its start. */
    private static Check exposed(String listen) {
        return Check.warn("listen", listen + " without TLS: the API token, the page's login and its content cross "
                + "the network in clear text", "set server.tls (cert, key) in the config to serve HTTPS");
    }

    private static boolean inUse(BindException e) {
        return e.getMessage() != null && e.getMessage().contains("in use");
    }

    /** Whether what listens there answers /healthz as berth watch does; over TLS trusting the configured pair. */
    private boolean answersAsBerth(InetSocketAddress address) {
        try (Socket socket = server.tls() == null ? new Socket()
                : PemCertificates.trusting(server.tls().cert()).getSocketFactory().createSocket()) {
            socket.connect(address, PROBE_TIMEOUT_MILLIS);
            socket.setSoTimeout(PROBE_TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /healthz HTTP/1.1\r\nHost: " + address.getHostString() + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
            return answer.startsWith("HTTP/1.1 200") && answer.contains("\"alive\"");
        } catch (IOException | BerthException e) {
            return false;
        }
    }

    private static Check secret(String name, Path file, String key, String whenNone) {
        if (file == null) {
            return Check.ok(name, "no " + key + ": " + whenNone);
        }
        try {
            Secret.fromFile(file); // read as the server reads it; its value is never shown
        } catch (BerthException e) {
            return Check.error(name, e.getMessage() + " (" + key + ")", "write one: head -c 32 /dev/urandom | base64 > "
                    + file + " && chmod 600 " + file);
        }
        return readableByOthers(file) ? Check.warn(name, file + " can be read by other users (" + key + ")",
                "chmod 600 " + file) : Check.ok(name, file + ", readable by its owner only; not shown");
    }

    private Check tls() {
        BerthConfig.Server.Tls tls = server.tls();
        if (tls == null) {
            return Check.ok("tls", "no server.tls: the server speaks plain HTTP");
        }
        X509Certificate leaf;
        try {
            leaf = TlsFiles.leaf(tls);
        } catch (BerthException e) {
            return Check.error("tls", e.getMessage(), "give server.tls a certificate and its private key, in PEM");
        }
        Instant now = clock.instant();
        Instant notAfter = leaf.getNotAfter().toInstant();
        String subject = leaf.getSubjectX500Principal().getName() + " (" + tls.cert() + ")";
        if (now.isBefore(leaf.getNotBefore().toInstant())) {
            return Check.error("tls", subject + " is not valid before " + leaf.getNotBefore().toInstant(),
                    "check the clock, or use a certificate valid now");
        }
        if (!now.isBefore(notAfter)) {
            return Check.error("tls", subject + " expired at " + notAfter, "renew it: berth watch takes the new pair "
                    + "without a restart");
        }
        long days = ChronoUnit.DAYS.between(now, notAfter);
        if (Duration.between(now, notAfter).compareTo(RENEW_BEFORE) < 0) {
            return Check.warn("tls", subject + " expires at " + notAfter + ", in " + days + " days",
                    "renew it: berth watch takes the new pair without a restart");
        }
        if (readableByOthers(tls.key())) {
            return Check.warn("tls", "the private key " + tls.key() + " can be read by other users",
                    "chmod 600 " + tls.key());
        }
        return Check.ok("tls", subject + ", valid until " + notAfter + " (" + days + " days); key " + tls.key()
                + " readable by its owner only");
    }

    private static boolean readableByOthers(Path file) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            return permissions.contains(PosixFilePermission.GROUP_READ)
                    || permissions.contains(PosixFilePermission.OTHERS_READ);
        } catch (IOException e) {
            return false;
        }
    }
}
