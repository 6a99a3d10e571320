package dev.berth.server;

import static dev.berth.server.Payloads.hmac;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.Headers;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The receiver's decisions for each forge, without a socket. */
class WebhookReceiverTest {

    private static final String SECRET = "hook-secret";

    private final List<String> fired = new ArrayList<>();

    private Reply receive(String watched, HookProvider provider, Headers headers, String body) {
        return new WebhookReceiver(Secret.of(SECRET), WatchedRef.of(watched), fired::add)
                .receive(provider, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    private static Headers headers(String... namesAndValues) {
        Headers headers = new Headers();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return headers;
    }

    private static Headers github(String event, String body) {
        return headers("X-GitHub-Event", event, "X-Hub-Signature-256", "sha256=" + hmac(SECRET, bytes(body)));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void githubPushToTheWatchedBranchTriggers() {
        String body = Payloads.githubPush("refs/heads/main", "main");

        Reply reply = receive("main", HookProvider.GITHUB, github("push", body), body);

        assertEquals(new Reply(200, "triggered", "github: push to refs/heads/main, commit 9fceb02d0ae5"), reply);
        assertEquals(List.of("github: push to refs/heads/main, commit 9fceb02d0ae5"), fired);
    }

    @Test
    void githubSignatureProblemsAreRefused() {
        String body = Payloads.githubPush("refs/heads/main", "main");
        String good = hmac(SECRET, bytes(body));
        List<Headers> bad = List.of(
                headers("X-GitHub-Event", "push"),
                headers("X-GitHub-Event", "push", "X-Hub-Signature-256", "sha256=" + hmac("other", bytes(body))),
                headers("X-GitHub-Event", "push", "X-Hub-Signature-256", good),
                headers("X-GitHub-Event", "push", "X-Hub-Signature-256", "sha1=" + good),
                headers("X-GitHub-Event", "push", "X-Hub-Signature-256", "sha256=" + good.substring(2)),
                headers("X-GitHub-Event", "push", "X-Hub-Signature-256", "sha256=zz" + good.substring(2)),
                headers("X-GitHub-Event", "push", "X-Hub-Signature", "sha1=" + good));

        for (Headers headers : bad) {
            Reply reply = receive("main", HookProvider.GITHUB, headers, body);
            assertEquals(401, reply.code(), headers.toString());
            assertEquals("error", reply.status());
        }
        assertEquals(List.of(), fired);
        assertEquals("missing X-Hub-Signature-256 header",
                receive("main", HookProvider.GITHUB, headers("X-GitHub-Event", "push"), body).message());
    }

    @Test
    void aBodyChangedAfterSigningIsRefused() {
        String body = Payloads.githubPush("refs/heads/dev", "main");
        String forged = body.replace("refs/heads/dev", "refs/heads/main");

        Reply reply = receive("main", HookProvider.GITHUB, github("push", body), forged);

        assertEquals(Reply.error(401, "X-Hub-Signature-256 does not match the body"), reply);
        assertEquals(List.of(), fired);
    }

    @Test
    void hexCaseDoesNotMatter() {
        String body = Payloads.githubPush("refs/heads/main", "main");
        Headers headers = headers("X-GitHub-Event", "push",
                "X-Hub-Signature-256", "sha256=" + hmac(SECRET, bytes(body)).toUpperCase(Locale.ROOT));

        assertEquals(200, receive("main", HookProvider.GITHUB, headers, body).code());
    }

    @Test
    void githubPingAnswersWithoutTriggering() {
        String body = Payloads.githubPing();

        assertEquals(new Reply(200, "ok", "pong"), receive("main", HookProvider.GITHUB, github("ping", body), body));
        assertEquals(401, receive("main", HookProvider.GITHUB, headers("X-GitHub-Event", "ping"), body).code());
        assertEquals(List.of(), fired);
    }

    @Test
    void otherEventsAreIgnoredAndAMissingEventIsBadRequest() {
        String body = "{\"action\": \"opened\"}";

        assertEquals(new Reply(202, "ignored", "ignored: event issues"),
                receive("main", HookProvider.GITHUB, github("issues", body), body));
        Headers noEvent = headers("X-Hub-Signature-256", "sha256=" + hmac(SECRET, bytes(body)));
        HttpError e = assertThrows(HttpError.class, () -> receive("main", HookProvider.GITHUB, noEvent, body));
        assertEquals(Reply.error(400, "missing X-GitHub-Event header"), e.reply());
        assertEquals(List.of(), fired);
    }

    @Test
    void otherBranchesAndTagsAreIgnored() {
        String dev = Payloads.githubPush("refs/heads/dev", "main");
        String tag = Payloads.githubPush("refs/tags/v1.0.0", "main");

        assertEquals(new Reply(202, "ignored", "ignored: branch dev"),
                receive("main", HookProvider.GITHUB, github("push", dev), dev));
        assertEquals(new Reply(202, "ignored", "ignored: tag v1.0.0"),
                receive("main", HookProvider.GITHUB, github("push", tag), tag));
        assertEquals(200, receive("v1.0.0", HookProvider.GITHUB, github("push", tag), tag).code());
        assertEquals(1, fired.size());
    }

    @Test
    void unknownWatchedBranchFollowsThePayloadsDefaultBranch() {
        String trunk = Payloads.githubPush("refs/heads/trunk", "trunk");
        String main = Payloads.githubPush("refs/heads/main", "trunk");

        assertEquals(200, receive(null, HookProvider.GITHUB, github("push", trunk), trunk).code());
        assertEquals(new Reply(202, "ignored", "ignored: branch main (the default branch is trunk)"),
                receive(null, HookProvider.GITHUB, github("push", main), main));
        assertEquals(List.of("github: push to refs/heads/trunk, commit 9fceb02d0ae5"), fired);
    }

    @Test
    void formEncodedGithubDeliveryIsUnwrapped() {
        String json = Payloads.githubPush("refs/heads/main", "main");
        String body = "payload=" + URLEncoder.encode(json, StandardCharsets.UTF_8);
        Headers headers = github("push", body);
        headers.add("Content-Type", "application/x-www-form-urlencoded");

        assertEquals(200, receive("main", HookProvider.GITHUB, headers, body).code());
        assertEquals(1, fired.size());
    }

    @Test
    void pushWithoutRefIsBadRequest() {
        String body = "{\"after\": \"" + Payloads.GITHUB_AFTER + "\"}";

        HttpError e = assertThrows(HttpError.class,
                () -> receive("main", HookProvider.GITHUB, github("push", body), body));

        assertEquals(Reply.error(400, "push payload has no ref"), e.reply());
    }

    @Test
    void gitlabTokenAndItsDefaultBranchUnderProject() {
        String body = Payloads.gitlabPush("refs/heads/main", "main");
        String other = Payloads.gitlabPush("refs/heads/dev", "main");
        Headers good = headers("X-Gitlab-Event", "Push Hook", "X-Gitlab-Token", SECRET);

        assertEquals(new Reply(200, "triggered", "gitlab: push to refs/heads/main, commit da1560886d4f"),
                receive(null, HookProvider.GITLAB, good, body));
        assertEquals(new Reply(202, "ignored", "ignored: branch dev (the default branch is main)"),
                receive(null, HookProvider.GITLAB, good, other));
        assertEquals(Reply.error(401, "X-Gitlab-Token does not match"), receive("main", HookProvider.GITLAB,
                headers("X-Gitlab-Event", "Push Hook", "X-Gitlab-Token", SECRET + "x"), body));
        assertEquals(Reply.error(401, "missing X-Gitlab-Token header"),
                receive("main", HookProvider.GITLAB, headers("X-Gitlab-Event", "Push Hook"), body));
        assertEquals(1, fired.size());
    }

    @Test
    void gitlabTagPushesAndOtherEvents() {
        String tag = Payloads.gitlabPush("refs/tags/v2", "main");
        Headers tagPush = headers("X-Gitlab-Event", "Tag Push Hook", "X-Gitlab-Token", SECRET);

        assertEquals(new Reply(202, "ignored", "ignored: tag v2"), receive("main", HookProvider.GITLAB, tagPush, tag));
        assertEquals(200, receive("v2", HookProvider.GITLAB, tagPush, tag).code());
        assertEquals(new Reply(202, "ignored", "ignored: event Merge Request Hook"), receive("main",
                HookProvider.GITLAB, headers("X-Gitlab-Event", "Merge Request Hook", "X-Gitlab-Token", SECRET), "{}"));
        assertEquals(1, fired.size());
    }

    @Test
    void giteaBareHexSignature() {
        String body = Payloads.giteaPush("refs/heads/main", "main");
        Headers good = headers("X-Gitea-Event", "push", "X-Gitea-Signature", hmac(SECRET, bytes(body)));
        Headers prefixed = headers("X-Gitea-Event", "push", "X-Gitea-Signature", "sha256=" + hmac(SECRET, bytes(body)));

        assertEquals(new Reply(200, "triggered", "gitea: push to refs/heads/main, commit bffeb7422404"),
                receive("main", HookProvider.GITEA, good, body));
        assertEquals(401, receive("main", HookProvider.GITEA, prefixed, body).code());
        assertEquals(1, fired.size());
    }

    @Test
    void genericHookRefIsOptional() {
        Headers signedEmpty = headers("X-Berth-Signature-256", "sha256=" + hmac(SECRET, new byte[0]));
        String main = "{\"ref\": \"refs/heads/main\"}";
        String dev = "{\"ref\": \"refs/heads/dev\"}";

        assertEquals(new Reply(200, "triggered", "generic: push to refs/heads/main"), receive("main",
                HookProvider.GENERIC, headers("X-Berth-Signature-256", "sha256=" + hmac(SECRET, bytes(main))), main));
        assertEquals(202, receive("main", HookProvider.GENERIC,
                headers("X-Berth-Signature-256", "sha256=" + hmac(SECRET, bytes(dev))), dev).code());
        assertEquals(new Reply(200, "triggered", "generic: webhook without a ref"),
                receive("main", HookProvider.GENERIC, signedEmpty, ""));
        assertEquals(200, receive("main", HookProvider.GENERIC,
                headers("X-Berth-Signature-256", "sha256=" + hmac(SECRET, bytes("{}"))), "{}").code());
        assertEquals(3, fired.size());
    }

    @Test
    void malformedPayloadsAreBadRequests() {
        for (String body : new String[] {"{\"ref\": ", "[1, 2]", "{\"ref\": 5}", "{\"ref\": \"main\"}", "nope"}) {
            Headers headers = headers("X-Berth-Signature-256", "sha256=" + hmac(SECRET, bytes(body)));
            HttpError e = assertThrows(HttpError.class, () -> receive("main", HookProvider.GENERIC, headers, body),
                    body);
            assertEquals(400, e.reply().code(), body);
        }
        HttpError e = assertThrows(HttpError.class, () -> receive("main", HookProvider.GENERIC,
                headers("X-Berth-Signature-256", "sha256=" + hmac(SECRET, bytes("{\"ref\": "))), "{\"ref\": "));
        assertTrue(e.getMessage().startsWith("malformed JSON: "), e.getMessage());
        assertEquals(List.of(), fired);
    }
    @Test
    void aDeliveryReceivedAgainStartsNoSecondSyncForEachForge() {
        String github = Payloads.githubPush("refs/heads/main", "main");
        String gitlab = Payloads.gitlabPush("refs/heads/main", "main");
        String gitea = Payloads.giteaPush("refs/heads/main", "main");
        WebhookReceiver receiver = new WebhookReceiver(Secret.of(SECRET), WatchedRef.of("main"), fired::add);
        List<Runnable> deliveries = List.of(
                () -> assertEquals(200, receiver.receive(HookProvider.GITHUB, withHeader(github("push", github),
                        "X-GitHub-Delivery", "72d3162e"), bytes(github)).code()),
                () -> assertEquals(200, receiver.receive(HookProvider.GITLAB, headers("X-Gitlab-Event", "Push Hook",
                        "X-Gitlab-Token", SECRET, "Idempotency-Key", "908a6d9e"), bytes(gitlab)).code()),
                () -> assertEquals(200, receiver.receive(HookProvider.GITEA, headers("X-Gitea-Event", "push",
                        "X-Gitea-Signature", hmac(SECRET, bytes(gitea)), "X-Gitea-Delivery", "72d3162e"),
                        bytes(gitea)).code()));

        deliveries.forEach(Runnable::run);
        deliveries.forEach(Runnable::run);

        assertEquals(3, fired.size(), "one sync per delivery, the same id at two forges being two deliveries: " + fired);
        Reply again = receiver.receive(HookProvider.GITHUB, withHeader(github("push", github), "X-GitHub-Delivery",
                "72d3162e"), bytes(github));
        assertEquals(new Reply(200, "duplicate", "delivery 72d3162e already received"), again);
    }

    @Test
    void aForgedDeliveryCannotShadowTheRealOne() {
        String body = Payloads.githubPush("refs/heads/main", "main");
        WebhookReceiver receiver = new WebhookReceiver(Secret.of(SECRET), WatchedRef.of("main"), fired::add);
        Headers forged = headers("X-GitHub-Event", "push", "X-Hub-Signature-256", "sha256=" + hmac("guess", bytes(body)),
                "X-GitHub-Delivery", "72d3162e");

        assertEquals(401, receiver.receive(HookProvider.GITHUB, forged, bytes(body)).code());
        Reply real = receiver.receive(HookProvider.GITHUB, withHeader(github("push", body), "X-GitHub-Delivery",
                "72d3162e"), bytes(body));

        assertEquals("triggered", real.status());
        assertEquals(1, fired.size());
        HttpError tooLong = assertThrows(HttpError.class, () -> receiver.receive(HookProvider.GITHUB,
                withHeader(github("push", body), "X-GitHub-Delivery", "x".repeat(129)), bytes(body)));
        assertEquals(400, tooLong.reply().code());
    }

    private static Headers withHeader(Headers headers, String name, String value) {
        headers.add(name, value);
        return headers;
    }
}
