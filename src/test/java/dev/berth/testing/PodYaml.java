package dev.berth.testing;

/** Pod manifests for the node's tests: a grace period of 1 s and one container, {@code main}. */
public final class PodYaml {

    /** The container line of a pod that only waits. */
    public static final String SLEEPS = "command: [sleep, \"3600\"]";

    private PodYaml() {}

    /**
     * A Pod document (ending in {@code ---}, so that several join into one file).
     *
     * @param spec      more lines of the pod's spec (may be empty)
     * @param container the lines of its container after {@code image}: its command, probes, resources
     */
    public static String pod(String name, String image, String spec, String container) {
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: %s}
                spec:
                  terminationGracePeriodSeconds: 1
                %s
                  containers:
                    - name: main
                      image: "%s"
                %s
                ---
                """.formatted(name, spec.indent(2).stripTrailing(), image, container.indent(6).stripTrailing());
    }
}
