package dev.berth.node.workload;

import dev.berth.core.ResourceKey;
import dev.berth.manifest.Annotations;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;

/** Makes the pods controllers create: named, labelled and marked with their owner. */
public final class PodFactory {

    /** Kubernetes' alphabet for generated name suffixes: no vowels, no look-alikes. */
    private static final String SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private PodFactory() {}

    /**
     * A pod from {@code template} (which must be a copy the caller owns: it is reused, not cloned), in the owner's
     * namespace, with the template's labels and annotations plus {@code labels} and the owner annotation.
     */
    public static Pod fromTemplate(ResourceKey owner, PodTemplateSpec template, String name, Map<String, String> labels,
                                   Map<String, String> annotations) {
        ObjectMeta source = template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();
        Map<String, String> allLabels = new LinkedHashMap<>(source.getLabels() == null ? Map.of() : source.getLabels());
        allLabels.putAll(labels);
        Map<String, String> allAnnotations = new LinkedHashMap<>(
                source.getAnnotations() == null ? Map.of() : source.getAnnotations());
        allAnnotations.putAll(annotations);
        allAnnotations.put(Annotations.OWNER, ownerValue(owner));
        ObjectMeta meta = new ObjectMeta();
        meta.setName(name);
        meta.setNamespace(owner.namespace());
        meta.setLabels(allLabels);
        meta.setAnnotations(allAnnotations);
        Pod pod = new Pod();
        pod.setApiVersion("v1");
        pod.setKind("Pod");
        pod.setMetadata(meta);
        pod.setSpec(template.getSpec());
        return pod;
    }

    /** {@code Kind/namespace/name}: the value of {@link Annotations#OWNER}. */
    public static String ownerValue(ResourceKey owner) {
        return owner.kind() + "/" + owner.namespace() + "/" + owner.name();
    }

    /** A random five-character suffix, as Kubernetes appends to generated pod names. */
    public static String suffix() {
        StringBuilder out = new StringBuilder(5);
        for (int i = 0; i < 5; i++) {
            out.append(SUFFIX_ALPHABET.charAt(RANDOM.nextInt(SUFFIX_ALPHABET.length())));
        }
        return out.toString();
    }
}
