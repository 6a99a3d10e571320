package dev.berth.manifest;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The kinds berth understands, with the apiVersion each must carry and fabric8's model class for it. */
public enum Kind {
    NAMESPACE("Namespace", "v1", Namespace.class, false, 0),
    PRIORITY_CLASS("PriorityClass", "scheduling.k8s.io/v1", PriorityClass.class, false, 0),
    CONFIG_MAP("ConfigMap", "v1", ConfigMap.class, true, 1),
    SECRET("Secret", "v1", Secret.class, true, 1),
    PERSISTENT_VOLUME_CLAIM("PersistentVolumeClaim", "v1", PersistentVolumeClaim.class, true, 1),
    SERVICE("Service", "v1", Service.class, true, 2),
    POD("Pod", "v1", Pod.class, true, 3),
    DEPLOYMENT("Deployment", "apps/v1", Deployment.class, true, 3),
    JOB("Job", "batch/v1", Job.class, true, 3),
    CRON_JOB("CronJob", "batch/v1", CronJob.class, true, 3);

    private final String name;
    private final String apiVersion;
    private final Class<? extends HasMetadata> model;
    private final boolean namespaced;
    private final int wave;

    Kind(String name, String apiVersion, Class<? extends HasMetadata> model, boolean namespaced, int wave) {
        this.name = name;
        this.apiVersion = apiVersion;
        this.model = model;
        this.namespaced = namespaced;
        this.wave = wave;
    }

    public static Optional<Kind> named(String name) {
        return Arrays.stream(values()).filter(k -> k.name.equals(name)).findFirst();
    }

    public static String supported() {
        return Arrays.stream(values()).map(k -> k.name).collect(Collectors.joining(", "));
    }

    /** The kind's name as written in manifests, e.g. "Deployment". */
    public String kindName() {
        return name;
    }

    public String apiVersion() {
        return apiVersion;
    }

    Class<? extends HasMetadata> model() {
        return model;
    }

    public boolean namespaced() {
        return namespaced;
    }

    /**
     * Apply order: namespaces first, then what workloads mount (config, secrets, claims), then services, then
     * workloads. Deletes run in the reverse order.
     */
    public int wave() {
        return wave;
    }
}
