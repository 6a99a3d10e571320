package dev.berth.policy;

import static dev.berth.policy.PolicyFiles.binding;
import static dev.berth.policy.PolicyFiles.load;
import static dev.berth.policy.PolicyFiles.policy;
import static dev.berth.policy.TestObjects.container;
import static dev.berth.policy.TestObjects.desired;
import static dev.berth.policy.TestObjects.fileOf;
import static dev.berth.policy.TestObjects.manifest;
import static dev.berth.policy.TestObjects.pod;
import static dev.berth.policy.TestObjects.podSpec;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.core.ResourceKey;
import dev.berth.manifest.Manifest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Binding, matching and evaluation semantics, on policies written for each test. */
class PolicySetTest {

    private static final String NO_BUSYBOX = """
              validations:
                - expression: "object.spec.containers.all(c, !c.image.startsWith('busybox'))"
                  message: no busybox
            """;

    @TempDir
    Path root;

    private static List<String> messages(PolicySet set, Manifest... manifests) {
        return set.evaluate(desired(manifests)).stream().map(v -> v.key() + " " + v.action() + " " + v.message())
                .toList();
    }

    private static Manifest busybox(String name) {
        return pod(name, container("app", "busybox:1.36"));
    }

    @Test
    void denyBindingGivesDenyViolation() {
        PolicySet set = load(root, "p.yaml", policy("nb", NO_BUSYBOX) + binding("nb", "[Deny]"));
        assertEquals(List.of(new Violation("nb", new ResourceKey("Pod", "shop", "a"), "no busybox", Enforcement.DENY,
                fileOf("a"))), set.evaluate(desired(busybox("a"), pod("b", container("app", "nginx:1")))));
    }

    @Test
    void warnBindingGivesWarning() {
        PolicySet set = load(root, "p.yaml", policy("nb", NO_BUSYBOX) + binding("nb", "[Warn]"));
        assertEquals(List.of("Pod shop/a WARN no busybox"), messages(set, busybox("a")));
    }

    @Test
    void denyAndWarnGiveOneDeny() {
        PolicySet set = load(root, "p.yaml", policy("nb", NO_BUSYBOX) + binding("nb", "[Deny, Warn]"));
        assertEquals(List.of("Pod shop/a DENY no busybox"), messages(set, busybox("a")));
    }

    @Test
    void auditOnlyBindingReportsNothing() {
        PolicySet set = load(root, "p.yaml", policy("nb", NO_BUSYBOX) + binding("nb", "[Audit]"));
        assertEquals(List.of(), messages(set, busybox("a")));
        assertEquals(List.of("binding 'nb-binding' only audits: berth does not report audit results"), set.notes());
    }

    @Test
    void unboundPolicyIsNotEnforced() {
        PolicySet set = load(root, "p.yaml", policy("nb", NO_BUSYBOX));
        assertEquals(List.of(), messages(set, busybox("a")));
        assertEquals(List.of("policy 'nb' has no binding: it is not enforced (as in a cluster)"), set.notes());
        assertEquals(1, set.size());
    }

    @Test
    void bindingOfMissingPolicyIsNoted() {
        PolicySet set = load(root, "b.yaml", binding("ghost", "[Deny]"));
        assertEquals(List.of("binding 'ghost-binding' names policy 'ghost', which does not exist: it has no effect"),
                set.notes());
        assertEquals(0, set.size());
    }

    @Test
    void policyAndBindingMayLiveInSeparateFiles() {
        PolicySet set = load(root, "a.yml", policy("nb", NO_BUSYBOX), "sub/b.yaml", binding("nb", "[Deny]"),
                "README.md", "not yaml: [");
        assertEquals(List.of("Pod shop/a DENY no busybox"), messages(set, busybox("a")));
    }

    @Test
    void defaultMessageNamesTheExpression() {
        PolicySet set = load(root, "p.yaml", policy("nb", """
                  validations:
                    - expression: "object.metadata.name != 'a'"
                """) + binding("nb", "[Deny]"));
        assertEquals(List.of("Pod shop/a DENY failed expression: object.metadata.name != 'a'"),
                messages(set, busybox("a")));
    }

    @Test
    void variablesAndMessageExpression() {
        PolicySet set = load(root, "p.yaml", policy("images", """
                  variables:
                    - name: images
                      expression: "object.spec.containers.map(c, c.image)"
                    - name: busyboxes
                      expression: "variables.images.filter(i, i.startsWith('busybox'))"
                  validations:
                    - expression: "size(variables.busyboxes) == 0"
                      messageExpression: "request.name + ' in ' + request.namespace + ' uses ' + variables.busyboxes.join(', ')"
                      message: fallback
                """) + binding("images", "[Deny]"));
        assertEquals(List.of("Pod shop/a DENY a in shop uses busybox:1.36"), messages(set, busybox("a")));
    }

    @Test
    void failingMessageExpressionFallsBackToMessage() {
        PolicySet set = load(root, "p.yaml", policy("nb", """
                  validations:
                    - expression: "false"
                      messageExpression: "'field is ' + object.no.such.field"
                      message: static text
                """) + binding("nb", "[Deny]"));
        assertEquals(List.of("Pod shop/a DENY static text"), messages(set, busybox("a")));
    }

    @Test
    void matchConditionsMustAllHold() {
        PolicySet set = load(root, "p.yaml", policy("nb", """
                  matchConditions:
                    - name: labelled
                      expression: "has(object.metadata.labels) && 'strict' in object.metadata.labels"
                    - name: not-b
                      expression: "object.metadata.name != 'b'"
                """ + NO_BUSYBOX) + binding("nb", "[Deny]"));
        Manifest strictA = manifest("Pod", "v1", "shop", "a", podSpec(container("app", "busybox:1")),
                Map.of("strict", "yes"));
        Manifest strictB = manifest("Pod", "v1", "shop", "b", podSpec(container("app", "busybox:1")),
                Map.of("strict", "yes"));
        assertEquals(List.of("Pod shop/a DENY no busybox"), messages(set, strictA, strictB, busybox("c")));
    }

    @Test
    void runtimeErrorFailsWhenFailurePolicyIsFail() {
        PolicySet set = load(root, "p.yaml", policy("nb", """
                  validations:
                    - expression: "object.spec.hostNetwork == false"
                """) + binding("nb", "[Deny]"));
        List<String> messages = messages(set, busybox("a"));
        assertEquals(1, messages.size());
        String message = messages.get(0);
        assertEquals(true, message.startsWith(
                "Pod shop/a DENY expression 'object.spec.hostNetwork == false' resulted in error: "), message);
        assertEquals(true, message.contains("hostNetwork"), message);
    }

    @Test
    void runtimeErrorIsIgnoredWhenFailurePolicyIsIgnore() {
        PolicySet set = load(root, "p.yaml", policy("nb", """
                  failurePolicy: Ignore
                  validations:
                    - expression: "object.spec.hostNetwork == false"
                """ + NO_BUSYBOX.substring(NO_BUSYBOX.indexOf("    -"))) + binding("nb", "[Deny]"));
        assertEquals(List.of("Pod shop/a DENY no busybox"), messages(set, busybox("a")));
    }

    @Test
    void failingVariableFailsOnlyTheValidationsUsingIt() {
        PolicySet set = load(root, "p.yaml", policy("nb", """
                  variables:
                    - name: broken
                      expression: "object.spec.missing"
                  validations:
                    - expression: "variables.broken == 1"
                      message: never shown
                """ + NO_BUSYBOX.substring(NO_BUSYBOX.indexOf("    -"))) + binding("nb", "[Deny]"));
        List<String> messages = messages(set, busybox("a"));
        assertEquals(2, messages.size(), messages.toString());
        assertEquals(true, messages.get(0).contains("variable 'broken' resulted in error"), messages.get(0));
        assertEquals("Pod shop/a DENY no busybox", messages.get(1));
    }
}
