package dev.berth.node.workload;

import dev.berth.core.ResourceKey;
import dev.berth.core.SourceLocation;
import dev.berth.manifest.FieldLocations;
import dev.berth.manifest.Manifest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Deployments and pods for the Deployment controller's tests, shaped as the loader and the node hand them over. */
final class DeploymentFixtures {

    static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    private DeploymentFixtures() {}

    /** Deployment shop/web running {@code image}, with spec fields as name, value, ...; null values left out. */
    static Manifest deployment(String image, Object... specFields) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("selector", Map.of("matchLabels", Map.of("app", "web")));
        spec.put("template", Map.of("metadata", Map.of("labels", Map.of("app", "web")),
                "spec", Map.of("containers", List.of(Map.of("name", "web", "image", image)))));
        for (int i = 0; i < specFields.length; i += 2) {
            if (specFields[i + 1] != null) {
                spec.put((String) specFields[i], specFields[i + 1]);
            }
        }
        Map<String, Object> object = Map.of("apiVersion", "apps/v1", "kind", "Deployment",
                "metadata", Map.of("name", "web", "namespace", "shop"), "spec", spec);
        SourceLocation file = SourceLocation.of("apps/web.yaml");
        return new Manifest(new ResourceKey("Deployment", "shop", "web"), "apps/v1", object, file,
                new FieldLocations(file, Map.of()));
    }

    static Map<String, Object> rollingUpdate(Object maxSurge, Object maxUnavailable) {
        return Map.of("type", "RollingUpdate",
                "rollingUpdate", Map.of("maxSurge", maxSurge, "maxUnavailable", maxUnavailable));
    }

    @SuppressWarnings("unchecked")
    static String hashOf(Manifest deployment) {
        return PodTemplateHash.of((Map<String, Object>) ((Map<String, Object>) deployment.object().get("spec"))
                .get("template"));
    }

    /** A running pod of template {@code hash}; ready since {@code readySince}, or not ready when that is null. */
    static PodView pod(String id, String hash, Instant createdAt, Instant readySince) {
        return new PodView(id, "web-" + hash + "-" + id, Map.of(DeploymentPods.HASH_LABEL, hash), Map.of(),
                createdAt, PodPhase.RUNNING, readySince != null, readySince, 0, false);
    }

    static PodView ready(String id, String hash) {
        return pod(id, hash, T0, T0);
    }

    static PodView terminating(PodView pod) {
        return new PodView(pod.id(), pod.name(), pod.labels(), pod.annotations(), pod.createdAt(), pod.phase(),
                false, null, pod.restarts(), true);
    }

    static PodView finished(PodView pod, PodPhase phase) {
        return new PodView(pod.id(), pod.name(), pod.labels(), pod.annotations(), pod.createdAt(), phase,
                false, null, pod.restarts(), pod.terminating());
    }

    static PodView restarted(PodView pod, int restarts) {
        return new PodView(pod.id(), pod.name(), pod.labels(), pod.annotations(), pod.createdAt(), pod.phase(),
                pod.ready(), pod.readySince(), restarts, pod.terminating());
    }
}
