package dev.berth.policy;

import dev.berth.core.DirectoryTreeReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes policy YAML into a temporary tree and loads it. */
final class PolicyFiles {

    private PolicyFiles() {
    }

    static final String PODS = """
              matchConstraints:
                resourceRules:
                  - apiGroups: [""]
                    apiVersions: ["v1"]
                    resources: ["pods"]
                    operations: ["CREATE"]
            """;

    /** A policy named {@code name} on pods with the given spec lines (indented by two spaces) appended. */
    static String policy(String name, String specLines) {
        return """
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicy
                metadata:
                  name: %s
                spec:
                """.formatted(name) + PODS + specLines;
    }

    static String binding(String policy, String actions) {
        return """
                ---
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicyBinding
                metadata:
                  name: %s-binding
                spec:
                  policyName: %s
                  validationActions: %s
                """.formatted(policy, policy, actions);
    }

    static PolicySet load(Path root, String... nameThenContent) {
        try {
            Files.createDirectories(root.resolve("policies"));
            for (int i = 0; i < nameThenContent.length; i += 2) {
                Path file = root.resolve("policies").resolve(nameThenContent[i]);
                Files.createDirectories(file.getParent());
                Files.writeString(file, nameThenContent[i + 1]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return PolicySet.load(new DirectoryTreeReader(root), "policies");
    }
}
