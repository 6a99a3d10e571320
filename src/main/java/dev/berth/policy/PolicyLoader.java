package dev.berth.policy;

import dev.berth.core.InvalidInputException;
import dev.berth.core.Problem;
import dev.berth.core.SourceLocation;
import dev.berth.core.TreeReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

/** Reads the policy and binding documents of a directory, collecting every problem before giving up. */
final class PolicyLoader {

    private static final String API_VERSION = "admissionregistration.k8s.io/v1";
    private static final String POLICY_KIND = "ValidatingAdmissionPolicy";
    private static final String BINDING_KIND = "ValidatingAdmissionPolicyBinding";

    private final List<Problem> problems = new ArrayList<>();
    private final PolicyParser parser = new PolicyParser(new CelCompiler(), problems);
    private final List<AdmissionPolicy> policies = new ArrayList<>();
    private final List<PolicyBinding> bindings = new ArrayList<>();
    private final Map<String, SourceLocation> seen = new HashMap<>();

    PolicySet load(TreeReader tree, String dir) {
        if (!tree.isDirectory(dir)) {
            return new PolicySet(List.of(), List.of(),
                    List.of("policies directory '" + dir + "' not found in " + tree.describe() + ": no policies"));
        }
        for (String file : tree.list(dir)) {
            if (file.endsWith(".yaml") || file.endsWith(".yml")) {
                loadFile(file, new String(tree.read(file), StandardCharsets.UTF_8));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        return new PolicySet(policies, bindings, PolicySet.notesFor(policies, bindings));
    }

    private void loadFile(String file, String text) {
        Compose compose = new Compose(LoadSettings.builder().setLabel(file).build());
        try {
            for (Node root : compose.composeAllFromString(text)) {
                loadDocument(new YamlNode(root, file, ""));
            }
        } catch (MarkedYamlEngineException e) {
            SourceLocation at = e.getProblemMark()
                    .map(m -> new SourceLocation(file, m.getLine() + 1, m.getColumn() + 1))
                    .orElse(SourceLocation.of(file));
            problems.add(new Problem(at, "invalid YAML: " + e.getProblem()));
        } catch (YamlEngineException e) {
            problems.add(new Problem(SourceLocation.of(file), "invalid YAML: " + e.getMessage()));
        }
    }

    private void loadDocument(YamlNode document) {
        if (document.isNull()) {
            return;
        }
        try {
            if (!(document.node() instanceof MappingNode)) {
                throw new PolicyFormatException(document.location(), "a policy document must be a mapping");
            }
            String kind = document.required("kind").text();
            String apiVersion = document.required("apiVersion").text();
            if (!apiVersion.equals(API_VERSION) || !(kind.equals(POLICY_KIND) || kind.equals(BINDING_KIND))) {
                throw new PolicyFormatException(document.location(), "expected " + API_VERSION + " " + POLICY_KIND
                        + " or " + BINDING_KIND + ", found " + apiVersion + " " + kind);
            }
            checkUnique(kind, document);
            if (kind.equals(POLICY_KIND)) {
                parser.policy(document).ifPresent(policies::add);
            } else {
                bindings.add(parser.binding(document));
            }
        } catch (PolicyFormatException e) {
            problems.add(e.problem());
        }
    }

    /** Names are unique per kind in a cluster; a second object would silently replace the first. */
    private void checkUnique(String kind, YamlNode document) {
        String name = document.required("metadata").required("name").text();
        SourceLocation first = seen.putIfAbsent(kind + "/" + name, document.location());
        if (first != null) {
            throw new PolicyFormatException(document.location(), kind + " '" + name + "' is already defined at " + first);
        }
    }
}
