package dev.berth.manifest;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import java.util.Optional;

/** Finds the pod spec inside any workload kind, with its JSON pointer. */
final class PodTemplates {

    record Found(String pointer, PodSpec spec) {}

    private PodTemplates() {}

    static Optional<Found> of(HasMetadata object) {
        if (object instanceof Pod pod) {
            return Optional.ofNullable(pod.getSpec()).map(s -> new Found("/spec", s));
        }
        if (object instanceof Deployment d && d.getSpec() != null) {
            return template("/spec/template", d.getSpec().getTemplate());
        }
        if (object instanceof Job j) {
            return job("/spec", j.getSpec());
        }
        if (object instanceof CronJob c && c.getSpec() != null && c.getSpec().getJobTemplate() != null) {
            return job("/spec/jobTemplate/spec", c.getSpec().getJobTemplate().getSpec());
        }
        return Optional.empty();
    }

    private static Optional<Found> job(String pointer, JobSpec spec) {
        return spec == null ? Optional.empty() : template(pointer + "/template", spec.getTemplate());
    }

    private static Optional<Found> template(String pointer, PodTemplateSpec template) {
        if (template == null || template.getSpec() == null) {
            return Optional.empty();
        }
        return Optional.of(new Found(pointer + "/spec", template.getSpec()));
    }
}
