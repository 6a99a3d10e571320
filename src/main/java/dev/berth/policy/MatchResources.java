package dev.berth.policy;

import java.util.List;

/** Which objects a policy (matchConstraints) or a binding (matchResources) is about. */
record MatchResources(LabelSelector namespaceSelector, LabelSelector objectSelector, List<ResourceRule> resourceRules,
                      List<ResourceRule> excludeResourceRules) {

    static MatchResources parse(YamlNode match) {
        return new MatchResources(
                match.field("namespaceSelector").map(LabelSelector::parse).orElse(LabelSelector.EVERYTHING),
                match.field("objectSelector").map(LabelSelector::parse).orElse(LabelSelector.EVERYTHING),
                match.items("resourceRules").stream().map(ResourceRule::parse).toList(),
                match.items("excludeResourceRules").stream().map(ResourceRule::parse).toList());
    }

    /** As in the API server, empty resourceRules match every resource (a policy is required to list some). */
    boolean matches(AdmissionTarget target) {
        return namespaceSelector.matches(target.namespaceLabels())
                && objectSelector.matches(target.labels())
                && (resourceRules.isEmpty() || resourceRules.stream().anyMatch(r -> r.matches(target)))
                && excludeResourceRules.stream().noneMatch(r -> r.matches(target));
    }
}
