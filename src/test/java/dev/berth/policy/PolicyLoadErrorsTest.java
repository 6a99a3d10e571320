package dev.berth.policy;

import static dev.berth.policy.PolicyFiles.binding;
import static dev.berth.policy.PolicyFiles.load;
import static dev.berth.policy.PolicyFiles.policy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.DirectoryTreeReader;
import dev.berth.core.InvalidInputException;
import dev.berth.core.Problem;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Policy files that a load must refuse, with every problem located. */
class PolicyLoadErrorsTest {

    @TempDir
    Path root;

    private List<Problem> problems(String... nameThenContent) {
        return assertThrows(InvalidInputException.class, () -> load(root, nameThenContent)).problems();
    }

    private static void assertMentions(Problem problem, String location, String... parts) {
        assertEquals(location, problem.location().toString(), problem.toString());
        for (String part : parts) {
            assertTrue(problem.message().contains(part), () -> "'" + part + "' missing in: " + problem);
        }
    }

    @Test
    void celThatDoesNotCompileIsReportedWithFileLinePolicyAndExpression() {
        // policy() puts spec lines after 11 lines of header and match constraints.
        List<Problem> problems = problems("bad.yaml", policy("broken", """
                  validations:
                    - expression: "object.spec.containers.all(c, c.image ==)"
                    - expression: "nosuchvar.x == 1"
                """));
        assertEquals(2, problems.size(), problems.toString());
        assertMentions(problems.get(0), "policies/bad.yaml:13:19", "policy 'broken'",
                "spec.validations[0].expression", "object.spec.containers.all(c, c.image ==)", "mismatched input");
        assertMentions(problems.get(1), "policies/bad.yaml:14:19", "policy 'broken'", "nosuchvar.x == 1",
                "undeclared reference to 'nosuchvar'");
    }

    @Test
    void problemsOfAllFilesAreReportedTogether() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> load(root,
                "a.yaml", policy("a", "  validations:\n    - expression: \"1 +\"\n"),
                "b.yaml", policy("b", "  matchConditions:\n    - name: x\n      expression: \")\"\n")));
        assertEquals(2, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("policies/a.yaml:13:19: policy 'a'"), e.getMessage());
        assertTrue(e.getMessage().contains("policies/b.yaml:14:19: policy 'b': spec.matchConditions[0].expression"),
                e.getMessage());
    }

    @Test
    void nonBoolValidationIsACompileError() {
        List<Problem> problems = problems("p.yaml", policy("p", """
                  validations:
                    - expression: "object.metadata.name"
                    - expression: "size(object.spec) + 1"
                """));
        assertMentions(problems.get(0), "policies/p.yaml:13:19", "must evaluate to bool, not dyn");
        assertMentions(problems.get(1), "policies/p.yaml:14:19", "must evaluate to bool, not int");
    }

    @Test
    void nonStringMessageExpressionIsACompileError() {
        List<Problem> problems = problems("p.yaml", policy("p", """
                  validations:
                    - expression: "true"
                      messageExpression: "1"
                """));
        assertMentions(problems.get(0), "policies/p.yaml:14:26", "messageExpression", "must evaluate to string");
    }

    @Test
    void paramKindIsRefused() {
        List<Problem> problems = problems("p.yaml", policy("p", """
                  paramKind:
                    apiVersion: v1
                    kind: ConfigMap
                """));
        assertMentions(problems.get(0), "policies/p.yaml:13:5", "paramKind is not supported by berth");
    }

    @Test
    void paramRefIsRefused() {
        List<Problem> problems = problems("b.yaml", binding("p", "[Deny]") + "  paramRef:\n    name: x\n");
        assertMentions(problems.get(0), "policies/b.yaml:10:5", "paramRef is not supported by berth");
    }

    @Test
    void malformedDocumentsAreReported() {
        List<Problem> problems = problems(
                "syntax.yaml", "kind: [unclosed\n",
                "kind.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n",
                "actions.yaml", binding("p", "[Reject]"),
                "rules.yaml", "apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicy\n"
                        + "metadata:\n  name: r\nspec:\n  validations: []\n");
        assertEquals(4, problems.size(), problems.toString());
        assertMentions(problems.get(0), "policies/actions.yaml:8:23", "unknown validation action 'Reject'");
        assertMentions(problems.get(1), "policies/kind.yaml:1:1", "found v1 ConfigMap");
        assertMentions(problems.get(2), "policies/rules.yaml:6:3", "spec.matchConstraints is required");
        assertTrue(problems.get(3).location().toString().startsWith("policies/syntax.yaml:2"), problems.toString());
        assertTrue(problems.get(3).message().startsWith("invalid YAML"), problems.toString());
    }

    @Test
    void duplicateNamesAreRefused() {
        List<Problem> problems = problems("a.yaml", policy("same", ""), "b.yaml", policy("same", ""));
        assertMentions(problems.get(0), "policies/b.yaml:1:1", "'same' is already defined at policies/a.yaml:1:1");
    }

    @Test
    void missingDirectoryGivesNoPoliciesAndANote() {
        PolicySet set = PolicySet.load(new DirectoryTreeReader(root), "nowhere");
        assertEquals(0, set.size());
        assertEquals(1, set.notes().size());
        assertTrue(set.notes().get(0).startsWith("policies directory 'nowhere' not found"), set.notes().get(0));
    }

    @Test
    void emptySetHasNothing() {
        PolicySet set = PolicySet.empty();
        assertEquals(List.of(), set.evaluate(TestObjects.desired(TestObjects.pod("p",
                TestObjects.container("app", "busybox")))));
        assertEquals(0, set.size());
        assertEquals(List.of(), set.notes());
    }
}
