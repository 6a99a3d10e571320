package dev.berth.pipeline;

import dev.berth.client.ApiClient;
import dev.berth.core.ResourceKey;
import dev.berth.core.Revision;
import dev.berth.manifest.SecretDigest;
import dev.berth.plan.ActualState;
import dev.berth.plan.LiveObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The live node behind a running {@code berth watch}, read from its {@code /api/v1/objects}: what
 * {@code plan --against server:URL} diffs with in CI.
 */
public final class ServerState {

    private static final ObjectMapper JSON = JsonMapper.builder().enable(DeserializationFeature.USE_LONG_FOR_INTS).build();

    private ServerState() {}

    @SuppressWarnings("unchecked")
    public static ActualState fetch(ApiClient server) {
        Map<String, Object> body = JSON.treeToValue(server.get("/api/v1/objects"), Map.class);
        List<LiveObject> live = new ArrayList<>();
        for (Map<String, Object> o : (List<Map<String, Object>>) body.get("objects")) {
            String revision = (String) o.get("revision");
            live.add(new LiveObject(new ResourceKey((String) o.get("kind"), (String) o.get("namespace"),
                    (String) o.get("name")), (Map<String, Object>) o.get("object"), (String) o.get("hash"),
                    revision == null ? null : new Revision(revision), true, !Boolean.FALSE.equals(o.get("prune"))));
        }
        // the server's Secret digests are keyed to its node: CI cannot compare values with them
        return new ActualState(live, SecretDigest.notCompared());
    }
}
