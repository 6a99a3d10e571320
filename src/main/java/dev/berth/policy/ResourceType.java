package dev.berth.policy;

import java.util.Map;
import java.util.Optional;

/** The API group, version and resource of a kind berth manages, which admission rules match on. */
record ResourceType(String group, String version, String resource, String kind, boolean namespaced) {

    private static final Map<String, ResourceType> BY_KIND = Map.of(
            "Namespace", new ResourceType("", "v1", "namespaces", "Namespace", false),
            "Pod", core("pods", "Pod"),
            "ConfigMap", core("configmaps", "ConfigMap"),
            "Secret", core("secrets", "Secret"),
            "Service", core("services", "Service"),
            "PersistentVolumeClaim", core("persistentvolumeclaims", "PersistentVolumeClaim"),
            "Deployment", new ResourceType("apps", "v1", "deployments", "Deployment", true),
            "Job", new ResourceType("batch", "v1", "jobs", "Job", true),
            "CronJob", new ResourceType("batch", "v1", "cronjobs", "CronJob", true));

    static final ResourceType POD = BY_KIND.get("Pod");

    static Optional<ResourceType> ofKind(String kind) {
        return Optional.ofNullable(BY_KIND.get(kind));
    }

    private static ResourceType core(String resource, String kind) {
        return new ResourceType("", "v1", resource, kind, true);
    }
}
