package dev.berth.manifest;

import static dev.berth.core.Nulls.orEmpty;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Fills in what the API server would default, so a manifest that spells a default out and one that leaves it
 * out are the same object and neither shows false drift.
 */
final class Defaults {

    private Defaults() {}

    static void apply(HasMetadata object) {
        if (object instanceof Namespace ns) {
            Map<String, String> labels = new LinkedHashMap<>(orEmpty(ns.getMetadata().getLabels()));
            labels.putIfAbsent("kubernetes.io/metadata.name", ns.getMetadata().getName());
            ns.getMetadata().setLabels(labels);
        } else if (object instanceof Secret secret) {
            secret(secret);
        } else if (object instanceof Service service && service.getSpec() != null) {
            service(service);
        } else if (object instanceof PersistentVolumeClaim pvc && pvc.getSpec() != null) {
            set(pvc.getSpec()::getVolumeMode, pvc.getSpec()::setVolumeMode, "Filesystem");
        } else if (object instanceof Deployment d && d.getSpec() != null) {
            deployment(d.getSpec());
        } else if (object instanceof Job j && j.getSpec() != null) {
            job(j.getSpec());
        } else if (object instanceof CronJob c && c.getSpec() != null) {
            cronJob(c.getSpec());
        }
        boolean job = object instanceof Job || object instanceof CronJob;
        PodTemplates.of(object).ifPresent(found -> podSpec(found.spec(), job));
    }

    /** Like the API server: stringData is write-only and merged into data, base64-encoded. */
    private static void secret(Secret secret) {
        set(secret::getType, secret::setType, "Opaque");
        if (secret.getStringData() != null && !secret.getStringData().isEmpty()) {
            Map<String, String> data = new LinkedHashMap<>(orEmpty(secret.getData()));
            Base64.Encoder base64 = Base64.getEncoder();
            secret.getStringData().forEach((k, v) -> data.put(k, base64.encodeToString(v.getBytes(StandardCharsets.UTF_8))));
            secret.setData(data);
            secret.setStringData(null);
        }
    }

    private static void service(Service service) {
        var spec = service.getSpec();
        set(spec::getType, spec::setType, "ClusterIP");
        set(spec::getSessionAffinity, spec::setSessionAffinity, "None");
        for (ServicePort port : orEmpty(spec.getPorts())) {
            set(port::getProtocol, port::setProtocol, "TCP");
            if (port.getTargetPort() == null && port.getPort() != null) {
                port.setTargetPort(new IntOrString(port.getPort()));
            }
        }
    }

    private static void deployment(DeploymentSpec spec) {
        set(spec::getReplicas, spec::setReplicas, 1);
        set(spec::getRevisionHistoryLimit, spec::setRevisionHistoryLimit, 10);
        set(spec::getProgressDeadlineSeconds, spec::setProgressDeadlineSeconds, 600);
        set(spec::getStrategy, spec::setStrategy, new DeploymentStrategy(null, "RollingUpdate"));
        DeploymentStrategy strategy = spec.getStrategy();
        set(strategy::getType, strategy::setType, "RollingUpdate");
        if ("RollingUpdate".equals(strategy.getType())) {
            set(strategy::getRollingUpdate, strategy::setRollingUpdate, new RollingUpdateDeployment());
            RollingUpdateDeployment rolling = strategy.getRollingUpdate();
            set(rolling::getMaxSurge, rolling::setMaxSurge, new IntOrString("25%"));
            set(rolling::getMaxUnavailable, rolling::setMaxUnavailable, new IntOrString("25%"));
        }
    }

    private static void job(JobSpec spec) {
        set(spec::getCompletions, spec::setCompletions, 1);
        set(spec::getParallelism, spec::setParallelism, 1);
        set(spec::getBackoffLimit, spec::setBackoffLimit, 6);
    }

    private static void cronJob(CronJobSpec spec) {
        set(spec::getConcurrencyPolicy, spec::setConcurrencyPolicy, "Allow");
        set(spec::getSuspend, spec::setSuspend, false);
        set(spec::getSuccessfulJobsHistoryLimit, spec::setSuccessfulJobsHistoryLimit, 3);
        set(spec::getFailedJobsHistoryLimit, spec::setFailedJobsHistoryLimit, 1);
        if (spec.getJobTemplate() != null && spec.getJobTemplate().getSpec() != null) {
            job(spec.getJobTemplate().getSpec());
        }
    }

    private static void podSpec(PodSpec spec, boolean job) {
        // Jobs must choose OnFailure or Never themselves (Checks says so), so they get no default here.
        if (!job) {
            set(spec::getRestartPolicy, spec::setRestartPolicy, "Always");
        }
        set(spec::getTerminationGracePeriodSeconds, spec::setTerminationGracePeriodSeconds, 30L);
        for (Container c : orEmpty(spec.getInitContainers())) {
            container(c);
        }
        for (Container c : orEmpty(spec.getContainers())) {
            container(c);
        }
    }

    private static void container(Container c) {
        set(c::getImagePullPolicy, c::setImagePullPolicy, ImageReference.defaultPullPolicy(c.getImage()));
        for (ContainerPort port : orEmpty(c.getPorts())) {
            set(port::getProtocol, port::setProtocol, "TCP");
        }
        for (Probe probe : new Probe[] {c.getLivenessProbe(), c.getReadinessProbe(), c.getStartupProbe()}) {
            if (probe != null) {
                set(probe::getPeriodSeconds, probe::setPeriodSeconds, 10);
                set(probe::getTimeoutSeconds, probe::setTimeoutSeconds, 1);
                set(probe::getSuccessThreshold, probe::setSuccessThreshold, 1);
                set(probe::getFailureThreshold, probe::setFailureThreshold, 3);
            }
        }
    }

    private static <T> void set(Supplier<T> getter, Consumer<T> setter, T value) {
        if (getter.get() == null) {
            setter.accept(value);
        }
    }
}
