package dev.berth.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.berth.config.BerthConfig;
import dev.berth.testing.Prerequisites;
import dev.berth.testing.Processes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** berth watch's address, token, webhook secret and TLS pair; servers on 127.0.0.1 stand in for a running daemon. */
class DoctorApiChecksTest {

    private static final String TOKEN = "api-token-never-printed";

    @TempDir
    Path tmp;
    Clock clock = Clock.systemUTC();

    private List<Check> run(String listen, Path token, BerthConfig.Server.Tls tls) {
        BerthConfig.Server server = new BerthConfig.Server(listen, token, null, false, null, null, null, tls,
                BerthConfig.Server.Limits.NONE);
        return new ApiChecks(server, clock).run();
    }

    private Check check(String name, String listen, Path token, BerthConfig.Server.Tls tls) {
        return run(listen, token, tls).stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void aFreeLoopbackAddressWithNothingConfiguredIsAllOk() throws IOException {
        List<Check> checks = run("127.0.0.1:" + freePort(), null, null);
        assertEquals(List.of("listen", "token", "webhook-secret", "tls"), checks.stream().map(Check::name).toList());
        checks.forEach(c -> assertEquals(Check.Status.OK, c.status(), c::toString));
        assertTrue(checks.get(0).message().endsWith(" is free (plain HTTP)"), checks.get(0).message());
    }

    @Test
    void anAddressTakenByBerthIsFineButByAnotherProgramNot() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] alive = "{\"status\":\"ok\",\"message\":\"alive\"}".getBytes(StandardCharsets.UTF_8);
        server.createContext("/healthz", exchange -> {
            exchange.sendResponseHeaders(200, alive.length);
            exchange.getResponseBody().write(alive);
            exchange.close();
        });
        server.start();
        HttpServer other = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        other.start(); // 404 for everything
        try {
            Check berth = check("listen", "127.0.0.1:" + server.getAddress().getPort(), null, null);
            assertEquals(Check.Status.OK, berth.status(), berth::toString);
            assertTrue(berth.message().contains("berth watch answers there"), berth.message());

            Check taken = check("listen", "127.0.0.1:" + other.getAddress().getPort(), null, null);
            assertEquals(Check.Status.ERROR, taken.status(), taken::toString);
            assertTrue(taken.message().contains("taken by another program"), taken.message());
        } finally {
            server.stop(0);
            other.stop(0);
        }
    }

    @Test
    void anAddressOffTheMachineOrWithoutTlsOnTheNetworkIsToldSo() throws IOException {
        assertEquals(Check.Status.ERROR, check("listen", "no-port", null, null).status());
        assertEquals(Check.Status.ERROR, check("listen", "7420", null, null).status());
        Check clear = check("listen", "0.0.0.0:" + freePort(), null, null);
        assertEquals(Check.Status.WARN, clear.status(), clear::toString);
        assertTrue(clear.fix().contains("server.tls"), clear.fix());
    }

    @Test
    void theTokenFileIsReadAsTheServerReadsItAndNeverShown() throws IOException {
        Path token = Files.writeString(tmp.resolve("token"), TOKEN + "\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        Check ok = check("token", "127.0.0.1:" + freePort(), token, null);
        assertEquals(Check.Status.OK, ok.status(), ok::toString);
        assertFalse(ok.toString().contains(TOKEN));

        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));
        Check readable = check("token", "127.0.0.1:" + freePort(), token, null);
        assertEquals(Check.Status.WARN, readable.status());
        assertEquals("chmod 600 " + token, readable.fix());
        assertFalse(readable.toString().contains(TOKEN));

        Files.writeString(token, "\n");
        assertEquals(Check.Status.ERROR, check("token", "127.0.0.1:" + freePort(), token, null).status());
        Check missing = check("token", "127.0.0.1:" + freePort(), tmp.resolve("nope"), null);
        assertEquals(Check.Status.ERROR, missing.status());
        assertTrue(missing.message().contains("server.tokenFile"), missing.message());
    }

    @Test
    void theTlsPairIsReadAndItsDatesChecked() throws IOException {
        BerthConfig.Server.Tls pair = certificate("node", 30);
        String listen = "127.0.0.1:" + freePort();
        Check ok = check("tls", listen, null, pair);
        assertEquals(Check.Status.OK, ok.status(), ok::toString);
        assertTrue(ok.message().startsWith("CN=node (" + pair.cert() + "), valid until"), ok.message());

        clock = Clock.offset(Clock.systemUTC(), Duration.ofDays(20));
        Check soon = check("tls", listen, null, pair);
        assertEquals(Check.Status.WARN, soon.status(), soon::toString);
        assertTrue(soon.fix().startsWith("renew it"), soon.fix());

        clock = Clock.fixed(Instant.now().plus(Duration.ofDays(31)), ZoneOffset.UTC);
        assertEquals(Check.Status.ERROR, check("tls", listen, null, pair).status());
        clock = Clock.fixed(Instant.now().minus(Duration.ofDays(1)), ZoneOffset.UTC);
        assertEquals(Check.Status.ERROR, check("tls", listen, null, pair).status());

        clock = Clock.systemUTC();
        BerthConfig.Server.Tls other = certificate("other", 30);
        Check mismatch = check("tls", listen, null, new BerthConfig.Server.Tls(pair.cert(), other.key()));
        assertEquals(Check.Status.ERROR, mismatch.status());
        assertTrue(mismatch.message().contains("does not belong to the certificate"), mismatch.message());
    }

    /** A self-signed EC certificate valid for {@code days}, as openssl makes one; its key readable by root only. */
    private BerthConfig.Server.Tls certificate(String name, int days) {
        Prerequisites.requireBinaries("openssl");
        Path cert = tmp.resolve(name + ".crt");
        Path key = tmp.resolve(name + ".key");
        Processes.run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-days", String.valueOf(days), "-subj", "/CN=" + name, "-keyout", key.toString(), "-out",
                cert.toString());
        return new BerthConfig.Server.Tls(cert, key);
    }
}
