package dev.berth.manifest;

import static dev.berth.core.Nulls.orEmpty;

import dev.berth.core.ExtendedResources;
import dev.berth.core.Quantity;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.NodeAffinity;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The scheduling fields of a pod spec: the API server's rules for node affinity and extended resources (the
 * scheduler honours both), and a note for each field that can make no difference on one node.
 */
final class SchedulingFields {

    private static final Set<String> OPERATORS = Set.of("In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt");

    private final BiConsumer<String, String> error;
    private final BiConsumer<String, String> note;

    /** Both take a JSON pointer and a message. */
    SchedulingFields(BiConsumer<String, String> error, BiConsumer<String, String> note) {
        this.error = error;
        this.note = note;
    }

    void podSpec(String at, PodSpec spec) {
        affinity(at + "/affinity", spec.getAffinity());
        if (spec.getTopologySpreadConstraints() != null && !spec.getTopologySpreadConstraints().isEmpty()) {
            noEffect(at + "/topologySpreadConstraints", "one node is one topology domain, where the skew is always 0 "
                    + "(berth checks neither minDomains nor that the node has each topologyKey label)");
        }
        containers(at + "/initContainers", spec.getInitContainers());
        containers(at + "/containers", spec.getContainers());
    }

    private void affinity(String at, Affinity affinity) {
        if (affinity == null) {
            return;
        }
        nodeAffinity(at + "/nodeAffinity", affinity.getNodeAffinity());
        if (affinity.getPodAffinity() != null) {
            note.accept(at + "/podAffinity", "field \"" + ModelBinder.dotted(at + "/podAffinity") + "\" is ignored: "
                    + "berth does not place pods by the pods already running");
        }
        if (affinity.getPodAntiAffinity() != null) {
            note.accept(at + "/podAntiAffinity", "field \"" + ModelBinder.dotted(at + "/podAntiAffinity") + "\" is "
                    + "ignored: berth does not keep pods apart; on a one-node cluster a required anti-affinity to a "
                    + "running pod keeps the new pod Pending");
        }
    }

    private void nodeAffinity(String at, NodeAffinity affinity) {
        if (affinity == null) {
            return;
        }
        var required = affinity.getRequiredDuringSchedulingIgnoredDuringExecution();
        if (required != null) {
            String terms = at + "/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms";
            List<NodeSelectorTerm> list = orEmpty(required.getNodeSelectorTerms());
            if (list.isEmpty()) {
                error.accept(terms, "must have at least one node selector term");
            }
            for (int i = 0; i < list.size(); i++) {
                term(terms + "/" + i, list.get(i));
            }
        }
        List<PreferredSchedulingTerm> preferred = orEmpty(affinity.getPreferredDuringSchedulingIgnoredDuringExecution());
        String preferredAt = at + "/preferredDuringSchedulingIgnoredDuringExecution";
        for (int i = 0; i < preferred.size(); i++) {
            Integer weight = preferred.get(i).getWeight();
            if (weight == null || weight < 1 || weight > 100) {
                error.accept(preferredAt + "/" + i + "/weight", "must be in the range 1-100, got " + weight);
            }
            if (preferred.get(i).getPreference() != null) {
                term(preferredAt + "/" + i + "/preference", preferred.get(i).getPreference());
            }
        }
        if (!preferred.isEmpty()) {
            noEffect(preferredAt, "with one node there is no other node to prefer");
        }
    }

    private void term(String at, NodeSelectorTerm term) {
        List<NodeSelectorRequirement> expressions = orEmpty(term.getMatchExpressions());
        for (int i = 0; i < expressions.size(); i++) {
            labelRequirement(at + "/matchExpressions/" + i, expressions.get(i));
        }
        List<NodeSelectorRequirement> fields = orEmpty(term.getMatchFields());
        for (int i = 0; i < fields.size(); i++) {
            fieldRequirement(at + "/matchFields/" + i, fields.get(i));
        }
    }

    private void labelRequirement(String at, NodeSelectorRequirement r) {
        List<String> values = orEmpty(r.getValues());
        if (r.getKey() == null || r.getKey().isEmpty()) {
            error.accept(at + "/key", "a label key is required");
        }
        switch (String.valueOf(r.getOperator())) {
            case "In", "NotIn" -> {
                if (values.isEmpty()) {
                    error.accept(at + "/values", "must be specified when `operator` is 'In' or 'NotIn'");
                }
            }
            case "Exists", "DoesNotExist" -> {
                if (!values.isEmpty()) {
                    error.accept(at + "/values", "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
                }
            }
            case "Gt", "Lt" -> {
                if (values.size() != 1) {
                    error.accept(at + "/values", "must be specified single value when `operator` is 'Lt' or 'Gt'");
                } else if (!values.get(0).matches("[+-]?\\d{1,18}")) {
                    // the API server takes it; the scheduler then matches no node with it
                    note.accept(at + "/values/0", "\"" + values.get(0) + "\" is not an integer: this requirement "
                            + "matches no node, so the pod stays Pending unless another term matches");
                }
            }
            default -> error.accept(at + "/operator", "not a valid selector operator \"" + r.getOperator()
                    + "\" (expected one of " + String.join(", ", OPERATORS.stream().sorted().toList()) + ")");
        }
    }

    private void fieldRequirement(String at, NodeSelectorRequirement r) {
        if (!dev.berth.scheduler.NodeAffinity.NAME_FIELD.equals(r.getKey())) {
            error.accept(at + "/key", "not a valid field selector key \"" + r.getKey() + "\" (only metadata.name)");
        }
        if (!"In".equals(r.getOperator()) && !"NotIn".equals(r.getOperator())) {
            error.accept(at + "/operator", "not a valid selector operator \"" + r.getOperator()
                    + "\" for a node field selector (expected In or NotIn)");
        } else if (orEmpty(r.getValues()).size() != 1) {
            error.accept(at + "/values", "must be only one value when `operator` is 'In' or 'NotIn' for node field "
                    + "selector");
        }
    }

    /** The API server's rules for resources the node may not overcommit: whole units, and request equal to limit. */
    private void containers(String at, List<Container> containers) {
        for (int i = 0; containers != null && i < containers.size(); i++) {
            var resources = containers.get(i).getResources();
            if (resources == null) {
                continue;
            }
            String here = at + "/" + i + "/resources";
            Map<String, io.fabric8.kubernetes.api.model.Quantity> requests = orEmpty(resources.getRequests());
            Map<String, io.fabric8.kubernetes.api.model.Quantity> limits = orEmpty(resources.getLimits());
            limits.forEach((name, limit) -> wholeUnits(here + "/limits/" + YamlDocuments.escape(name), name, limit));
            requests.forEach((name, request) -> {
                if (!ExtendedResources.isExtended(name)) {
                    return;
                }
                String where = here + "/requests/" + YamlDocuments.escape(name);
                wholeUnits(where, name, request);
                var limit = limits.get(name);
                if (limit == null) {
                    error.accept(here + "/limits", "limit must be set for non overcommitable resources (" + name + ")");
                } else if (parse(request).isPresent() && !parse(request).equals(parse(limit))) {
                    error.accept(where, "must be equal to " + name + " limit");
                }
            });
        }
    }

    private void wholeUnits(String at, String name, io.fabric8.kubernetes.api.model.Quantity written) {
        if (ExtendedResources.isExtended(name)
                && parse(written).filter(q -> ExtendedResources.wholeUnits(q).isEmpty()).isPresent()) {
            error.accept(at, "must be an integer, got " + written);
        }
    }

    /** Empty when malformed: CanonicalTree reports that. */
    private static Optional<Quantity> parse(io.fabric8.kubernetes.api.model.Quantity written) {
        try {
            return Optional.of(Quantity.parse(written.toString()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private void noEffect(String at, String why) {
        note.accept(at, "field \"" + ModelBinder.dotted(at) + "\" has no effect: " + why);
    }

}
