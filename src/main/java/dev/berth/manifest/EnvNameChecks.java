package dev.berth.manifest;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The API server's rule for environment variable names and envFrom prefixes since Kubernetes 1.32
 * (RelaxedEnvironmentVariableValidation, on by default): any printable ASCII character but {@code =}, so keys such as
 * {@code data-1} or {@code app.config} become variables as written.
 */
final class EnvNameChecks {

    static final String RULE = "a valid environment variable name must consist only of printable ASCII characters"
            + " other than '='";

    private final BiConsumer<String, String> error;

    /** @param error takes a JSON pointer and a message */
    EnvNameChecks(BiConsumer<String, String> error) {
        this.error = error;
    }

    void podSpec(String at, PodSpec spec) {
        containers(at + "/initContainers", spec.getInitContainers());
        containers(at + "/containers", spec.getContainers());
    }

    private void containers(String at, List<Container> containers) {
        for (int i = 0; containers != null && i < containers.size(); i++) {
            List<EnvVar> env = containers.get(i).getEnv();
            for (int j = 0; env != null && j < env.size(); j++) {
                String name = env.get(j).getName();
                String where = at + "/" + i + "/env/" + j + "/name";
                if (name == null || name.isEmpty()) {
                    error.accept(where, "field \"" + ModelBinder.dotted(where) + "\" is required");
                } else if (!valid(name)) {
                    error.accept(where, "invalid environment variable name \"" + name + "\": " + RULE);
                }
            }
            List<EnvFromSource> from = containers.get(i).getEnvFrom();
            for (int j = 0; from != null && j < from.size(); j++) {
                String prefix = from.get(j).getPrefix();
                if (prefix != null && !prefix.isEmpty() && !valid(prefix)) {
                    error.accept(at + "/" + i + "/envFrom/" + j + "/prefix",
                            "invalid envFrom prefix \"" + prefix + "\": " + RULE);
                }
            }
        }
    }

    static boolean valid(String name) {
        return !name.isEmpty() && name.chars().allMatch(c -> c >= 0x20 && c <= 0x7e && c != '=');
    }
}
