package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.node.PodObserver;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.RuntimeLayout;
import dev.berth.server.ApiRoutes;
import dev.berth.server.ApiServer;
import dev.berth.server.Secret;
import dev.berth.server.TestCertificate;
import dev.berth.server.WatchStatus;
import dev.berth.testing.CliRun;
import dev.berth.testing.TestRepo;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code status --server https://...} and {@code plan --against server:https://...} against the daemon's API with a
 * self-signed certificate: trusted through {@code --cacert} or {@code $BERTH_CACERT}, refused otherwise with the fix
 * in the message. The token and the CA come from the environment, so each run is a JVM of its own.
 */
class HttpsServerClientTest {

    private static final String TOKEN = "https-api-token-0123";

    @TempDir
    Path tmp;
    TestCertificate certificate;
    ApiServer api;
    String url;

    @BeforeEach
    void startTheApi() {
        certificate = TestCertificate.selfSigned(tmp, "server", "127.0.0.1");
        NodeState node = new NodeState(tmp.resolve("state"));
        api = new ApiServer(new ApiServer.Options(new InetSocketAddress("127.0.0.1", 0), Secret.of(TOKEN), false,
                () -> true, certificate.tls()));
        PodObserver pods = new PodObserver(node.layout, new ContainerRuntime(new RuntimeLayout(tmp.resolve("run"))));
        new ApiRoutes(node.layout, pods, new WatchStatus(null, node.layout), null).register(api, null);
        api.start();
        url = "https://127.0.0.1:" + api.address().getPort();
    }

    @AfterEach
    void stopTheApi() {
        api.close();
    }

    @Test
    void statusTrustsTheCaOfCacertOrBerthCacert() throws Exception {
        CliRun flag = CliRun.withEnvironment(Map.of("BERTH_TOKEN", TOKEN), "status", "--server", url, "--cacert",
                certificate.cert().toString());
        CliRun variable = CliRun.withEnvironment(Map.of("BERTH_TOKEN", TOKEN, "BERTH_CACERT",
                certificate.cert().toString()), "status", "--server", url);

        assertEquals(0, flag.exitCode(), flag::toString);
        assertTrue(flag.out().contains("\nServer:     " + url + ", no reconcile yet\n"), flag.out());
        assertEquals(0, variable.exitCode(), variable::toString);
        assertEquals(flag.out(), variable.out());
    }

    @Test
    void planAgainstAnHttpsServerTrustsCacertOrBerthCacert() throws Exception {
        try (TestRepo repo = TestRepo.init(tmp.resolve("repo"))) {
            repo.write("settings.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n")
                    .write("token.yaml", "apiVersion: v1\nkind: Secret\nmetadata: {name: token}\nstringData: {t: x}\n")
                    .commit("one");

            CliRun plan = CliRun.withEnvironment(Map.of("BERTH_TOKEN", TOKEN, "BERTH_CACERT",
                    certificate.cert().toString()), "plan", "--repo", repo.dir().toString(), "--against", "server:" + url,
                    "--root", tmp.resolve("state").toString());
            assertEquals(2, plan.exitCode(), plan::toString);
            assertTrue(plan.out().contains("+ create  ConfigMap default/settings"), plan.out());
            assertTrue(plan.out().contains("Secret values were not compared: the node digests them under a key"),
                    plan.out());

            CliRun flag = CliRun.withEnvironment(Map.of("BERTH_TOKEN", TOKEN), "plan", "--repo", repo.dir().toString(),
                    "--against", "server:" + url, "--cacert", certificate.cert().toString(),
                    "--root", tmp.resolve("state").toString());
            assertEquals(plan.out(), flag.out(), flag::toString);
            CliRun untrusted = CliRun.withEnvironment(Map.of("BERTH_TOKEN", TOKEN), "plan", "--repo",
                    repo.dir().toString(), "--against", "server:" + url, "--root", tmp.resolve("state").toString());
            assertTrue(untrusted.exitCode() != 0 && untrusted.err().contains("TLS handshake"), untrusted::toString);
        }
    }

    @Test
    void anUntrustedCertificateIsOneErrorLineThatSaysWhatToSet() throws Exception {
        CliRun untrusted = CliRun.withEnvironment(Map.of("BERTH_TOKEN", TOKEN), "status", "--server", url);

        assertEquals(ExitCodes.ERROR, untrusted.exitCode(), untrusted::toString);
        assertTrue(untrusted.err().startsWith("error: TLS handshake with " + url + "/api/v1/status failed: "),
                untrusted.err());
        assertTrue(untrusted.err().endsWith("set BERTH_CACERT to that CA's PEM file)\n"), untrusted.err());
        assertEquals(1, untrusted.err().lines().count(), untrusted.err());
    }
}
