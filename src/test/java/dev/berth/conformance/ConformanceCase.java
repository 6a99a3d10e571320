package dev.berth.conformance;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/**
 * One case of Kubernetes' sig-node or storage e2e conformance tests, ported as facts: the e2e file and test name, the
 * manifests berth runs, and what Kubernetes expects of them. A case berth cannot run on one node carries why instead.
 *
 * @param file  the e2e source, e.g. {@code node/expansion.go}
 * @param test  the e2e test's name, as Kubernetes reports it
 * @param steps what to run and expect, in order (empty when it does not run)
 * @param gap   why the case does not run here (not applicable), else null
 */
record ConformanceCase(String file, String test, List<Step> steps, String gap) {

    /** A file of manifests (one Pod, and the ConfigMaps, Secrets and Namespaces it uses) and what it must do. */
    record Step(String manifests, Expect expect) {}

    /** What a pod run with {@code berth run-pod}, or watched on a node, must show. */
    sealed interface Expect permits Output, Refused, Observed, Logged {}

    /**
     * The pod ran to its end with {@code exitCode}; each of {@code present} is found in its output (a substring, or a
     * regular expression when {@code regex}), as the e2e framework's TestContainerOutput(Regexp) matches the log; none of
     * {@code absent} is.
     */
    record Output(int exitCode, List<String> present, List<String> absent, boolean regex) implements Expect {}

    /**
     * The pod is refused before any container runs (exit 1), as the API server or the kubelet refuses it, with every
     * one of {@code fragments} in the error.
     */
    record Refused(List<String> fragments) implements Expect {}

    /**
     * The pod {@code pod}, run by {@code berth watch} with the step's manifests, meets {@code condition} (on its status:
     * phase, status, ready, restarts) at some time within {@code seconds} of its first sighting, or, when
     * {@code always}, all along those seconds.
     */
    record Observed(String pod, boolean always, int seconds, String description, Predicate<JsonNode> condition)
            implements Expect {}

    /**
     * The step's manifests are committed on the {@code berth watch} node (in place of the case's previous step's, as an
     * update through the API server), and within {@code seconds} each container of {@code logs} shows its text in its
     * log, as the e2e tests poll a pod's log; the pod stays the same one all along (its id), no container restarted,
     * as a kubelet updates a running pod's volumes in place.
     */
    record Logged(String pod, Map<String, String> logs, int seconds) implements Expect {}

    static final String NOT_APPLICABLE = "not applicable: ";

    /** Not applicable: reported as skipped, with why, and not counted as applicable. */
    boolean skipped() {
        return gap != null;
    }
}
