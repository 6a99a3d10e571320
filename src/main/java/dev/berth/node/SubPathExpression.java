package dev.berth.node;

import dev.berth.core.BerthException;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A volume mount's subPath as the kubelet works it out: {@code subPath} as written, or {@code subPathExpr} with its
 * {@code $(VAR)} references expanded from the container's own variables. The expanded path must name a variable that
 * has a value, be relative and have no {@code ..} part; else the container is not created
 * (CreateContainerConfigError), as the API server could only check the expression.
 */
final class SubPathExpression {

    private SubPathExpression() {}

    /**
     * @param declared the container's own variables (envFrom and env)
     * @return the subPath, null when the mount has none
     */
    static String subPath(VolumeMount mount, Map<String, String> declared, String container) {
        String expression = mount.getSubPathExpr();
        if (expression == null || expression.isEmpty()) {
            return mount.getSubPath();
        }
        String path = ContainerCommand.expand(expression, declared);
        String problem = problem(expression, path, declared);
        if (problem != null) {
            throw new BerthException("CreateContainerConfigError: container " + container + ": volumeMount "
                    + mount.getMountPath() + ": subPathExpr \"" + expression + "\": " + problem);
        }
        return path;
    }

    /** Why {@code path}, expanded from {@code expression}, cannot be a subPath; null when it can. */
    private static String problem(String expression, String path, Map<String, String> declared) {
        TreeSet<String> missing = new TreeSet<>();
        for (String name : ContainerCommand.references(expression)) {
            if (declared.getOrDefault(name, "").isEmpty()) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            return "missing value for " + String.join(", ", missing);
        }
        if (path.startsWith("/")) {
            return "subPath \"" + path + "\" must not be an absolute path";
        }
        if (List.of(path.split("/")).contains("..")) {
            return "subPath \"" + path + "\" must not contain '..'";
        }
        return null;
    }
}
