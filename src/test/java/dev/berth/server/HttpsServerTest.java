package dev.berth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.berth.client.ApiClient;
import dev.berth.client.PemCertificates;
import dev.berth.config.BerthConfig;
import dev.berth.core.BerthException;
import dev.berth.core.SourceUnavailableException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * server.tls over a real socket on 127.0.0.1 with openssl's self-signed certificates: HTTPS, the client's trust
 * (--cacert / $BERTH_CACERT, else the system's CAs), a renewal served without a restart, the Secure cookie, and the
 * warning for a server that listens beyond loopback in clear text.
 */
class HttpsServerTest {

    private static final String TOKEN = "tls-token-0123456789";

    @TempDir
    Path dir;

    private static ApiServer start(String host, BerthConfig.Server.Tls tls) {
        ApiServer server = new ApiServer(new ApiServer.Options(new InetSocketAddress(host, 0), Secret.of(TOKEN), false,
                () -> true, tls));
        server.start();
        return server;
    }

    private static URI url(ApiServer server) {
        return URI.create("https://127.0.0.1:" + server.address().getPort());
    }

    /** The subject of the certificate the server presents to a new connection (no session to resume). */
    private static String presented(ApiServer server, Path trusted) throws Exception {
        try (SSLSocket socket = (SSLSocket) PemCertificates.trusting(trusted).getSocketFactory()
                .createSocket("127.0.0.1", server.address().getPort())) {
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
        }
    }

    @Test
    void aClientThatTrustsTheCaReadsTheApiOverHttps() {
        TestCertificate certificate = TestCertificate.selfSigned(dir, "server", "127.0.0.1");
        try (ApiServer server = start("127.0.0.1", certificate.tls())) {
            assertEquals("ok", new ApiClient(url(server), TOKEN, certificate.cert()).get("/healthz")
                    .path("status").asString());
        }
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateSaysHowToTrustIt() {
        TestCertificate certificate = TestCertificate.selfSigned(dir, "server", "127.0.0.1");
        TestCertificate other = TestCertificate.selfSigned(dir, "other", "127.0.0.1");
        try (ApiServer server = start("127.0.0.1", certificate.tls())) {
            for (Path ca : java.util.Arrays.asList(null, other.cert())) { // the system's CAs, then another CA
                SourceUnavailableException e = assertThrows(SourceUnavailableException.class,
                        () -> new ApiClient(url(server), TOKEN, ca).get("/healthz"));
                assertTrue(e.getMessage().startsWith("TLS handshake with " + url(server) + "/healthz failed: "),
                        e.getMessage());
                assertTrue(e.getMessage().endsWith("set BERTH_CACERT to that CA's PEM file)"), e.getMessage());
            }
        }
    }

    @Test
    void aRenewedCertificateIsServedWithoutARestart() throws Exception {
        TestCertificate served = TestCertificate.selfSigned(dir, "served", "127.0.0.1");
        TestCertificate renewal = TestCertificate.selfSigned(Files.createDirectories(dir.resolve("renewal")),
                "served", "renewed");
        Path both = Files.writeString(dir.resolve("both.pem"),
                Files.readString(served.cert()) + Files.readString(renewal.cert()));
        try (ApiServer server = start("127.0.0.1", served.tls())) {
            assertEquals("CN=127.0.0.1", presented(server, both));

            // the certificate lands before its key: the pair does not match, so the previous one stays in service
            Files.copy(renewal.cert(), served.cert(), StandardCopyOption.REPLACE_EXISTING);
            assertEquals("CN=127.0.0.1", presented(server, both));

            Files.copy(renewal.key(), served.key(), StandardCopyOption.REPLACE_EXISTING);
            assertEquals("CN=renewed", presented(server, both));
        }
    }

    @Test
    void badFilesFailTheStartNamingTheFile() {
        TestCertificate certificate = TestCertificate.selfSigned(dir, "server", "127.0.0.1");
        Path missing = dir.resolve("missing.key");

        BerthException e = assertThrows(BerthException.class,
                () -> start("127.0.0.1", new BerthConfig.Server.Tls(certificate.cert(), missing)));

        assertEquals("private key file " + missing + " not found", e.getMessage());
    }

    @Test
    void theLoginCookieIsSecureUnderTls() throws Exception {
        TestCertificate certificate = TestCertificate.selfSigned(dir, "server", "127.0.0.1");
        HttpClient client = HttpClient.newBuilder().sslContext(PemCertificates.trusting(certificate.cert()))
                .connectTimeout(Duration.ofSeconds(5)).build();
        try (ApiServer server = start("127.0.0.1", certificate.tls())) {
            HttpResponse<String> login = client.send(HttpRequest.newBuilder(url(server).resolve("/login"))
                    .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString("token=" + TOKEN)).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertEquals(303, login.statusCode());
            List<String> attributes = List.of(login.headers().firstValue("Set-Cookie").orElseThrow().split("; "));
            assertTrue(attributes.containsAll(List.of("HttpOnly", "SameSite=Strict", "Secure")), attributes.toString());
        }
    }

    @Test
    void listeningBeyondLoopbackWithoutTlsIsWarnedAbout() {
        TestCertificate certificate = TestCertificate.selfSigned(dir, "server", "127.0.0.1");
        Logger logger = (Logger) LoggerFactory.getLogger(ApiServer.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        try {
            // bound, never started: nothing is served on the other interfaces
            new ApiServer(new ApiServer.Options(new InetSocketAddress("0.0.0.0", 0), null, false, () -> true, null))
                    .close();
            assertEquals(1, warnings(log).size(), warnings(log).toString());
            assertTrue(warnings(log).get(0).startsWith("listening on 0.0.0.0:"), warnings(log).toString());
            assertTrue(warnings(log).get(0).contains("without TLS") && warnings(log).get(0).contains("server.tls"));

            new ApiServer(new ApiServer.Options(new InetSocketAddress("0.0.0.0", 0), null, false, () -> true,
                    certificate.tls())).close();
            new ApiServer(new ApiServer.Options(new InetSocketAddress("127.0.0.1", 0), null, false, () -> true, null))
                    .close();
            assertEquals(1, warnings(log).size(), "none with TLS, none on loopback: " + warnings(log));
        } finally {
            logger.detachAppender(log);
        }
    }

    private static List<String> warnings(ListAppender<ILoggingEvent> log) {
        return log.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage)
                .toList();
    }
}
