package dev.berth.scheduler;

import dev.berth.core.BerthException;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns a pod's {@code priorityClassName} into its priority, as Kubernetes' Priority admission does, from the
 * classes the caller knows plus the two built-in system classes.
 */
public final class PriorityClasses {

    public static final int SYSTEM_NODE_CRITICAL = 2_000_001_000;
    public static final int SYSTEM_CLUSTER_CRITICAL = 2_000_000_000;
    /** Kubernetes keeps the values above this for the system classes. */
    public static final int HIGHEST_USER_DEFINABLE = 1_000_000_000;

    private final Map<String, Integer> values = new HashMap<>();

    /** {@code userDefined}: class name to value; names starting "system-" and values above 1e9 are Kubernetes' own. */
    public PriorityClasses(Map<String, Integer> userDefined) {
        userDefined.forEach((name, value) -> {
            if (name.startsWith("system-")) {
                throw new BerthException("PriorityClass " + name + ": the prefix \"system-\" is reserved");
            }
            if (value > HIGHEST_USER_DEFINABLE) {
                throw new BerthException("PriorityClass " + name + ": value " + value + " is above the highest "
                        + "user-definable priority " + HIGHEST_USER_DEFINABLE);
            }
            values.put(name, value);
        });
        values.put("system-node-critical", SYSTEM_NODE_CRITICAL);
        values.put("system-cluster-critical", SYSTEM_CLUSTER_CRITICAL);
    }

    /** The class's value when a class is named, else the pod's explicit priority, else 0. */
    public int resolve(String priorityClassName, Integer explicitPriority) {
        if (priorityClassName != null && !priorityClassName.isEmpty()) {
            Integer value = values.get(priorityClassName);
            if (value == null) {
                throw new BerthException("no PriorityClass with name " + priorityClassName + " was found");
            }
            return value;
        }
        return explicitPriority == null ? 0 : explicitPriority;
    }
}
