package dev.berth.manifest;

import dev.berth.core.Problem;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The required-field and format rules of the API server that berth needs before it can plan. */
final class Checks {

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private final FieldLocations locations;
    private final List<Problem> problems;
    private final List<Problem> warnings;

    Checks(FieldLocations locations, List<Problem> problems, List<Problem> warnings) {
        this.locations = locations;
        this.problems = problems;
        this.warnings = warnings;
    }

    void check(HasMetadata object) {
        boolean labelNamed = object instanceof Namespace || object instanceof Service;
        name("/metadata/name", object.getMetadata() == null ? null : object.getMetadata().getName(), labelNamed);
        annotations(object.getMetadata().getAnnotations());
        if (object instanceof Deployment d) {
            deployment(d);
        } else if (object instanceof Service s && s.getSpec() != null) {
            new PortChecks(this::fail).service("/spec", s.getSpec());
        } else if (object instanceof CronJob c && (c.getSpec() == null || blank(c.getSpec().getSchedule()))) {
            fail("/spec/schedule", "field \"spec.schedule\" is required");
        }
        boolean job = object instanceof Job || object instanceof CronJob;
        boolean workload = job || object instanceof Deployment || object instanceof io.fabric8.kubernetes.api.model.Pod;
        var template = PodTemplates.of(object);
        if (workload && template.isEmpty()) {
            fail("/spec", "a pod spec with at least one container is required");
        }
        template.ifPresent(found -> podSpec(found.pointer(), found.spec(), job));
    }

    private void name(String pointer, String name, boolean dnsLabel) {
        if (blank(name)) {
            fail(pointer, "field \"" + ModelBinder.dotted(pointer) + "\" is required");
        } else if (!(dnsLabel ? DNS_LABEL : DNS_SUBDOMAIN).matcher(name).matches()) {
            fail(pointer, "invalid name \"" + name + "\": use lowercase letters, digits and '-'"
                    + (dnsLabel ? ", at most 63 characters" : " or '.'") + ", starting and ending with a letter or digit");
        }
    }

    private void annotations(Map<String, String> annotations) {
        if (annotations == null) {
            return;
        }
        expectOneOf(annotations, Annotations.PRUNE, Set.of("true", "false"));
        expectOneOf(annotations, Annotations.DRIFT, Set.of("correct", "warn"));
    }

    private void expectOneOf(Map<String, String> annotations, String key, Set<String> allowed) {
        String value = annotations.get(key);
        if (value != null && !allowed.contains(value)) {
            fail("/metadata/annotations/" + YamlDocuments.escape(key),
                    "annotation " + key + " must be one of " + String.join(", ", allowed.stream().sorted().toList())
                            + ", got \"" + value + "\"");
        }
    }

    private void deployment(Deployment d) {
        if (d.getSpec() == null) {
            return;
        }
        LabelSelector selector = d.getSpec().getSelector();
        if (selector == null || selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty()) {
            fail("/spec/selector", "field \"spec.selector.matchLabels\" is required");
            return;
        }
        var template = d.getSpec().getTemplate();
        Map<String, String> labels = template == null || template.getMetadata() == null
                ? Map.of() : template.getMetadata().getLabels();
        if (labels == null || !labels.entrySet().containsAll(selector.getMatchLabels().entrySet())) {
            fail("/spec/selector", "spec.selector.matchLabels " + selector.getMatchLabels()
                    + " does not match the labels of spec.template.metadata.labels " + (labels == null ? "{}" : labels));
        }
    }

    private void podSpec(String pointer, PodSpec spec, boolean job) {
        if (spec.getContainers() == null || spec.getContainers().isEmpty()) {
            fail(pointer + "/containers", "at least one container is required in \"" + ModelBinder.dotted(pointer) + ".containers\"");
        }
        if (job && !"OnFailure".equals(spec.getRestartPolicy()) && !"Never".equals(spec.getRestartPolicy())) {
            fail(pointer + "/restartPolicy", "a Job's pods need restartPolicy OnFailure or Never, got "
                    + (spec.getRestartPolicy() == null ? "none" : "\"" + spec.getRestartPolicy() + "\""));
        } else if (!job && !Set.of("Always", "OnFailure", "Never").contains(spec.getRestartPolicy())) {
            fail(pointer + "/restartPolicy", "restartPolicy must be Always, OnFailure or Never");
        }
        Set<String> names = new HashSet<>();
        containers(pointer + "/initContainers", spec.getInitContainers(), names);
        containers(pointer + "/containers", spec.getContainers(), names);
        Set<String> volumes = volumes(pointer + "/volumes", spec.getVolumes());
        volumeMounts(pointer + "/initContainers", spec.getInitContainers(), volumes);
        volumeMounts(pointer + "/containers", spec.getContainers(), volumes);
        new FileModes(this::fail).podSpec(pointer, spec);
        new DownwardApiChecks(this::fail).podSpec(pointer, spec);
        new PodDnsChecks(this::fail).podSpec(pointer, spec);
        new EnvNameChecks(this::fail).podSpec(pointer, spec);
        new PortChecks(this::fail).podSpec(pointer, spec);
        new ProbeChecks(this::fail).podSpec(pointer, spec);
        new UnsupportedFields(this::fail, (at, message) -> warnings.add(new Problem(locations.find(at), message)))
                .podSpec(pointer, spec);
    }

    /**
     * Names and paths that become host paths: volume names, claim names, the paths of projected items. A manifest is
     * untrusted input, so each is checked before anything is made of it. Returns the volume names.
     */
    private Set<String> volumes(String pointer, List<Volume> volumes) {
        Set<String> names = new HashSet<>();
        if (volumes == null) {
            return names;
        }
        for (int i = 0; i < volumes.size(); i++) {
            Volume v = volumes.get(i);
            String at = pointer + "/" + i;
            name(at + "/name", v.getName(), true);
            if (v.getName() != null && !names.add(v.getName())) {
                fail(at + "/name", "duplicate volume name \"" + v.getName() + "\"");
            }
            if (v.getPersistentVolumeClaim() != null) {
                name(at + "/persistentVolumeClaim/claimName", v.getPersistentVolumeClaim().getClaimName(), false);
            }
            if (v.getConfigMap() != null) {
                items(at + "/configMap/items", v.getConfigMap().getItems());
            }
            if (v.getSecret() != null) {
                items(at + "/secret/items", v.getSecret().getItems());
            }
        }
        return names;
    }

    private void items(String pointer, List<KeyToPath> items) {
        if (items == null) {
            return;
        }
        for (int i = 0; i < items.size(); i++) {
            relativePath(pointer + "/" + i + "/path", items.get(i).getPath(), true);
        }
    }

    private void volumeMounts(String pointer, List<Container> containers, Set<String> volumes) {
        if (containers == null) {
            return;
        }
        for (int i = 0; i < containers.size(); i++) {
            List<VolumeMount> mounts = containers.get(i).getVolumeMounts();
            for (int j = 0; mounts != null && j < mounts.size(); j++) {
                VolumeMount m = mounts.get(j);
                String at = pointer + "/" + i + "/volumeMounts/" + j;
                if (m.getName() != null && !volumes.contains(m.getName())) {
                    fail(at + "/name", "no volume named \"" + m.getName() + "\" in the pod");
                }
                if (blank(m.getMountPath()) || !m.getMountPath().startsWith("/")) {
                    fail(at + "/mountPath", "mountPath must be an absolute path, got \"" + m.getMountPath() + "\"");
                }
                relativePath(at + "/subPath", m.getSubPath(), false);
                // the expression is checked as written; its expansion is checked when the container is made
                relativePath(at + "/subPathExpr", m.getSubPathExpr(), false);
                if (!blank(m.getSubPath()) && !blank(m.getSubPathExpr())) {
                    fail(at + "/subPathExpr", "subPathExpr and subPath are mutually exclusive");
                }
            }
        }
    }

    /** A path inside a volume: relative, and without a {@code ..} part that could lead out of it. */
    private void relativePath(String pointer, String path, boolean required) {
        if (blank(path)) {
            if (required) {
                fail(pointer, "field \"" + ModelBinder.dotted(pointer) + "\" is required");
            }
            return;
        }
        String field = "field \"" + ModelBinder.dotted(pointer) + "\": ";
        if (path.startsWith("/")) {
            fail(pointer, field + "must be a relative path, got \"" + path + "\"");
        } else if (List.of(path.split("/")).contains("..")) {
            fail(pointer, field + "must not contain '..', got \"" + path + "\"");
        }
    }

    private void containers(String pointer, List<Container> containers, Set<String> names) {
        if (containers == null) {
            return;
        }
        for (int i = 0; i < containers.size(); i++) {
            Container c = containers.get(i);
            String at = pointer + "/" + i;
            name(at + "/name", c.getName(), true);
            if (c.getName() != null && !names.add(c.getName())) {
                fail(at + "/name", "duplicate container name \"" + c.getName() + "\"");
            }
            if (blank(c.getImage())) {
                fail(at + "/image", "field \"" + ModelBinder.dotted(at) + ".image\" is required");
            }
        }
    }

    private void fail(String pointer, String message) {
        problems.add(new Problem(locations.find(pointer), message));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
