package dev.berth.policy;

import static dev.berth.policy.TestObjects.container;
import static dev.berth.policy.TestObjects.desired;
import static dev.berth.policy.TestObjects.fileOf;
import static dev.berth.policy.TestObjects.manifest;
import static dev.berth.policy.TestObjects.mutable;
import static dev.berth.policy.TestObjects.pod;
import static dev.berth.policy.TestObjects.podSpec;
import static dev.berth.policy.TestObjects.templateOf;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.core.DirectoryTreeReader;
import dev.berth.core.ResourceKey;
import dev.berth.manifest.Manifest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ShippedPoliciesTest {

    private static final PolicySet SHIPPED = PolicySet.load(new DirectoryTreeReader(Path.of(".")), "policies");
    private static final ResourceKey POD = new ResourceKey("Pod", "shop", "p");

    private static List<Violation> check(Manifest... manifests) {
        return SHIPPED.evaluate(desired(manifests));
    }

    private static Violation deny(String policy, String message) {
        return new Violation(policy, POD, message, Enforcement.DENY, fileOf("p"));
    }

    @Test
    void allFiveLoadAndAreBound() {
        assertEquals(5, SHIPPED.size());
        assertEquals(List.of(), SHIPPED.notes());
    }

    @Test
    void goodPodPassesEveryPolicy() {
        Map<String, Object> spec = podSpec(container("app", "127.0.0.1:5000/busybox:1.36"));
        spec.put("initContainers", List.of(container("init", "busybox@sha256:" + "a".repeat(64))));
        spec.put("volumes", List.of(Map.of("name", "data", "hostPath", Map.of("path", "/srv/data"))));
        assertEquals(List.of(), check(pod("shop", "p", spec)));
    }

    @Test
    void privilegedContainerIsDenied() {
        Map<String, Object> app = container("app", "nginx:1.27");
        app.put("securityContext", Map.of("privileged", true));
        assertEquals(List.of(deny("no-privileged", "privileged containers are not allowed: app")),
                check(pod("p", app)));
    }

    @Test
    void privilegedInitContainerIsDenied() {
        Map<String, Object> init = container("init", "nginx:1.27");
        init.put("securityContext", Map.of("privileged", true, "runAsUser", 0L));
        Map<String, Object> spec = podSpec(container("app", "nginx:1.27"));
        spec.put("initContainers", List.of(init));
        assertEquals(List.of(deny("no-privileged", "privileged containers are not allowed: init")),
                check(pod("shop", "p", spec)));
    }

    @Test
    void hostNamespacesAreDeniedNamingEach() {
        Map<String, Object> spec = podSpec(container("app", "nginx:1.27"));
        spec.put("hostNetwork", true);
        spec.put("hostIPC", true);
        spec.put("hostPID", false);
        assertEquals(List.of(deny("no-host-namespaces", "host namespaces are not allowed: hostNetwork, hostIPC")),
                check(pod("shop", "p", spec)));
        spec.put("hostNetwork", false);
        spec.put("hostIPC", false);
        assertEquals(List.of(), check(pod("shop", "p", spec)));
    }

    @Test
    void explicitlyUnprivilegedContainerPasses() {
        Map<String, Object> app = container("app", "nginx:1.27");
        app.put("securityContext", Map.of("privileged", false));
        assertEquals(List.of(), check(pod("p", app)));
    }

    @Test
    void kubeSystemIsLeftAlone() {
        Map<String, Object> app = container("app", "nginx:1.27");
        app.put("securityContext", Map.of("privileged", true));
        assertEquals(List.of(), check(pod("kube-system", "p", podSpec(app))));
    }

    @Test
    void containerWithoutMemoryLimitIsDenied() {
        Map<String, Object> app = mutable("name", "app");
        app.put("image", "nginx:1.27");
        app.put("resources", Map.of("limits", Map.of("cpu", "1")));
        Map<String, Object> bare = mutable("name", "bare");
        bare.put("image", "nginx:1.27");
        Map<String, Object> spec = podSpec(app);
        spec.put("initContainers", List.of(bare));
        assertEquals(List.of(deny("memory-limits", "containers must set resources.limits.memory: app, bare")),
                check(pod("shop", "p", spec)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"busybox", "busybox:latest", "127.0.0.1:5000/busybox", "127.0.0.1:5000/busybox:latest",
        "registry.local/team/app"})
    void unpinnedImageIsDenied(String image) {
        assertEquals(List.of(deny("pinned-images",
                        "images must be pinned to a tag other than latest or to a digest: " + image)),
                check(pod("p", container("app", image))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"busybox:1.36", "127.0.0.1:5000/busybox:1.36", "registry.local:443/team/app:v2",
        "busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"})
    void pinnedImagePasses(String image) {
        assertEquals(List.of(), check(pod("p", container("app", image))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/etc", "/srv", "/srvx/data", "/srv/../etc", "/"})
    void hostPathOutsidePrefixIsDenied(String path) {
        Map<String, Object> spec = podSpec(container("app", "nginx:1.27"));
        spec.put("volumes", List.of(Map.of("name", "ok", "emptyDir", Map.of()),
                Map.of("name", "host", "hostPath", Map.of("path", path))));
        assertEquals(List.of(deny("hostpath-prefix", "hostPath volumes must be under /srv/: " + path)),
                check(pod("shop", "p", spec)));
    }

    @Test
    void workloadPodTemplatesAreChecked() {
        Map<String, Object> podSpec = podSpec(container("app", "nginx"));
        Manifest deployment = manifest("Deployment", "apps/v1", "shop", "web",
                TestObjects.deploymentSpec(podSpec), Map.of());
        Manifest job = manifest("Job", "batch/v1", "shop", "once",
                Map.of("template", Map.of("spec", podSpec)), Map.of());
        Manifest cronJob = manifest("CronJob", "batch/v1", "shop", "nightly", Map.of("schedule", "0 3 * * *",
                "jobTemplate", Map.of("spec", Map.of("template", Map.of("spec", podSpec)))), Map.of());
        String message = "images must be pinned to a tag other than latest or to a digest: nginx (in pod template)";
        assertEquals(List.of(
                        new Violation("pinned-images", cronJob.key(), message, Enforcement.DENY, templateOf("nightly")),
                        new Violation("pinned-images", deployment.key(), message, Enforcement.DENY, templateOf("web")),
                        new Violation("pinned-images", job.key(), message, Enforcement.DENY, templateOf("once"))),
                check(deployment, job, cronJob));
    }
}
