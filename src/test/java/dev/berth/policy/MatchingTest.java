package dev.berth.policy;

import static dev.berth.policy.PolicyFiles.load;
import static dev.berth.policy.TestObjects.container;
import static dev.berth.policy.TestObjects.desired;
import static dev.berth.policy.TestObjects.manifest;
import static dev.berth.policy.TestObjects.namespace;
import static dev.berth.policy.TestObjects.pod;
import static dev.berth.policy.TestObjects.podSpec;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.manifest.Manifest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which objects a policy and its binding apply to. Each policy here fails every object it applies to. */
class MatchingTest {

    @TempDir
    Path root;

    /** A policy failing everything its match constraints admit, bound with the given binding spec lines. */
    private PolicySet alwaysFailing(String matchConstraints, String bindingSpec) {
        return load(root, "p.yaml", """
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicy
                metadata:
                  name: all
                spec:
                  matchConstraints:
                %s
                  validations:
                    - expression: "false"
                      messageExpression: "request.kind.kind + ' ' + request.resource.resource + ' ' + request.operation"
                ---
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicyBinding
                metadata:
                  name: all
                spec:
                  policyName: all
                  validationActions: [Deny]
                %s
                """.formatted(matchConstraints.indent(4).stripTrailing(), bindingSpec.indent(2).stripTrailing()));
    }

    private static final String ALL_RESOURCES = """
            resourceRules:
              - apiGroups: ["*"]
                apiVersions: ["*"]
                resources: ["*"]
                operations: ["*"]
            """;

    private static List<String> hits(PolicySet set, Manifest... manifests) {
        return set.evaluate(desired(manifests)).stream().map(v -> v.key() + ": " + v.message()).toList();
    }

    private static Manifest deployment(String namespace, String name) {
        return manifest("Deployment", "apps/v1", namespace, name,
                TestObjects.deploymentSpec(podSpec(container("app", "nginx:1"))), Map.of());
    }

    @Test
    void wildcardRuleMatchesEveryKnownKindAndPodTemplates() {
        PolicySet set = alwaysFailing(ALL_RESOURCES, "");
        assertEquals(List.of(
                        "ConfigMap shop/c: ConfigMap configmaps CREATE",
                        "Deployment shop/web: Deployment deployments CREATE",
                        "Deployment shop/web: Pod pods CREATE (in pod template)",
                        "Namespace shop: Namespace namespaces CREATE"),
                hits(set, namespace("shop", Map.of()), deployment("shop", "web"),
                        manifest("ConfigMap", "v1", "shop", "c", null, Map.of())));
    }

    @Test
    void ruleMatchesGroupVersionResourceAndOperation() {
        PolicySet set = alwaysFailing("""
                resourceRules:
                  - apiGroups: ["apps"]
                    apiVersions: ["v1"]
                    resources: ["deployments"]
                    operations: ["UPDATE"]
                  - apiGroups: [""]
                    apiVersions: ["v1"]
                    resources: ["pods"]
                    operations: ["DELETE"]
                """, "");
        assertEquals(List.of("Deployment shop/web: Deployment deployments CREATE"),
                hits(set, deployment("shop", "web"), pod("p", container("app", "x"))));
    }

    @Test
    void excludeResourceRulesWin() {
        PolicySet set = alwaysFailing(ALL_RESOURCES + """
                excludeResourceRules:
                  - apiGroups: [""]
                    apiVersions: ["*"]
                    resources: ["pods", "namespaces"]
                    operations: ["*"]
                """, "");
        assertEquals(List.of("Deployment shop/web: Deployment deployments CREATE"),
                hits(set, namespace("shop", Map.of()), deployment("shop", "web")));
    }

    @Test
    void namespaceSelectorUsesDesiredNamespaceLabels() {
        PolicySet set = alwaysFailing("""
                resourceRules:
                  - apiGroups: [""]
                    apiVersions: ["v1"]
                    resources: ["pods"]
                    operations: ["CREATE"]
                namespaceSelector:
                  matchLabels:
                    env: prod
                """, "");
        assertEquals(List.of("Pod prod/p: Pod pods CREATE"), hits(set,
                namespace("prod", Map.of("env", "prod")), namespace("dev", Map.of("env", "dev")),
                pod("prod", "p", podSpec(container("app", "x"))), pod("dev", "p", podSpec(container("app", "x"))),
                pod("elsewhere", "p", podSpec(container("app", "x")))));
    }

    @Test
    void everyNamespaceCarriesItsNameLabel() {
        PolicySet set = alwaysFailing(ALL_RESOURCES + """
                namespaceSelector:
                  matchExpressions:
                    - key: kubernetes.io/metadata.name
                      operator: In
                      values: [shop, undeclared]
                """, "");
        assertEquals(List.of("Namespace shop: Namespace namespaces CREATE", "Pod shop/p: Pod pods CREATE",
                        "Pod undeclared/p: Pod pods CREATE"),
                hits(set, namespace("shop", Map.of()), namespace("other", Map.of()),
                        pod("shop", "p", podSpec(container("app", "x"))),
                        pod("other", "p", podSpec(container("app", "x"))),
                        pod("undeclared", "p", podSpec(container("app", "x")))));
    }

    @Test
    void objectSelectorExpressions() {
        PolicySet set = alwaysFailing(ALL_RESOURCES + """
                objectSelector:
                  matchExpressions:
                    - key: tier
                      operator: NotIn
                      values: [test]
                    - key: app
                      operator: Exists
                    - key: skip
                      operator: DoesNotExist
                """, "");
        Manifest web = manifest("ConfigMap", "v1", "shop", "web", null, Map.of("app", "web"));
        Manifest test = manifest("ConfigMap", "v1", "shop", "test", null, Map.of("app", "t", "tier", "test"));
        Manifest skipped = manifest("ConfigMap", "v1", "shop", "skip", null, Map.of("app", "s", "skip", "y"));
        Manifest unlabelled = manifest("ConfigMap", "v1", "shop", "none", null, Map.of());
        assertEquals(List.of("ConfigMap shop/web: ConfigMap configmaps CREATE"),
                hits(set, web, test, skipped, unlabelled));
    }

    @Test
    void podTemplateLabelsAreTheObjectLabelsOfTheTemplatePod() {
        PolicySet set = alwaysFailing(ALL_RESOURCES + """
                objectSelector:
                  matchLabels:
                    app: web
                """, "");
        assertEquals(List.of("Deployment shop/web: Pod pods CREATE (in pod template)"),
                hits(set, deployment("shop", "web")));
    }

    @Test
    void bindingMatchResourcesNarrowsFurther() {
        PolicySet set = alwaysFailing(ALL_RESOURCES, """
                matchResources:
                  namespaceSelector:
                    matchLabels:
                      kubernetes.io/metadata.name: shop
                  resourceRules:
                    - apiGroups: [""]
                      apiVersions: ["v1"]
                      resources: ["pods"]
                      operations: ["CREATE", "UPDATE"]
                """);
        assertEquals(List.of("Deployment shop/web: Pod pods CREATE (in pod template)", "Pod shop/p: Pod pods CREATE"),
                hits(set, deployment("shop", "web"), deployment("other", "web"),
                        pod("shop", "p", podSpec(container("app", "x")))));
    }

    @Test
    void namespaceObjectIsTheDesiredNamespace() {
        PolicySet set = load(root, "p.yaml", PolicyFiles.policy("ns", """
                  validations:
                    - expression: "namespaceObject == null || namespaceObject.metadata.labels.env != 'prod'"
                      messageExpression: "'no pods in ' + namespaceObject.metadata.name"
                """) + PolicyFiles.binding("ns", "[Deny]"));
        assertEquals(List.of("Pod prod/p: no pods in prod"), hits(set, namespace("prod", Map.of("env", "prod")),
                pod("prod", "p", podSpec(container("app", "x"))), pod("gone", "p", podSpec(container("app", "x")))));
    }
}
