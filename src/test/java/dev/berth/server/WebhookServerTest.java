package dev.berth.server;

import static dev.berth.server.Http.message;
import static dev.berth.server.Http.send;
import static dev.berth.server.Http.status;
import static dev.berth.server.Payloads.hmac;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Webhook deliveries over a real socket to the server watching branch main. */
class WebhookServerTest {

    private static final String SECRET = "hook-secret";
    private static final int LIMIT = 8 * 1024;

    @TempDir
    Path dir;

    private final List<String> fired = new CopyOnWriteArrayList<>();
    private ApiServer server;

    @BeforeEach
    void start() throws Exception {
        Path secretFile = Files.writeString(dir.resolve("webhook-secret"), SECRET + "\n");
        server = new ApiServer(new ApiServer.Options(new InetSocketAddress("127.0.0.1", 0), null, false, () -> true, null));
        server.webhooks(new WebhookReceiver(Secret.fromFile(secretFile), WatchedRef.of("main"), fired::add), LIMIT);
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().getPort() + path));
    }

    private HttpResponse<String> post(String hook, String body, String... headers) throws Exception {
        return send(request("/hooks/" + hook).headers(headers).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> github(String event, String body) throws Exception {
        return post("github", body, "X-GitHub-Event", event, "Content-Type", "application/json",
                "X-Hub-Signature-256", "sha256=" + hmac(SECRET, bytes(body)));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void githubPushWithValidSignatureTriggers() throws Exception {
        HttpResponse<String> response = github("push", Payloads.githubPush("refs/heads/main", "main"));

        assertEquals(200, response.statusCode());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("triggered", status(response));
        assertEquals(List.of("github: push to refs/heads/main, commit 9fceb02d0ae5"), fired);
    }

    @Test
    void wrongOrMissingSignatureIs401() throws Exception {
        String body = Payloads.githubPush("refs/heads/main", "main");

        HttpResponse<String> wrong = post("github", body, "X-GitHub-Event", "push",
                "X-Hub-Signature-256", "sha256=" + hmac("guess", bytes(body)));
        HttpResponse<String> missing = post("github", body, "X-GitHub-Event", "push");

        assertEquals(401, wrong.statusCode());
        assertEquals("error", status(wrong));
        assertEquals(401, missing.statusCode());
        assertEquals("missing X-Hub-Signature-256 header", message(missing));
        assertEquals(List.of(), fired);
    }

    @Test
    void otherBranchIs202WithoutTrigger() throws Exception {
        HttpResponse<String> response = github("push", Payloads.githubPush("refs/heads/feature/x", "main"));

        assertEquals(202, response.statusCode());
        assertEquals("ignored", status(response));
        assertEquals("ignored: branch feature/x", message(response));
        assertEquals(List.of(), fired);
    }

    @Test
    void githubPingIsAnsweredWithoutTrigger() throws Exception {
        HttpResponse<String> response = github("ping", Payloads.githubPing());

        assertEquals(200, response.statusCode());
        assertEquals("pong", message(response));
        assertEquals(List.of(), fired);
    }

    @Test
    void gitlabGiteaAndGenericHooks() throws Exception {
        String gitlab = Payloads.gitlabPush("refs/heads/main", "main");
        String gitea = Payloads.giteaPush("refs/heads/main", "main");
        String generic = "{\"ref\": \"refs/heads/main\"}";

        assertEquals(200, post("gitlab", gitlab, "X-Gitlab-Event", "Push Hook", "X-Gitlab-Token", SECRET)
                .statusCode());
        assertEquals(401, post("gitlab", gitlab, "X-Gitlab-Event", "Push Hook", "X-Gitlab-Token", "guess")
                .statusCode());
        assertEquals(200, post("gitea", gitea, "X-Gitea-Event", "push",
                "X-Gitea-Signature", hmac(SECRET, bytes(gitea))).statusCode());
        assertEquals(200, post("generic", generic,
                "X-Berth-Signature-256", "sha256=" + hmac(SECRET, bytes(generic))).statusCode());
        assertEquals(List.of("gitlab: push to refs/heads/main, commit da1560886d4f",
                "gitea: push to refs/heads/main, commit bffeb7422404", "generic: push to refs/heads/main"), fired);
    }

    @Test
    void malformedJsonIs400WithTheReason() throws Exception {
        String body = "{\"ref\": \"refs/heads/main\"";

        HttpResponse<String> response = post("generic", body,
                "X-Berth-Signature-256", "sha256=" + hmac(SECRET, bytes(body)));

        assertEquals(400, response.statusCode());
        assertTrue(message(response).startsWith("malformed JSON: "), message(response));
        assertEquals(List.of(), fired);
    }

    @Test
    void oversizedBodyIs413WithOrWithoutContentLength() throws Exception {
        byte[] big = new byte[4 * LIMIT];

        HttpResponse<String> declared = send(request("/hooks/github").header("X-GitHub-Event", "push")
                .POST(HttpRequest.BodyPublishers.ofByteArray(big)));
        HttpResponse<String> chunked = send(request("/hooks/github").header("X-GitHub-Event", "push")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))));

        assertEquals(413, declared.statusCode());
        assertEquals("request body over 8192 bytes", message(declared));
        assertEquals(413, chunked.statusCode());
        assertEquals(List.of(), fired);
    }

    @Test
    void declaredOversizedBodyIsRefusedBeforeItIsSent() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.address().getPort())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /hooks/github HTTP/1.1\r\nHost: 127.0.0.1\r\nX-GitHub-Event: push\r\n"
                    + "Content-Length: 104857600\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String statusLine = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            assertTrue(statusLine.startsWith("HTTP/1.1 413"), statusLine);
        }
    }

    @Test
    void wrongMethodIs405AndUnknownHookIs404() throws Exception {
        HttpResponse<String> get = send(request("/hooks/github").GET());
        HttpResponse<String> unknown = post("bitbucket", "{}", "Content-Type", "application/json");

        assertEquals(405, get.statusCode());
        assertEquals("POST", get.headers().firstValue("Allow").orElseThrow());
        assertEquals(404, unknown.statusCode());
        assertEquals("not found: /hooks/bitbucket", message(unknown));
    }

    @Test
    void serverKeepsServingAfterBadRequests() throws Exception {
        String body = Payloads.githubPush("refs/heads/main", "main");
        post("github", body, "X-GitHub-Event", "push", "X-Hub-Signature-256", "sha256=00");
        post("generic", "{", "X-Berth-Signature-256", "sha256=" + hmac(SECRET, bytes("{")));
        send(request("/hooks/github").POST(HttpRequest.BodyPublishers.ofByteArray(new byte[2 * LIMIT])));
        try (Socket socket = new Socket("127.0.0.1", server.address().getPort())) {
            socket.getOutputStream().write("GARBAGE\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        }

        assertEquals(200, send(request("/healthz").GET()).statusCode());
        assertEquals(200, github("push", body).statusCode());
        assertEquals(1, fired.size());
    }
}
