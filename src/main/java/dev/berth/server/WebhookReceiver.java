package dev.berth.server;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpHandler;
import dev.berth.store.JsonFiles;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Decides what a webhook delivery means: authenticates it (before parsing anything), then fires the trigger for a
 * push to the watched ref. Pure apart from the trigger, so every forge's quirks are testable without a socket;
 * {@link #handler} is the thin HTTP side.
 */
public final class WebhookReceiver {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookReceiver.class);

    private final Secret secret;
    private final WatchedRef watched;
    private final Trigger trigger;
    private final RecentDeliveries deliveries;

    public WebhookReceiver(Secret secret, WatchedRef watched, Trigger trigger) {
        this(secret, watched, trigger, RecentDeliveries.standard());
    }

    WebhookReceiver(Secret secret, WatchedRef watched, Trigger trigger, RecentDeliveries deliveries) {
        this.secret = secret;
        this.watched = watched;
        this.trigger = trigger;
        this.deliveries = deliveries;
    }

    /** The HTTP side for one provider: reads at most {@code bodyLimit} bytes (413 beyond) and answers in JSON. */
    public HttpHandler handler(HookProvider provider, int bodyLimit) {
        return exchange -> Json.send(exchange,
                receive(provider, exchange.getRequestHeaders(), BoundedBody.read(exchange, bodyLimit)));
    }

    /** The answer to one delivery; throws {@link HttpError} 400 for a malformed one. */
    public Reply receive(HookProvider provider, Headers headers, byte[] body) {
        String hook = provider.pathName();
        String problem = provider.authenticationProblem(headers, body, secret);
        if (problem != null) {
            LOG.warn("{} webhook refused: {}", hook, problem);
            return Reply.error(401, problem);
        }
        // only after authentication: ids from strangers must not fill the memory or shadow a real delivery
        String delivery = provider.deliveryId(headers);
        if (delivery != null && !deliveries.firstTime(hook + "/" + delivery)) {
            LOG.info("{} webhook: delivery {} already received, nothing to do", hook, delivery);
            return new Reply(200, "duplicate", "delivery " + delivery + " already received");
        }
        HookProvider.Event event = provider.event(headers);
        if (event == HookProvider.Event.PING) {
            return new Reply(200, "ok", "pong");
        }
        if (event == HookProvider.Event.OTHER) {
            return new Reply(202, "ignored", "ignored: event " + provider.eventName(headers));
        }
        JsonNode payload = payload(headers, body);
        JsonNode ref = payload.path("ref");
        if (ref.isMissingNode() || ref.isNull()) {
            if (provider != HookProvider.GENERIC) {
                throw new HttpError(400, "push payload has no ref");
            }
            return fire(hook + ": webhook without a ref");
        }
        if (!ref.isString() || !ref.asString().startsWith("refs/")) {
            throw new HttpError(400, "ref must be a full ref such as refs/heads/main, not " + ref);
        }
        WatchedRef.Decision decision = watched.decide(ref.asString(), text(payload.at(provider.defaultBranchPointer)));
        if (!decision.trigger()) {
            LOG.info("{} webhook: {} (watching {})", hook, decision.message(), watched);
            return new Reply(202, "ignored", decision.message());
        }
        String commit = text(payload.at(provider.commitPointer));
        return fire(hook + ": " + decision.message() + (commit == null ? "" : ", commit " + abbreviate(commit)));
    }

    private Reply fire(String reason) {
        LOG.info("fetch triggered by {}", reason);
        trigger.fire(reason);
        return new Reply(200, "triggered", reason);
    }

    /** The JSON object in the body, unwrapping a form-encoded {@code payload=<json>} (a GitHub and Gitea option). */
    private static JsonNode payload(Headers headers, byte[] body) {
        if (body.length == 0) {
            return JsonFiles.JSON.createObjectNode(); // a bare generic hook: "fetch now"
        }
        byte[] json = formEncoded(headers) ? formPayload(new String(body, StandardCharsets.UTF_8)) : body;
        JsonNode node = Json.parse(json);
        if (!node.isObject()) {
            throw new HttpError(400, "malformed payload: expected a JSON object");
        }
        return node;
    }

    private static boolean formEncoded(Headers headers) {
        String type = headers.getFirst("Content-Type");
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
    }

    private static byte[] formPayload(String form) {
        for (String pair : form.split("&")) {
            if (pair.startsWith("payload=")) {
                try {
                    return URLDecoder.decode(pair.substring("payload=".length()), StandardCharsets.UTF_8)
                            .getBytes(StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw new HttpError(400, "malformed form encoding: " + e.getMessage());
                }
            }
        }
        throw new HttpError(400, "form-encoded delivery without a payload field");
    }

    private static String text(JsonNode node) {
        return node.isString() && !node.asString().isBlank() ? node.asString() : null;
    }

    private static String abbreviate(String commit) {
        return commit.length() > 12 ? commit.substring(0, 12) : commit;
    }
}
