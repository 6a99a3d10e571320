package dev.berth.server;

import com.sun.net.httpserver.Headers;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How each forge signs and labels its push webhooks, as documented by GitHub, GitLab and Gitea (Forgejo sends the
 * Gitea headers too). The generic hook is berth's own, for CI scripts: a signed {@code {"ref": "refs/heads/main"}}.
 */
public enum HookProvider {

    GITHUB("X-Hub-Signature-256", "sha256=", "X-GitHub-Event", Set.of("push"), Set.of("ping"),
            "/repository/default_branch", "/after", List.of("X-GitHub-Delivery")),
    /**
     * GitLab sends the secret itself as a token, no HMAC; tag pushes come as their own event. Its Idempotency-Key
     * (17.4 on) stays the same across retries; older versions send only the event's X-Gitlab-Event-UUID.
     */
    GITLAB("X-Gitlab-Token", null, "X-Gitlab-Event", Set.of("Push Hook", "Tag Push Hook"), Set.of(),
            "/project/default_branch", "/checkout_sha", List.of("Idempotency-Key", "X-Gitlab-Event-UUID")),
    GITEA("X-Gitea-Signature", "", "X-Gitea-Event", Set.of("push"), Set.of(),
            "/repository/default_branch", "/after", List.of("X-Gitea-Delivery")),
    /** No event header: every delivery is a push; the ref is optional, after and default branch read as GitHub's. */
    GENERIC("X-Berth-Signature-256", "sha256=", null, Set.of(), Set.of(), "/repository/default_branch", "/after",
            List.of("X-Berth-Delivery"));

    static final int MAX_DELIVERY_ID = 128;

    /** What a delivery is, by its event header. */
    enum Event { PUSH, PING, OTHER }

    private final String authHeader;
    private final String signaturePrefix; // null: the header carries the secret itself
    private final String eventHeader;
    private final Set<String> pushEvents;
    private final Set<String> pingEvents;
    final String defaultBranchPointer;
    final String commitPointer;
    private final List<String> deliveryHeaders; // the first one present names the delivery

    HookProvider(String authHeader, String signaturePrefix, String eventHeader, Set<String> pushEvents,
            Set<String> pingEvents, String defaultBranchPointer, String commitPointer, List<String> deliveryHeaders) {
        this.authHeader = authHeader;
        this.signaturePrefix = signaturePrefix;
        this.eventHeader = eventHeader;
        this.pushEvents = pushEvents;
        this.pingEvents = pingEvents;
        this.defaultBranchPointer = defaultBranchPointer;
        this.commitPointer = commitPointer;
        this.deliveryHeaders = deliveryHeaders;
    }

    /** The last segment of the hook's path: {@code /hooks/github}. */
    public String pathName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Null when the delivery carries the secret or a valid signature of {@code body}; else why not. */
    String authenticationProblem(Headers headers, byte[] body, Secret secret) {
        String value = headers.getFirst(authHeader);
        if (value == null) {
            return "missing " + authHeader + " header";
        }
        if (signaturePrefix == null) {
            return secret.matches(value) ? null : authHeader + " does not match";
        }
        return secret.signed(body, signature(value.trim())) ? null : authHeader + " does not match the body";
    }

    private byte[] signature(String value) {
        if (!value.regionMatches(true, 0, signaturePrefix, 0, signaturePrefix.length())) {
            return null;
        }
        try {
            return HexFormat.of().parseHex(value.substring(signaturePrefix.length()));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The delivery's kind and event name; {@link HttpError} 400 when the event header is missing. */
    Event event(Headers headers) {
        if (eventHeader == null) {
            return Event.PUSH;
        }
        String name = eventName(headers);
        if (name == null) {
            throw new HttpError(400, "missing " + eventHeader + " header");
        }
        return pushEvents.contains(name) ? Event.PUSH : pingEvents.contains(name) ? Event.PING : Event.OTHER;
    }

    /**
     * The delivery's id, the same when the forge delivers it again; null when it sends none. Forges send UUIDs: an id
     * over {@value #MAX_DELIVERY_ID} characters is a 400, so that remembering ids stays small.
     */
    String deliveryId(Headers headers) {
        for (String header : deliveryHeaders) {
            String id = headers.getFirst(header);
            if (id != null && !id.isBlank()) {
                if (id.length() > MAX_DELIVERY_ID) {
                    throw new HttpError(400, header + " over " + MAX_DELIVERY_ID + " characters");
                }
                return id.trim();
            }
        }
        return null;
    }

    /** The event header's value, trimmed; null when absent or when this provider sends none. */
    String eventName(Headers headers) {
        String name = eventHeader == null ? null : headers.getFirst(eventHeader);
        return name == null ? null : name.trim();
    }
}
