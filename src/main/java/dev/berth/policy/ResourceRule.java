package dev.berth.policy;

import java.util.List;

/** One entry of resourceRules / excludeResourceRules (a NamedRuleWithOperations). */
record ResourceRule(List<String> apiGroups, List<String> apiVersions, List<String> resources,
                    List<String> operations, List<String> resourceNames, String scope) {

    static ResourceRule parse(YamlNode rule) {
        return new ResourceRule(rule.strings("apiGroups"), rule.strings("apiVersions"), rule.strings("resources"),
                rule.strings("operations"), rule.strings("resourceNames"), rule.text("scope").orElse("*"));
    }

    /** berth creates or updates every desired object, so a rule for either operation applies. */
    boolean matches(AdmissionTarget target) {
        ResourceType type = target.type();
        return matchesAny(apiGroups, type.group())
                && matchesAny(apiVersions, type.version())
                && (matchesAny(resources, type.resource()) || resources.contains("*/*"))
                && (operations.contains("*") || operations.contains("CREATE") || operations.contains("UPDATE"))
                && (resourceNames.isEmpty() || resourceNames.contains(target.key().name()))
                && scopeMatches(type.namespaced());
    }

    private boolean scopeMatches(boolean namespaced) {
        return switch (scope) {
            case "Cluster" -> !namespaced;
            case "Namespaced" -> namespaced;
            default -> true;
        };
    }

    private static boolean matchesAny(List<String> allowed, String value) {
        return allowed.contains("*") || allowed.contains(value);
    }
}
