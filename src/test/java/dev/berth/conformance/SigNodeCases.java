package dev.berth.conformance;

import dev.berth.conformance.ConformanceCase.Expect;
import dev.berth.conformance.ConformanceCase.Logged;
import dev.berth.conformance.ConformanceCase.Observed;
import dev.berth.conformance.ConformanceCase.Output;
import dev.berth.conformance.ConformanceCase.Refused;
import dev.berth.conformance.ConformanceCase.Step;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/**
 * The cases of Kubernetes' sig-node and storage e2e tests (test/e2e/common/node and test/e2e/common/storage) that a
 * single node can run, ported as facts: the same Pod spec, the same expected output or state, the test's name as its
 * label. The e2e tests' agnhost {@code mounttest} and {@code entrypoint-tester} commands become busybox commands that
 * check the same fact ({@code stat}, {@code cat}, {@code id}, {@code echo}). Cases that need what berth has not (an API
 * server, other nodes) are listed with why.
 */
final class SigNodeCases {

    static final String IMAGE = "busybox:1.35";
    /** An image whose USER is 1234 (the e2e tests' nonroot image). */
    static final String NONROOT_IMAGE = "nonroot:1";
    /** An image with ENTRYPOINT [/bin/echo, image-entrypoint] and CMD [image-cmd] (the e2e tests' agnhost defaults). */
    static final String ENTRYPOINT_IMAGE = "entrypoint:1";

    private static final String API_SERVER = ConformanceCase.NOT_APPLICABLE + "needs an API server: ";
    /**
     * How long an update may take to reach a running pod's files. The e2e tests allow the kubelet's sync period plus
     * its ConfigMap and Secret cache TTL (e2epod.GetPodSecretUpdateTimeout: about 2.5 min); berth syncs on the commit.
     */
    static final int UPDATE_SECONDS = 30;
    /** How long the pod of an update case may take to start and log what it first sees, on a busy node. */
    static final int START_SECONDS = 120;

    private SigNodeCases() {}

    static List<ConformanceCase> all() {
        List<ConformanceCase> all = new ArrayList<>();
        expansion(all);
        downwardApiEnv(all);
        configMapEnv(all);
        secretsEnv(all);
        containers(all);
        initContainers(all);
        etcHosts(all);
        securityContext(all);
        runtime(all);
        probes(all);
        lifecycleHooks(all);
        sysctls(all);
        emptyDir(all);
        configMapVolume(all, "storage/configmap_volume.go", false);
        configMapVolume(all, "storage/projected_configmap.go", true);
        secretVolume(all, "storage/secrets_volume.go", false);
        secretVolume(all, "storage/projected_secret.go", true);
        downwardApiVolume(all, "storage/downwardapi_volume.go", false);
        downwardApiVolume(all, "storage/projected_downwardapi.go", true);
        projectedCombined(all);
        return all;
    }

    // ---- node/expansion.go

    private static void expansion(List<ConformanceCase> all) {
        String f = "node/expansion.go";
        all.add(run(f, "should allow composing env vars into new env vars [NodeConformance] [Conformance]",
                pod("var-expansion", "", container("dapi-container", "env", """
                        env:
                          - {name: FOO, value: foo-value}
                          - {name: BAR, value: bar-value}
                          - {name: FOOBAR, value: "$(FOO);;$(BAR)"}""")),
                prints("FOO=foo-value", "BAR=bar-value", "FOOBAR=foo-value;;bar-value")));
        all.add(run(f, "should allow substituting values in a container's command [NodeConformance] [Conformance]",
                pod("var-expansion", "", container("dapi-container", "TEST_VAR=wrong echo \"$(TEST_VAR)\"",
                        "env: [{name: TEST_VAR, value: test-value}]")),
                prints("test-value")));
        all.add(run(f, "should allow substituting values in a container's args [NodeConformance] [Conformance]",
                pod("var-expansion", "", """
                        - name: dapi-container
                          image: busybox:1.35
                          command: [sh, -c]
                          args: ['TEST_VAR=wrong echo "$(TEST_VAR)"']
                          env: [{name: TEST_VAR, value: test-value}]"""),
                prints("test-value")));
        String subPathPod = pod("var-expansion", """
                volumes: [{name: workdir1, emptyDir: {}}]""", container("dapi-container",
                "test -d /testcontainer/var-expansion; echo $?", """
                env: [{name: POD_NAME, value: var-expansion}]
                volumeMounts:
                  - {name: workdir1, mountPath: /logscontainer, subPathExpr: $(POD_NAME)}
                  - {name: workdir1, mountPath: /testcontainer}"""));
        all.add(run(f, "should allow substituting values in a volume subpath [Conformance]", subPathPod, prints("0")));
        for (String[] bad : new String[][] {{"backticks", ".."}, {"absolute path", "/tmp"}}) {
            // e2e: the container fails with CreateContainerConfigError; berth must not run it either
            all.add(run(f, "should fail substituting values in a volume subpath with " + bad[0] + " [Slow] [Conformance]",
                    pod("var-expansion", "volumes: [{name: workdir1, emptyDir: {}}]", container("dapi-container",
                            "echo started", """
                            env: [{name: POD_NAME, value: "%s"}]
                            volumeMounts: [{name: workdir1, mountPath: /logscontainer, subPathExpr: $(POD_NAME)}]"""
                            .formatted(bad[1]))),
                    refused("subPath")));
        }
        all.add(notApplicable(f, "should verify that a failing subpath expansion can be modified during the lifecycle"
                + " of a container [Slow] [Conformance]", API_SERVER + "it updates a running pod's annotations"));
        all.add(run(f, "should succeed in writing subpaths in container [Slow] [Conformance]",
                pod("var-expansion", "volumes: [{name: workdir1, emptyDir: {}}]", container("dapi-container",
                        "touch /volume_mount/mypath/foo/test.log && test -f /subpath_mount/test.log && echo written", """
                        env:
                          - {name: POD_NAME, value: foo}
                          - {name: ANNOTATION, valueFrom: {fieldRef: {fieldPath: "metadata.annotations['mysubpath']"}}}
                        volumeMounts:
                          - {name: workdir1, mountPath: /subpath_mount, subPathExpr: $(ANNOTATION)/$(POD_NAME)}
                          - {name: workdir1, mountPath: /volume_mount}""")).replace("metadata: {name: var-expansion}",
                        "metadata: {name: var-expansion, annotations: {mysubpath: mypath}}"),
                prints("written")));
    }

    // ---- node/downwardapi.go

    /** The e2e tests' container resources: requests 250m/32Mi, limits 1250m/64Mi. */
    private static final String RESOURCES = """
            resources:
              requests: {cpu: 250m, memory: 32Mi}
              limits: {cpu: 1250m, memory: 64Mi}""";

    private static void downwardApiEnv(List<ConformanceCase> all) {
        String f = "node/downwardapi.go";
        String ipv4 = "(\\d{1,3}\\.){3}\\d{1,3}";
        all.add(run(f, "should provide pod name, namespace and IP address as env vars [NodeConformance] [Conformance]",
                pod("downward-api", "", container("dapi-container", "env", """
                        env:
                          - {name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
                          - {name: POD_NAMESPACE, valueFrom: {fieldRef: {fieldPath: metadata.namespace}}}
                          - {name: POD_IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}
                        %s""".formatted(RESOURCES))),
                printsRegex("POD_NAME=downward-api", "POD_NAMESPACE=default", "POD_IP=" + ipv4)));
        for (String test : List.of("should provide host IP as an env var [NodeConformance] [Conformance]",
                "should provide hostIPs as an env var [NodeConformance] [Conformance]")) {
            all.add(run(f, test, pod("downward-api", "", container("dapi-container", "env", """
                    env: [{name: HOST_IP, valueFrom: {fieldRef: {fieldPath: %s}}}]
                    %s""".formatted(test.contains("hostIPs") ? "\"status.hostIPs\"" : "status.hostIP", RESOURCES))),
                    printsRegex("HOST_IP=" + ipv4)));
        }
        all.add(run(f, "should provide host IP and pod IP as an env var if pod uses host network [LinuxOnly]",
                pod("downward-api", "hostNetwork: true", container("dapi-container",
                        "[ \"${HOST_IP:?}\" = \"${POD_IP:?}\" ] && echo OK || echo \"HOST_IP: '${HOST_IP}' != POD_IP: '${POD_IP}'\"",
                        """
                        env:
                          - {name: HOST_IP, valueFrom: {fieldRef: {fieldPath: status.hostIP}}}
                          - {name: POD_IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}""")),
                prints("OK")));
        all.add(run(f, "should provide container's limits.cpu/memory and requests.cpu/memory as env vars"
                + " [NodeConformance] [Conformance]", pod("downward-api", "", container("dapi-container", "env", """
                env:
                  - {name: CPU_LIMIT, valueFrom: {resourceFieldRef: {resource: limits.cpu}}}
                  - {name: MEMORY_LIMIT, valueFrom: {resourceFieldRef: {resource: limits.memory}}}
                  - {name: CPU_REQUEST, valueFrom: {resourceFieldRef: {resource: requests.cpu}}}
                  - {name: MEMORY_REQUEST, valueFrom: {resourceFieldRef: {resource: requests.memory}}}
                """ + RESOURCES)),
                prints("CPU_LIMIT=2", "MEMORY_LIMIT=67108864", "CPU_REQUEST=1", "MEMORY_REQUEST=33554432")));
        all.add(run(f, "should provide default limits.cpu/memory from node allocatable [NodeConformance] [Conformance]",
                pod("downward-api", "", container("dapi-container", "env", """
                        env:
                          - {name: CPU_LIMIT, valueFrom: {resourceFieldRef: {resource: limits.cpu}}}
                          - {name: MEMORY_LIMIT, valueFrom: {resourceFieldRef: {resource: limits.memory}}}""")),
                printsRegex("CPU_LIMIT=[1-9]", "MEMORY_LIMIT=[1-9]")));
        all.add(run(f, "should provide pod UID as env vars [NodeConformance] [Conformance]",
                pod("downward-api", "", container("dapi-container", "env", """
                        env: [{name: POD_UID, valueFrom: {fieldRef: {fieldPath: metadata.uid}}}]
                        """ + RESOURCES)),
                printsRegex("POD_UID=[a-z0-9]{8}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{12}")));
    }

    // ---- node/configmap.go and node/secrets.go

    private static final String CONFIG_MAP = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: configmap-test}
            data: {data-1: value-1, data-2: value-2, data-3: value-3}
            ---
            """;

    /** The e2e secret: each value ends in a newline. */
    private static final String SECRET = """
            apiVersion: v1
            kind: Secret
            metadata: {name: secret-test}
            stringData: {data-1: "value-1\\n", data-2: "value-2\\n", data-3: "value-3\\n"}
            ---
            """;

    private static void configMapEnv(List<ConformanceCase> all) {
        String f = "node/configmap.go";
        all.add(run(f, "should be consumable via environment variable [NodeConformance] [Conformance]",
                CONFIG_MAP + pod("pod-configmaps", "", container("env-test", "env",
                        "env: [{name: CONFIG_DATA_1, valueFrom: {configMapKeyRef: {name: configmap-test, key: data-1}}}]")),
                prints("CONFIG_DATA_1=value-1")));
        all.add(run(f, "should be consumable via the environment [NodeConformance] [Conformance]",
                CONFIG_MAP + pod("pod-configmaps", "", envContainer("""
                        envFrom:
                          - configMapRef: {name: configmap-test}
                          - {prefix: p-, configMapRef: {name: configmap-test}}""")),
                prints("data-1=value-1", "data-2=value-2", "data-3=value-3", "p-data-1=value-1", "p-data-2=value-2",
                        "p-data-3=value-3")));
        all.add(run(f, "should fail to create ConfigMap with empty key [Conformance]", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: configmap-test-emptykey}
                data: {"": value-1}
                ---
                """ + pod("pod-configmaps", "", container("env-test", "true", "")), refused("configmap-test-emptykey")));
        all.add(notApplicable(f, "should update ConfigMap successfully", API_SERVER + "it updates through the API"));
        all.add(notApplicable(f, "should run through a ConfigMap lifecycle [Conformance]",
                API_SERVER + "patch, list by label and delete a collection through the API"));
    }

    private static void secretsEnv(List<ConformanceCase> all) {
        String f = "node/secrets.go";
        all.add(run(f, "should be consumable from pods in env vars [NodeConformance] [Conformance]",
                SECRET + pod("pod-secrets", "", container("secret-env-test", "env",
                        "env: [{name: SECRET_DATA, valueFrom: {secretKeyRef: {name: secret-test, key: data-1}}}]")),
                prints("SECRET_DATA=value-1")));
        all.add(run(f, "should be consumable via the environment [NodeConformance] [Conformance]",
                SECRET + pod("pod-configmaps", "", envContainer("""
                        envFrom:
                          - secretRef: {name: secret-test}
                          - {prefix: p-, secretRef: {name: secret-test}}""")),
                prints("data-1=value-1", "data-2=value-2", "data-3=value-3", "p-data-1=value-1", "p-data-2=value-2",
                        "p-data-3=value-3")));
        all.add(run(f, "should fail to create secret due to empty secret key [Conformance]", """
                apiVersion: v1
                kind: Secret
                metadata: {name: secret-emptykey-test}
                stringData: {"": "value-1\\n"}
                ---
                """ + pod("pod-secrets", "", container("env-test", "true", "")), refused("secret-emptykey-test")));
        all.add(notApplicable(f, "should patch a secret [Conformance]",
                API_SERVER + "patch, list by label and delete a collection through the API"));
    }

    // ---- node/containers.go: agnhost's entrypoint-tester prints its argv; /bin/echo in our image does the same

    private static void containers(List<ConformanceCase> all) {
        String f = "node/containers.go";
        all.add(run(f, "should use the image defaults if command and args are blank [NodeConformance] [Conformance]",
                pod("client-containers", "", entrypointContainer("")), printsRegex("(?m)^image-entrypoint image-cmd$")));
        all.add(run(f, "should be able to override the image's default arguments (container cmd) [NodeConformance]"
                        + " [Conformance]", pod("client-containers", "", entrypointContainer("args: [override, arguments]")),
                printsRegex("(?m)^image-entrypoint override arguments$")));
        all.add(run(f, "should be able to override the image's default command (container entrypoint)"
                        + " [NodeConformance] [Conformance]",
                pod("client-containers", "", entrypointContainer("command: [/bin/echo, pod-command]")),
                printsRegex("(?m)^pod-command$")));
        all.add(run(f, "should be able to override the image's default command and arguments [NodeConformance]"
                        + " [Conformance]",
                pod("client-containers", "", entrypointContainer("command: [/bin/echo, pod-command]\n"
                        + "args: [override, arguments]")),
                printsRegex("(?m)^pod-command override arguments$")));
    }

    private static String entrypointContainer(String fields) {
        return "- name: agnhost-container\n  image: " + ENTRYPOINT_IMAGE + "\n" + fields.indent(2);
    }

    // ---- node/init_container.go

    private static void initContainers(List<ConformanceCase> all) {
        String f = "node/init_container.go";
        String inits = """
                initContainers:
                  - {name: init1, image: busybox:1.35, command: [sh, -c, "echo init1 ran"]}
                  - {name: init2, image: busybox:1.35, command: [sh, -c, "echo init2 ran"]}""";
        all.add(run(f, "should invoke init containers on a RestartNever pod [NodeConformance] [Conformance]",
                pod("pod-init", inits, container("run1", "echo run1 ran", "")),
                prints("init1 ran", "init2 ran", "run1 ran")));
        all.add(run(f, "should invoke init containers on a RestartAlways pod [NodeConformance] [Conformance]",
                pod("pod-init", "restartPolicy: Always\n" + inits, container("run1", "echo run1 ran",
                        "resources: {limits: {cpu: 100m}}")),
                prints("init1 ran", "init2 ran", "run1 ran")));
        String failingInit = pod("pod-init-fails", """
                restartPolicy: Always
                initContainers:
                  - {name: init1, image: busybox:1.35, command: [/bin/false]}
                  - {name: init2, image: busybox:1.35, command: [/bin/true]}""",
                container("run1", "sleep 3600", "resources: {limits: {cpu: 100m}}"));
        all.add(new ConformanceCase(f, "should not start app containers if init containers fail on a RestartAlways pod"
                + " [NodeConformance] [Conformance]", List.of(
                // within the e2e's framework.PodStartTimeout (5 min): restarts come at once, then 10 s and 20 s later
                new Step(failingInit, eventually("pod-init-fails", 300, "Pending, Init:, init1 restarted 3 times",
                        p -> p.path("phase").asText().equals("Pending") && p.path("status").asText().startsWith("Init:")
                                && p.path("restarts").asInt() >= 3)),
                new Step(failingInit, always("pod-init-fails", 40, "Pending and no app container ready",
                        p -> p.path("phase").asText().equals("Pending") && p.path("readyContainers").asInt() == 0))),
                null));
        all.add(run(f, "should not start app containers and fail the pod if init containers fail on a RestartNever pod"
                        + " [NodeConformance] [Conformance]", pod("pod-init", """
                        initContainers:
                          - {name: init1, image: busybox:1.35, command: [/bin/true]}
                          - {name: init2, image: busybox:1.35, command: [/bin/false]}""",
                        container("run1", "echo run1 ran", "")),
                new Output(1, List.of("init2"), List.of("run1 ran"), false)));
    }

    // ---- node/kubelet_etc_hosts.go: managed = starts with "# Kubernetes-managed hosts file." (the e2e's prefix, its
    // dot included: a hostNetwork pod's "# Kubernetes-managed hosts file (host network)." is not managed) and differs
    // from the host's file

    private static void etcHosts(List<ConformanceCase> all) {
        String check = "if head -n 1 /etc/hosts | grep -q '^# Kubernetes-managed hosts file\\.' && ! cmp -s /etc/hosts"
                + " /etc/hosts-original; then echo $NAME managed; else echo $NAME unmanaged; fi";
        String volume = "volumes: [{name: host-etc-hosts, hostPath: {path: /etc/hosts, type: FileOrCreate}}]";
        String original = "{name: host-etc-hosts, mountPath: /etc/hosts-original}";
        String pod = pod("test-pod", volume, container("busybox-1", check, envName("busybox-1", original))
                + container("busybox-2", check, envName("busybox-2", original))
                + container("busybox-3", check, envName("busybox-3", original
                        + ", {name: host-etc-hosts, mountPath: /etc/hosts}")));
        String hostNetwork = pod("test-host-network-pod", "hostNetwork: true\n" + volume,
                container("busybox-1", check, envName("busybox-1", original))
                        + container("busybox-2", check, envName("busybox-2", original)));
        all.add(new ConformanceCase("node/kubelet_etc_hosts.go",
                "should test kubelet managed /etc/hosts file [LinuxOnly] [NodeConformance] [Conformance]", List.of(
                new Step(pod, prints("busybox-1 managed", "busybox-2 managed", "busybox-3 unmanaged")),
                new Step(hostNetwork, prints("busybox-1 unmanaged", "busybox-2 unmanaged"))), null));
    }

    private static String envName(String name, String mounts) {
        return "env: [{name: NAME, value: " + name + "}]\nvolumeMounts: [" + mounts + "]";
    }

    // ---- node/security_context.go

    private static void securityContext(List<ConformanceCase> all) {
        String f = "node/security_context.go";
        String c = "When creating a container with runAsUser ";
        all.add(run(f, c + "should run the container with uid 65534 [LinuxOnly] [NodeConformance] [Conformance]",
                pod("busybox-user-65534", "", container("busybox", "id -u", "securityContext: {runAsUser: 65534}")),
                printsRegex("(?m)^65534$")));
        all.add(run(f, c + "should run the container with uid 0 [LinuxOnly] [NodeConformance]",
                pod("busybox-user-0", "", container("busybox", "id -u", "securityContext: {runAsUser: 0}")),
                printsRegex("(?m)^0$")));
        String n = "When creating a container with runAsNonRoot ";
        all.add(run(f, n + "should run with an explicit non-root user ID [LinuxOnly]",
                pod("explicit-nonroot-uid", "", container("explicit-nonroot-uid", "id -u",
                        "securityContext: {runAsNonRoot: true, runAsUser: 1234}")), printsRegex("(?m)^1234$")));
        all.add(run(f, n + "should not run with an explicit root user ID [LinuxOnly]",
                pod("explicit-root-uid", "", container("explicit-root-uid", "id -u",
                        "securityContext: {runAsNonRoot: true, runAsUser: 0}")), refused("runAsNonRoot")));
        all.add(run(f, n + "should run with an image specified user ID",
                pod("implicit-nonroot-uid", "", "- name: implicit-nonroot-uid\n  image: " + NONROOT_IMAGE + "\n"
                        + "  command: [id, -u]\n  securityContext: {runAsNonRoot: true}\n"), printsRegex("(?m)^1234$")));
        all.add(run(f, n + "should not run without a specified user ID",
                pod("implicit-root-uid", "", container("implicit-root-uid", "id -u",
                        "securityContext: {runAsNonRoot: true}")), refused("runAsNonRoot")));
        String r = "When creating a pod with readOnlyRootFilesystem ";
        all.add(run(f, r + "should run the container with readonly rootfs when readOnlyRootFilesystem=true [LinuxOnly]"
                        + " [NodeConformance]", pod("busybox-readonly-true", "", container("busybox-readonly-true",
                        "touch checkfile", "securityContext: {readOnlyRootFilesystem: true}")),
                new Output(1, List.of("Read-only file system"), List.of(), false)));
        all.add(run(f, r + "should run the container with writable rootfs when readOnlyRootFilesystem=false"
                        + " [NodeConformance] [Conformance]", pod("busybox-readonly-false", "",
                        container("busybox-readonly-false", "touch checkfile && echo written",
                                "securityContext: {readOnlyRootFilesystem: false}")), prints("written")));
        all.add(run(f, "When creating a pod with privileged should run the container as unprivileged when false"
                        + " [LinuxOnly] [NodeConformance] [Conformance]", pod("busybox-privileged-false", "",
                        container("busybox-privileged-false", "ip link add dummy0 type dummy || true",
                                "securityContext: {privileged: false}")), prints("Operation not permitted")));
        all.add(notApplicable(f, "When creating a pod with privileged should run the container as privileged when true"
                + " [LinuxOnly] [NodeFeature:HostAccess]", ConformanceCase.NOT_APPLICABLE
                + "a node feature test, not node conformance"));
        // the e2e nonewprivs image is a setuid binary printing its euid; the fact it checks is the no_new_privs flag
        String e = "when creating containers with AllowPrivilegeEscalation ";
        String flag = "grep NoNewPrivs /proc/self/status";
        all.add(run(f, e + "should allow privilege escalation when not explicitly set and uid != 0 [LinuxOnly]"
                        + " [NodeConformance]", pod("alpine-nnp-nil", "", container("alpine-nnp-nil", flag,
                        "securityContext: {runAsUser: 1000}")), printsRegex("NoNewPrivs:\\s+0")));
        all.add(run(f, e + "should not allow privilege escalation when false [LinuxOnly] [NodeConformance] [Conformance]",
                pod("alpine-nnp-false", "", container("alpine-nnp-false", flag,
                        "securityContext: {runAsUser: 1000, allowPrivilegeEscalation: false}")),
                printsRegex("NoNewPrivs:\\s+1")));
        all.add(run(f, e + "should allow privilege escalation when true [LinuxOnly] [NodeConformance]",
                pod("alpine-nnp-true", "", container("alpine-nnp-true", flag,
                        "securityContext: {runAsUser: 1000, allowPrivilegeEscalation: true}")),
                printsRegex("NoNewPrivs:\\s+0")));
        all.add(notApplicable(f, "When creating a pod with HostUsers must create the user namespace if set to false"
                + " [LinuxOnly] [Feature:UserNamespacesSupport]", ConformanceCase.NOT_APPLICABLE
                + "a feature-gated test, not conformance; berth runs no user namespaces"));
    }

    // ---- node/runtime.go

    private static void runtime(List<ConformanceCase> all) {
        String f = "node/runtime.go";
        // each container fails its first run, succeeds its second, then runs on; the count survives in an emptyDir
        String count = "f=/restart-count/restartCount; echo hello >> $f; count=$(wc -l < $f); if [ $count -eq 1 ];"
                + " then exit 1; fi; if [ $count -eq 2 ]; then exit 0; fi; while true; do sleep 1; done";
        List<Step> statuses = new ArrayList<>();
        for (String[] policy : new String[][] {{"rpa", "Always", "2", "Running"}, {"rpof", "OnFailure", "1", "Succeeded"},
                {"rpn", "Never", "0", "Failed"}}) {
            String name = "terminate-cmd-" + policy[0];
            statuses.add(new Step(pod(name, "restartPolicy: " + policy[1]
                            + "\nvolumes: [{name: restart-count, emptyDir: {}}]", container(name, count,
                            "volumeMounts: [{name: restart-count, mountPath: /restart-count}]")),
                    eventually(name, 45, policy[1] + ": restarts " + policy[2] + ", phase " + policy[3]
                                    + (policy[0].equals("rpa") ? ", ready" : ""),
                            p -> p.path("restarts").asInt() == Integer.parseInt(policy[2])
                                    && p.path("phase").asText().equals(policy[3])
                                    && p.path("ready").asBoolean() == policy[0].equals("rpa"))));
        }
        all.add(new ConformanceCase(f, "Container Runtime blackbox test when starting a container that exits should run"
                + " with the expected status [NodeConformance] [Conformance]", statuses, null));
        String t = "Container Runtime blackbox test on terminated container ";
        // the e2e tests' pods: restartPolicy Never, judged once the pod has ended on its container's terminated state
        String[][] messages = {
                {"should report termination message if TerminationMessagePath is set [NodeConformance]",
                        "/bin/echo -n DONE > /dev/termination-log", "/dev/termination-log", "", "runAsUser: 0",
                        "Succeeded", "DONE"},
                {"should report termination message if TerminationMessagePath is set as non-root user and at a"
                        + " non-default path [NodeConformance] [Conformance]",
                        "/bin/echo -n DONE > /dev/termination-custom-log", "/dev/termination-custom-log", "",
                        "runAsUser: 10000", "Succeeded", "DONE"},
                {"should report termination message from log output if TerminationMessagePolicy FallbackToLogsOnError"
                        + " is set [NodeConformance] [Conformance]", "/bin/echo -n DONE; /bin/false",
                        "/dev/termination-log", "FallbackToLogsOnError", "", "Failed", "DONE"},
                {"should report termination message as empty when pod succeeds and TerminationMessagePolicy"
                        + " FallbackToLogsOnError is set [NodeConformance] [Conformance]", "/bin/echo -n DONE; /bin/true",
                        "/dev/termination-log", "FallbackToLogsOnError", "", "Succeeded", ""},
                {"should report termination message from file when pod succeeds and TerminationMessagePolicy"
                        + " FallbackToLogsOnError is set [NodeConformance] [Conformance]",
                        "/bin/echo -n OK > /dev/termination-log; /bin/echo DONE; /bin/true", "/dev/termination-log",
                        "FallbackToLogsOnError", "", "Succeeded", "OK"}};
        for (int i = 0; i < messages.length; i++) {
            String[] m = messages[i];
            String name = "termination-message-" + (i + 1);
            String container = "- name: termination-message-container\n  image: " + IMAGE + "\n  command: [/bin/sh, -c]\n"
                    + "  args: ['" + m[1] + "']\n  terminationMessagePath: " + m[2] + "\n"
                    + (m[3].isEmpty() ? "" : "  terminationMessagePolicy: " + m[3] + "\n")
                    + "  securityContext: {" + m[4] + "}\n";
            all.add(new ConformanceCase(f, t + m[0], List.of(new Step(pod(name, "", container),
                    eventually(name, 45, "phase " + m[5] + ", terminated with message \"" + m[6] + "\"",
                            p -> p.path("phase").asText().equals(m[5]) && m[6].equals(terminationMessage(p))))),
                    null));
        }
        String p = "Container Runtime blackbox test when running a container with a new image ";
        all.add(run(f, p + "should not be able to pull image from invalid registry [NodeConformance]",
                pod("image-pull-test", "", "- {name: image-pull-test, image: \"registry.invalid/invalid/alpine:3.1\","
                        + " command: [/bin/sh, -c, \"echo started\"]}\n"), refused("ErrImagePull")));
        all.add(run(f, p + "should be able to pull image [NodeConformance]",
                pod("image-pull-test", "", container("image-pull-test", "echo pulled", "imagePullPolicy: Always")),
                prints("pulled")));
        String secrets = ConformanceCase.NOT_APPLICABLE + "berth pulls with the node's registry credentials (its"
                + " config); a pod's imagePullSecrets are ignored";
        all.add(notApplicable(f, p + "should not be able to pull from private registry without secret [NodeConformance]",
                secrets));
        all.add(notApplicable(f, p + "should be able to pull from private registry with secret [NodeConformance]",
                secrets));
    }

    // ---- node/container_probe.go: agnhost's servers become busybox httpd (see webServer and livenessServer)

    private static void probes(List<ConformanceCase> all) {
        String f = "node/container_probe.go";
        String p = "Probing container ";
        // e2e: ready only after the 15 s initial delay (judged from the pod's first sighting, which is no later than
        // its container's start), then ready with no restart
        String delayed = webServer("probe-initial-delay", "readinessProbe: {httpGet: {path: /, port: 80},"
                + " initialDelaySeconds: 15}");
        all.add(new ConformanceCase(f, p + "with readiness probe should not be ready before initial delay and never"
                + " restart [NodeConformance] [Conformance]", List.of(
                new Step(delayed, always("probe-initial-delay", 14, "not ready within the initial delay",
                        pod -> !pod.path("ready").asBoolean() && pod.path("restarts").asInt() == 0)),
                new Step(delayed, eventually("probe-initial-delay", 60, "then ready, never restarted",
                        pod -> pod.path("ready").asBoolean() && pod.path("restarts").asInt() == 0))), null));
        all.add(run(f, p + "with readiness probe that fails should never be ready and never restart"
                        + " [NodeConformance] [Conformance]",
                webServer("probe-readiness-fails", "readinessProbe: {httpGet: {path: /, port: 81}}"),
                always("probe-readiness-fails", 30, "never ready, never restarted",
                        pod -> !pod.path("ready").asBoolean() && pod.path("restarts").asInt() == 0)));
        String health = "livenessProbe: {exec: {command: [cat, /tmp/health]}, initialDelaySeconds: 15,"
                + " failureThreshold: 1}";
        all.add(run(f, p + "should be restarted with a exec \"cat /tmp/health\" liveness probe [NodeConformance]"
                        + " [Conformance]",
                probePod("liveness-exec", "echo ok >/tmp/health; sleep 10; rm -rf /tmp/health; sleep 600", health),
                eventually("liveness-exec", 60, "restarted", pod -> pod.path("restarts").asInt() >= 1)));
        all.add(run(f, p + "should *not* be restarted with a exec \"cat /tmp/health\" liveness probe"
                        + " [NodeConformance] [Conformance]",
                probePod("liveness-exec-ok", "echo ok >/tmp/health; sleep 600", health),
                always("liveness-exec-ok", 40, "never restarted", pod -> pod.path("restarts").asInt() == 0)));
        all.add(run(f, p + "should be restarted with a /healthz http liveness probe [NodeConformance] [Conformance]",
                livenessServer("liveness-http", "livenessProbe: {httpGet: {path: /healthz, port: 8080},"
                        + " initialDelaySeconds: 15, failureThreshold: 1}"),
                eventually("liveness-http", 60, "restarted", pod -> pod.path("restarts").asInt() >= 1)));
        all.add(run(f, p + "should *not* be restarted with a tcp:8080 liveness probe [NodeConformance] [Conformance]",
                livenessServer("liveness-tcp", "livenessProbe: {tcpSocket: {port: 8080}, initialDelaySeconds: 15,"
                        + " failureThreshold: 1}"),
                always("liveness-tcp", 40, "never restarted", pod -> pod.path("restarts").asInt() == 0)));
        // e2e allows 2 min of back-off, 4 min and 2 min per restart: 14 min; restarts come after 0, 10, 20, 40 s of
        // back-off, so about 4 min here
        all.add(run(f, p + "should have monotonically increasing restart count [NodeConformance] [Conformance]",
                livenessServer("liveness-restarts", "livenessProbe: {httpGet: {path: /healthz, port: 8080},"
                        + " initialDelaySeconds: 5, failureThreshold: 1}"),
                eventually("liveness-restarts", 14 * 60, "restarted 5 times",
                        pod -> pod.path("restarts").asInt() >= 5)));
        all.add(run(f, p + "should *not* be restarted with a /healthz http liveness probe [NodeConformance]"
                        + " [Conformance]",
                webServer("liveness-http-ok", "livenessProbe: {httpGet: {path: /, port: 80}, initialDelaySeconds: 15,"
                        + " timeoutSeconds: 5, failureThreshold: 5}"),
                always("liveness-http-ok", 40, "never restarted", pod -> pod.path("restarts").asInt() == 0)));
        String slow = "{exec: {command: [/bin/sh, -c, sleep 10]}, initialDelaySeconds: 15, timeoutSeconds: 1,"
                + " failureThreshold: 1}";
        all.add(run(f, p + "should be restarted with an exec liveness probe with timeout [MinimumKubeletVersion:1.20]"
                        + " [NodeConformance]", probePod("liveness-timeout", "sleep 600", "livenessProbe: " + slow),
                eventually("liveness-timeout", 60, "restarted", pod -> pod.path("restarts").asInt() >= 1)));
        all.add(run(f, p + "should not be ready with an exec readiness probe timeout [MinimumKubeletVersion:1.20]"
                        + " [NodeConformance]", probePod("readiness-timeout", "sleep 600", "readinessProbe: " + slow),
                always("readiness-timeout", 40, "never ready, never restarted",
                        pod -> !pod.path("ready").asBoolean() && pod.path("restarts").asInt() == 0)));
        String grpc = ConformanceCase.NOT_APPLICABLE + "berth does not run gRPC probes: validate refuses them";
        all.add(notApplicable(f, p + "should be restarted with a GRPC liveness probe [NodeConformance]", grpc));
        all.add(notApplicable(f, p + "should *not* be restarted with a GRPC liveness probe [NodeConformance]", grpc));
    }

    /**
     * agnhost's {@code test-webserver}: answers {@code /} on port 80 (the port declared, as the e2e pod does), here
     * busybox httpd serving a file.
     */
    private static String webServer(String name, String probe) {
        return probePod(name, "mkdir -p /tmp/www; echo hello > /tmp/www/index.html; exec httpd -f -p 80 -h /tmp/www",
                "ports: [{containerPort: 80}]\n" + probe);
    }

    /**
     * agnhost's {@code liveness}: on port 8080, {@code /healthz} answers 200 for the first 10 s of the container, then
     * an error (agnhost's 500, here httpd's 404 once the file is gone); the port stays open.
     */
    private static String livenessServer(String name, String probe) {
        return probePod(name, "mkdir -p /tmp/www; echo ok > /tmp/www/healthz; httpd -p 8080 -h /tmp/www; sleep 10;"
                + " rm /tmp/www/healthz; sleep 600", probe);
    }

    /** A pod restarted Always, as the e2e probe tests' pods, with its probe's YAML after the command. */
    private static String probePod(String name, String script, String probe) {
        return pod(name, "restartPolicy: Always", container(name, script, probe));
    }

    // ---- node/lifecycle_hook.go

    private static void lifecycleHooks(List<ConformanceCase> all) {
        String f = "node/lifecycle_hook.go";
        String why = ConformanceCase.NOT_APPLICABLE + "berth runs no postStart or preStop hooks: validate refuses"
                + " lifecycle (README, Security)";
        String c = "Container Lifecycle Hook when create a pod with lifecycle hook ";
        for (String hook : List.of("should execute poststart exec hook properly", "should execute prestop exec hook"
                + " properly", "should execute poststart http hook properly", "should execute prestop http hook properly")) {
            all.add(notApplicable(f, c + hook + " [NodeConformance] [Conformance]", why));
        }
    }

    // ---- node/sysctl.go

    private static void sysctls(List<ConformanceCase> all) {
        String f = "node/sysctl.go";
        String s = "Sysctls [LinuxOnly] [NodeConformance] ";
        all.add(run(f, s + "should support sysctls [MinimumKubeletVersion:1.21] [Environment:NotInUserNS] [Conformance]",
                pod("sysctl", "securityContext: {sysctls: [{name: kernel.shm_rmid_forced, value: \"1\"}]}",
                        "- {name: test-container, image: busybox:1.35, command: [/bin/sysctl, kernel.shm_rmid_forced]}\n"),
                prints("kernel.shm_rmid_forced = 1")));
        all.add(run(f, s + "should support sysctls with slashes as separator [MinimumKubeletVersion:1.23]"
                        + " [Environment:NotInUserNS]",
                pod("sysctl", "securityContext: {sysctls: [{name: kernel/shm_rmid_forced, value: \"1\"}]}",
                        "- {name: test-container, image: busybox:1.35, command: [/bin/sysctl, kernel/shm_rmid_forced]}\n"),
                prints("kernel.shm_rmid_forced = 1")));
        // e2e expects the API server to name only the malformed names; berth's validate also refuses the unsafe
        // kernel.shmmax at once, which the kubelet would refuse later (SysctlForbidden)
        all.add(run(f, s + "should reject invalid sysctls [MinimumKubeletVersion:1.21] [Conformance]",
                pod("sysctl", """
                        securityContext:
                          sysctls:
                            - {name: foo-, value: bar}
                            - {name: kernel.shmmax, value: "100000000"}
                            - {name: safe-and-unsafe, value: "100000000"}
                            - {name: bar.., value: "42"}""", container("test-container", "true", "")),
                refused("foo-", "bar..")));
        all.add(run(f, s + "should not launch unsafe, but not explicitly enabled sysctls on the node"
                        + " [MinimumKubeletVersion:1.21]",
                pod("sysctl", "securityContext: {sysctls: [{name: kernel.msgmax, value: \"10000000000\"}]}",
                        container("test-container", "true", "")),
                refused("kernel.msgmax")));
    }

    // ---- storage/empty_dir.go: mounttest's --new_file_0644/--file_perm/--fs_type become chmod, stat and /proc/mounts

    private static void emptyDir(List<ConformanceCase> all) {
        String f = "storage/empty_dir.go";
        for (String medium : List.of("tmpfs", "default")) {
            all.add(run(f, "volume on " + (medium.equals("tmpfs") ? "tmpfs" : "default medium")
                            + " should have the correct mode [LinuxOnly] [NodeConformance] [Conformance]",
                    emptyDirPod(0, medium, "", "stat -c 'perms %A' /test-volume; " + MOUNT_TYPE),
                    emptyDirExpect(medium, "perms drwxrwxrwx")));
        }
        for (String user : List.of("root", "non-root")) {
            for (String medium : List.of("tmpfs", "default")) {
                for (String mode : List.of("0644", "0666", "0777")) {
                    all.add(run(f, "should support (" + user + "," + mode + "," + medium + ") [LinuxOnly]"
                                    + " [NodeConformance] [Conformance]",
                            emptyDirPod(user.equals("root") ? 0 : 1001, medium, "", newFile(mode)),
                            emptyDirExpect(medium, "perms " + perms(mode), "content mount-tester new file")));
                }
            }
        }
        all.add(run(f, "pod should support shared volumes between containers [Conformance]",
                pod("pod-sharedvolume", "volumes: [{name: shared-data, emptyDir: {}}]",
                        container("busybox-main-container",
                                "until [ -f /usr/share/volumeshare/shareddata.txt ]; do sleep 0.1; done;"
                                        + " cat /usr/share/volumeshare/shareddata.txt",
                                "volumeMounts: [{name: shared-data, mountPath: /usr/share/volumeshare}]")
                                + container("busybox-sub-container",
                                "echo Hello from the busy-box sub-container > /pod-data/shareddata.txt",
                                "volumeMounts: [{name: shared-data, mountPath: /pod-data}]")),
                prints("Hello from the busy-box sub-container")));
        all.add(run(f, "pod should support memory backed volumes of specified size [NodeConformance]",
                pod("pod-size-memory-volume", "volumes: [{name: shared-data, emptyDir: {medium: Memory, sizeLimit: 10Mi}}]",
                        container("busybox-main-container", "df -k /usr/share/volumeshare | tail -n 1",
                                "volumeMounts: [{name: shared-data, mountPath: /usr/share/volumeshare}]")),
                printsRegex("\\s10240\\s")));
        String g = "when FSGroup is specified [LinuxOnly] [NodeConformance] ";
        String fsGroup = "securityContext: {fsGroup: 123}";
        all.add(run(f, g + "new files should be created with FSGroup ownership when container is root",
                emptyDirPod(0, "tmpfs", fsGroup, newFile("0644") + "; stat -c 'gid %g' /test-volume/test-file"),
                emptyDirExpect("tmpfs", "perms -rw-r--r--", "gid 123")));
        all.add(run(f, g + "new files should be created with FSGroup ownership when container is non-root",
                emptyDirPod(1001, "tmpfs", fsGroup, newFile("0644") + "; stat -c 'gid %g' /test-volume/test-file"),
                emptyDirExpect("tmpfs", "perms -rw-r--r--", "gid 123")));
        all.add(run(f, g + "nonexistent volume subPath should have the correct mode and owner using FSGroup",
                emptyDirPod(1001, "tmpfs", fsGroup, "stat -c 'perms %A owner %u:%g' /test-volume").replace(
                        "mountPath: /test-volume}", "mountPath: /test-volume, subPath: test-sub}"),
                printsRegex("perms drwxrwsrw[xt] owner 0:123")));
        all.add(run(f, g + "files with FSGroup ownership should support (root,0644,tmpfs)",
                emptyDirPod(0, "tmpfs", fsGroup, newFile("0644")),
                emptyDirExpect("tmpfs", "perms -rw-r--r--", "content mount-tester new file")));
        for (String medium : List.of("default", "tmpfs")) {
            all.add(run(f, g + "volume on " + (medium.equals("tmpfs") ? "tmpfs" : "default medium")
                            + " should have the correct mode using FSGroup",
                    emptyDirPod(0, medium, fsGroup, "stat -c 'perms %A' /test-volume; " + MOUNT_TYPE),
                    emptyDirExpect(medium, "perms drwxrwsrwx")));
        }
    }

    private static final String MOUNT_TYPE = "grep ' /test-volume ' /proc/mounts";

    private static String newFile(String mode) {
        return "echo mount-tester new file > /test-volume/test-file && chmod " + mode + " /test-volume/test-file"
                + " && stat -c 'perms %A' /test-volume/test-file && echo \"content $(cat /test-volume/test-file)\"; "
                + MOUNT_TYPE;
    }

    private static String perms(String mode) {
        return switch (mode) {
            case "0644" -> "-rw-r--r--";
            case "0666" -> "-rw-rw-rw-";
            default -> "-rwxrwxrwx";
        };
    }

    private static String emptyDirPod(int uid, String medium, String podFields, String script) {
        String source = medium.equals("tmpfs") ? "{medium: Memory}" : "{}";
        return pod("pod-emptydir", (podFields.isEmpty() ? "" : podFields + "\n")
                        + "volumes: [{name: test-volume, emptyDir: " + source + "}]",
                container("test-container", script, (uid == 0 ? "" : "securityContext: {runAsUser: " + uid + "}\n")
                        + "volumeMounts: [{name: test-volume, mountPath: /test-volume}]"));
    }

    /** tmpfs for medium Memory; on the default medium the e2e tests check the mode only. */
    private static Output emptyDirExpect(String medium, String... lines) {
        List<String> present = new ArrayList<>(List.of(lines));
        List<String> absent = new ArrayList<>();
        (medium.equals("tmpfs") ? present : absent).add("/test-volume tmpfs");
        return new Output(0, present, absent, false);
    }

    // ---- storage/configmap_volume.go and projected_configmap.go

    private static void configMapVolume(List<ConformanceCase> all, String f, boolean projected) {
        String cm = "configmap-test-volume";
        String source = projected ? "projected: {%2$ssources: [{configMap: {name: " + cm + "%1$s}}]}"
                : "configMap: {name: " + cm + "%1$s%2$s}";
        String data = CONFIG_MAP.replace("configmap-test", cm);
        String file = "/etc/configmap-volume/data-1";
        String read = "cat " + file + "; echo; stat -L -c 'mode %A' " + file;
        all.add(run(f, "should be consumable from pods in volume [NodeConformance] [Conformance]",
                data + volumePod(source, "", "", "", read), prints("value-1", "mode -rw-r--r--")));
        all.add(run(f, "should be consumable from pods in volume with defaultMode set [LinuxOnly] [NodeConformance]"
                + " [Conformance]", data + volumePod(source, "", projected ? "defaultMode: 0400, " : ", defaultMode: 0400",
                "", read), prints("value-1", "mode -r--------")));
        all.add(run(f, "should be consumable from pods in volume as non-root [NodeConformance] [Conformance]",
                data + volumePod(source, "", "", "securityContext: {runAsUser: 1000}", read),
                prints("value-1", "mode -rw-r--r--")));
        String mapped = "/etc/configmap-volume/path/to/data-2";
        String readMapped = "cat " + mapped + "; echo; stat -L -c 'mode %A' " + mapped;
        all.add(run(f, "should be consumable from pods in volume with mappings [NodeConformance] [Conformance]",
                data + volumePod(source, ", items: [{key: data-2, path: path/to/data-2}]", "", "", readMapped),
                prints("value-2", "mode -rw-r--r--")));
        all.add(run(f, "should be consumable from pods in volume with mappings and Item mode set [LinuxOnly]"
                + " [NodeConformance] [Conformance]", data + volumePod(source,
                ", items: [{key: data-2, path: path/to/data-2, mode: 0400}]", "", "", readMapped),
                prints("value-2", "mode -r--------")));
        all.add(run(f, "should be consumable from pods in volume with mappings as non-root [NodeConformance]"
                + " [Conformance]", data + volumePod(source, ", items: [{key: data-2, path: path/to/data-2}]", "",
                "securityContext: {runAsUser: 1000}", readMapped), prints("value-2", "mode -rw-r--r--")));
        all.add(run(f, "should be consumable in multiple volumes in the same pod [NodeConformance] [Conformance]",
                data + twoVolumePod(source, "/etc/configmap-volume", "data-1"), prints("value-1value-1")));
        String upd = (projected ? "projected-" : "") + "configmap-test-upd";
        String updPod = "pod-" + upd;
        String updMount = projected ? "/etc/projected-configmap-volume" : "/etc/configmap-volume";
        String updSource = projected ? "projected: {sources: [{configMap: {name: " + upd + "}}]}"
                : "configMap: {name: " + upd + "}";
        Function<String, String> withValue = value -> """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: %s}
                data: {data-1: %s}
                ---
                """.formatted(upd, value) + pod(updPod, "volumes: [{name: configmap-volume, " + updSource + "}]",
                container("agnhost-container", fileInLoop(updMount + "/data-1"),
                        "volumeMounts: [{name: configmap-volume, mountPath: " + updMount + ", readOnly: true}]"));
        all.add(new ConformanceCase(f, "updates should be reflected in volume [NodeConformance] [Conformance]",
                List.of(new Step(withValue.apply("value-1"), started(updPod, Map.of("agnhost-container", "value-1"))),
                        new Step(withValue.apply("value-2"), updated(updPod, Map.of("agnhost-container", "value-2")))),
                null));
        optionalUpdates(all, f, "ConfigMap", projected);
        if (!projected) {
            all.add(run(f, "binary data should be reflected in volume [NodeConformance] [Conformance]", """
                    apiVersion: v1
                    kind: ConfigMap
                    metadata: {name: configmap-test-upd}
                    data: {data: value-1}
                    binaryData: {dump.bin: 3sr+utD+/w==}
                    ---
                    """ + volumePod("configMap: {name: configmap-test-upd%s%s}", "", "", "",
                    "cat /etc/configmap-volume/data; echo; od -An -tx1 /etc/configmap-volume/dump.bin"),
                    prints("value-1", "de ca fe ba d0 fe ff")));
            all.add(notApplicable(f, "should be immutable if `immutable` field is set [Conformance]",
                    API_SERVER + "it updates an immutable ConfigMap through the API"));
            all.add(run(f, "Should fail non-optional pod creation due to configMap object does not exist [Slow]",
                    volumePod(source, "", "", "", read), refused(cm)));
            all.add(run(f, "Should fail non-optional pod creation due to the key in the configMap object does not exist"
                    + " [Slow]", data + volumePod(source, ", items: [{key: data-4, path: path/to/data-4}]", "", "",
                    read), refused("data-4")));
        }
    }

    // ---- storage/secrets_volume.go and projected_secret.go

    private static void secretVolume(List<ConformanceCase> all, String f, boolean projected) {
        String source = projected ? "projected: {%2$ssources: [{secret: {name: secret-test%1$s}}]}"
                : "secret: {secretName: secret-test%1$s%2$s}";
        String file = "/etc/secret-volume/data-1";
        String read = "cat " + file + "; stat -L -c 'mode %A' " + file;
        String defaultMode = projected ? "defaultMode: 0400, " : ", defaultMode: 0400";
        all.add(run(f, "should be consumable from pods in volume [NodeConformance] [Conformance]",
                SECRET + secretPod(source, "", "", "", read), prints("value-1", "mode -rw-r--r--")));
        all.add(run(f, "should be consumable from pods in volume with defaultMode set [LinuxOnly] [NodeConformance]"
                + " [Conformance]", SECRET + secretPod(source, "", defaultMode, "", read),
                prints("value-1", "mode -r--------")));
        all.add(run(f, "should be consumable from pods in volume as non-root with defaultMode and fsGroup set"
                + " [LinuxOnly] [NodeConformance] [Conformance]", SECRET + secretPod(source, "",
                projected ? "defaultMode: 0440, " : ", defaultMode: 0440", "securityContext: {runAsUser: 1000}",
                read).replace("spec:\n", "spec:\n  securityContext: {fsGroup: 1001}\n"),
                prints("value-1", "mode -r--r-----")));
        String mapped = "/etc/secret-volume/new-path-data-1";
        String readMapped = "cat " + mapped + "; stat -L -c 'mode %A' " + mapped;
        all.add(run(f, "should be consumable from pods in volume with mappings [NodeConformance] [Conformance]",
                SECRET + secretPod(source, ", items: [{key: data-1, path: new-path-data-1}]", "", "", readMapped),
                prints("value-1", "mode -rw-r--r--")));
        all.add(run(f, "should be consumable from pods in volume with mappings and Item Mode set [LinuxOnly]"
                + " [NodeConformance] [Conformance]", SECRET + secretPod(source,
                ", items: [{key: data-1, path: new-path-data-1, mode: 0400}]", "", "", readMapped),
                prints("value-1", "mode -r--------")));
        all.add(run(f, "should be consumable in multiple volumes in a pod [NodeConformance] [Conformance]",
                SECRET + twoVolumePod(source, "/etc/secret-volume", "data-1"), prints("value-1\nvalue-1")));
        optionalUpdates(all, f, "Secret", projected);
        if (!projected) {
            all.add(run(f, "should be able to mount in a volume regardless of a different secret existing with same"
                    + " name in different namespace [NodeConformance] [Conformance]", """
                    apiVersion: v1
                    kind: Namespace
                    metadata: {name: secret-namespace}
                    ---
                    apiVersion: v1
                    kind: Secret
                    metadata: {name: secret-test, namespace: secret-namespace}
                    stringData: {data-1: "value-1-other\\n"}
                    ---
                    """ + SECRET + secretPod(source, "", "", "", read),
                    new Output(0, List.of("value-1", "mode -rw-r--r--"), List.of("other"), false)));
            all.add(notApplicable(f, "should be immutable if `immutable` field is set [Conformance]",
                    API_SERVER + "it updates an immutable Secret through the API"));
            all.add(run(f, "Should fail non-optional pod creation due to secret object does not exist [Slow]",
                    secretPod(source, "", "", "", read), refused("secret-test")));
            all.add(run(f, "Should fail non-optional pod creation due to the key in the secret object does not exist"
                    + " [Slow]", SECRET + secretPod(source, ", items: [{key: data_4, path: path/to/data_4}]", "", "",
                    read), refused("data_4")));
        }
    }

    // ---- storage/downwardapi_volume.go and projected_downwardapi.go

    private static void downwardApiVolume(List<ConformanceCase> all, String f, boolean projected) {
        String podname = "[{path: podname, fieldRef: {fieldPath: metadata.name}%s}]";
        String read = "cat /etc/podinfo/podname; echo; stat -L -c 'mode %A' /etc/podinfo/podname";
        all.add(run(f, "should provide podname only [NodeConformance] [Conformance]",
                downwardPod(projected, podname.formatted(""), "", "", read), prints("downwardapi-volume\n")));
        all.add(run(f, "should set DefaultMode on files [LinuxOnly] [NodeConformance] [Conformance]",
                downwardPod(projected, podname.formatted(""), "defaultMode: 0400, ", "", read),
                prints("mode -r--------")));
        all.add(run(f, "should set mode on item file [LinuxOnly] [NodeConformance] [Conformance]",
                downwardPod(projected, podname.formatted(", mode: 0400"), "", "", read), prints("mode -r--------")));
        metadataUpdate(all, f, projected, "labels", "labelsupdate", "{key1: value1, key2: value2}",
                "key1=\"value1\"\n", "{key1: value1, key2: value2, key3: value3}", "key3=\"value3\"\n");
        metadataUpdate(all, f, projected, "annotations", "annotationupdate", "{builder: bar}", "builder=\"bar\"\n",
                "{builder: foo}", "builder=\"foo\"\n");
        String[][] resources = {{"cpu limit", "limits.cpu", "2"}, {"memory limit", "limits.memory", "67108864"},
                {"cpu request", "requests.cpu", "1"}, {"memory request", "requests.memory", "33554432"}};
        for (String[] r : resources) {
            all.add(run(f, "should provide container's " + r[0] + " [NodeConformance] [Conformance]",
                    downwardPod(projected, "[{path: value, resourceFieldRef: {containerName: client-container, resource: "
                            + r[1] + "}}]", "", RESOURCES, "cat /etc/podinfo/value"), printsRegex("(?m)^" + r[2] + "$")));
        }
        for (String[] r : new String[][] {{"cpu", "limits.cpu"}, {"memory", "limits.memory"}}) {
            all.add(run(f, "should provide node allocatable (" + r[0] + ") as default " + r[0] + " limit if the limit"
                            + " is not set [NodeConformance] [Conformance]",
                    downwardPod(projected, "[{path: value, resourceFieldRef: {containerName: client-container, resource: "
                            + r[1] + "}}]", "", "", "cat /etc/podinfo/value"), printsRegex("(?m)^[1-9]")));
        }
    }

    private static String downwardPod(boolean projected, String items, String defaultMode, String containerFields,
                                      String script) {
        String source = projected ? "projected: {" + defaultMode + "sources: [{downwardAPI: {items: " + items + "}}]}"
                : "downwardAPI: {" + defaultMode + "items: " + items + "}";
        return pod("downwardapi-volume", "volumes: [{name: podinfo, " + source + "}]", container("client-container",
                script, (containerFields.isEmpty() ? "" : containerFields + "\n")
                        + "volumeMounts: [{name: podinfo, mountPath: /etc/podinfo}]"))
                .replace("metadata: {name: downwardapi-volume}",
                        "metadata: {name: downwardapi-volume, labels: {key1: value1}, annotations: {builder: bar}}");
    }

    /**
     * "optional updates should be reflected in volume": three optional ConfigMaps or Secrets, one per container; the
     * first is deleted, the second loses data-1 and gains data-3, the third is created, all in one change.
     */
    private static void optionalUpdates(List<ConformanceCase> all, String f, String kind, boolean projected) {
        boolean secret = kind.equals("Secret");
        String prefix = (projected ? "projected-" : "") + (secret ? "s" : "cm") + "-test-opt-";
        String mount = "/etc/" + (projected ? "projected-" : "") + (secret ? "secret" : "configmap") + "-volumes";
        String podName = "pod-" + prefix + "upd";
        String[][] parts = {{"del", "delete"}, {"upd", "update"}, {"create", "create"}};
        StringBuilder volumes = new StringBuilder("volumes:");
        StringBuilder containers = new StringBuilder();
        for (String[] part : parts) {
            String name = prefix + part[0];
            String source = secret ? "secret: {" + (projected ? "name: " : "secretName: ") + name + ", optional: true}"
                    : "configMap: {name: " + name + ", optional: true}";
            volumes.append("\n  - {name: ").append(part[1]).append("-volume, ")
                    .append(projected ? "projected: {sources: [{" + source + "}]}" : source).append('}');
            containers.append(container(part[0] + (secret ? "s" : "cm") + "-volume-test",
                    fileInLoop(mount + "/" + part[1] + "/" + (part[0].equals("upd") ? "data-3" : "data-1")),
                    "volumeMounts: [{name: " + part[1] + "-volume, mountPath: " + mount + "/" + part[1]
                            + ", readOnly: true}]"));
        }
        String pod = pod(podName, volumes.toString(), containers.toString());
        String before = object(kind, prefix + "del", "data-1", "value-1") + object(kind, prefix + "upd", "data-1",
                "value-1") + pod;
        String after = object(kind, prefix + "upd", "data-3", "value-3") + object(kind, prefix + "create", "data-1",
                "value-1") + pod;
        String c = secret ? "s" : "cm";
        Map<String, String> first = new LinkedHashMap<>();
        first.put("create" + c + "-volume-test", "Error reading file " + mount + "/create/data-1");
        first.put("upd" + c + "-volume-test", "Error reading file " + mount + "/update/data-3");
        first.put("del" + c + "-volume-test", "value-1");
        Map<String, String> then = new LinkedHashMap<>();
        then.put("create" + c + "-volume-test", "value-1");
        then.put("upd" + c + "-volume-test", "value-3");
        then.put("del" + c + "-volume-test", "Error reading file " + mount + "/delete/data-1");
        all.add(new ConformanceCase(f, "optional updates should be reflected in volume [NodeConformance] [Conformance]",
                List.of(new Step(before, started(podName, first)), new Step(after, updated(podName, then))), null));
    }

    /** A ConfigMap or Secret with one key. */
    private static String object(String kind, String name, String key, String value) {
        return "apiVersion: v1\nkind: " + kind + "\nmetadata: {name: " + name + "}\n"
                + (kind.equals("Secret") ? "stringData" : "data") + ": {" + key + ": " + value + "}\n---\n";
    }

    /**
     * "should update labels (annotations) on modification": the pod's {@code field} in a downwardAPI volume file, the
     * pod's metadata changed while it runs.
     */
    private static void metadataUpdate(List<ConformanceCase> all, String f, boolean projected, String field,
                                       String name, String before, String shownBefore, String after, String shownAfter) {
        String podName = name + (projected ? "-projected" : "");
        String items = "{items: [{path: " + field + ", fieldRef: {fieldPath: metadata." + field + "}}]}";
        String pod = pod(podName, "volumes: [{name: podinfo, " + (projected ? "projected: {sources: [{downwardAPI: "
                + items + "}]}" : "downwardAPI: " + items) + "}]", container("client-container",
                fileInLoop("/etc/podinfo/" + field), "volumeMounts: [{name: podinfo, mountPath: /etc/podinfo}]"));
        String metadata = "metadata: {name: " + podName + "}";
        String test = "should update " + field + " on modification [NodeConformance] [Conformance]";
        all.add(new ConformanceCase(f, test, List.of(
                new Step(pod.replace(metadata, "metadata: {name: " + podName + ", " + field + ": " + before + "}"),
                        started(podName, Map.of("client-container", shownBefore))),
                new Step(pod.replace(metadata, "metadata: {name: " + podName + ", " + field + ": " + after + "}"),
                        updated(podName, Map.of("client-container", shownAfter)))), null));
    }

    /**
     * agnhost's {@code mounttest --file_content_in_loop}: the file's content, or that it cannot be read, every second
     * (agnhost's every two), with its wording, for as long as the pod runs.
     */
    private static String fileInLoop(String file) {
        return "while true; do if [ -r " + file + " ]; then printf \"content of file \\\"%s\\\": \" " + file
                + "; cat " + file + "; echo; else echo \"Error reading file " + file + ": not readable, retrying\";"
                + " fi; sleep 1; done";
    }

    // ---- storage/projected_combined.go

    private static void projectedCombined(List<ConformanceCase> all) {
        all.add(run("storage/projected_combined.go", "should project all components that make up the projection API"
                + " [Projection] [NodeConformance] [Conformance]", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: configmap-projected-all-test-volume}
                data: {configmap-data: configmap-value-1}
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: secret-projected-all-test-volume}
                stringData: {secret-data: secret-value-1}
                ---
                """ + pod("projected-volume", """
                volumes:
                  - name: podinfo
                    projected:
                      sources:
                        - downwardAPI: {items: [{path: podname, fieldRef: {fieldPath: metadata.name}}]}
                        - secret: {name: secret-projected-all-test-volume, items: [{key: secret-data, path: secret-data}]}
                        - configMap: {name: configmap-projected-all-test-volume, items: [{key: configmap-data, path: configmap-data}]}""",
                container("projected-all-volume-test", "cat /all/podname /all/secret-data /all/configmap-data",
                        "volumeMounts: [{name: podinfo, mountPath: /all}]")),
                prints("projected-volume", "secret-value-1", "configmap-value-1")));
    }

    // ---- building blocks

    /** A configMap volume pod; {@code source} has %1$s for items and %2$s for a defaultMode. */
    private static String volumePod(String source, String items, String defaultMode, String containerFields,
                                    String script) {
        return pod("pod-configmaps", "volumes: [{name: configmap-volume, " + source.formatted(items, defaultMode) + "}]",
                container("agnhost-container", script, (containerFields.isEmpty() ? "" : containerFields + "\n")
                        + "volumeMounts: [{name: configmap-volume, mountPath: /etc/configmap-volume}]"));
    }

    private static String secretPod(String source, String items, String defaultMode, String containerFields,
                                    String script) {
        return pod("pod-secrets", "volumes: [{name: secret-volume, " + source.formatted(items, defaultMode) + "}]",
                container("secret-volume-test", script, (containerFields.isEmpty() ? "" : containerFields + "\n")
                        + "volumeMounts: [{name: secret-volume, mountPath: /etc/secret-volume, readOnly: true}]"));
    }

    private static String twoVolumePod(String source, String path, String key) {
        return pod("pod-multi", "volumes: [{name: volume-1, " + source.formatted("", "") + "}, {name: volume-2, "
                        + source.formatted("", "") + "}]",
                container("test-container", "cat " + path + "/" + key + " " + path + "-2/" + key,
                        "volumeMounts: [{name: volume-1, mountPath: " + path + "}, {name: volume-2, mountPath: " + path
                                + "-2}]"));
    }

    /**
     * A Pod (restartPolicy Never, as the e2e tests' pods) named {@code name}; {@code podFields} are more lines of its
     * spec, {@code containers} its list of containers (see {@link #container}).
     */
    static String pod(String name, String podFields, String containers) {
        return "apiVersion: v1\nkind: Pod\nmetadata: {name: " + name + "}\nspec:\n"
                + (podFields.contains("restartPolicy") ? "" : "  restartPolicy: Never\n")
                + "  terminationGracePeriodSeconds: 1\n"
                + (podFields.isEmpty() ? "" : podFields.indent(2))
                + "  containers:\n" + containers.indent(2);
    }

    /**
     * A busybox container running {@code env} itself, not through the e2e tests' {@code sh -c env}: the test image's
     * busybox sh (Debian's) drops variables whose names are not shell identifiers ({@code data-1}) from what it passes
     * on, so only {@code env} shows the environment the container was given.
     */
    private static String envContainer(String fields) {
        return "- name: env-test\n  image: " + IMAGE + "\n  command: [env]\n" + fields.indent(2);
    }

    /** A busybox container running {@code sh -c script}, with more fields (YAML lines) after its command. */
    static String container(String name, String script, String fields) {
        return "- name: " + name + "\n  image: " + IMAGE + "\n  command: [sh, -c, '" + script.replace("'", "''")
                + "']\n" + (fields.isEmpty() ? "" : fields.indent(2));
    }

    private static ConformanceCase run(String file, String test, String manifests, Expect expect) {
        return new ConformanceCase(file, test, List.of(new Step(manifests, expect)), null);
    }

    private static ConformanceCase notApplicable(String file, String test, String why) {
        return new ConformanceCase(file, test, List.of(), why);
    }

    /** The message of the pod's last container exit; null while berth has not read it. */
    private static String terminationMessage(JsonNode pod) {
        JsonNode message = pod.path("lastExit").path("message");
        return message.isMissingNode() || message.isNull() ? null : message.asText();
    }

    static Output prints(String... present) {
        return new Output(0, List.of(present), List.of(), false);
    }

    static Output printsRegex(String... present) {
        return new Output(0, List.of(present), List.of(), true);
    }

    static Observed eventually(String pod, int seconds, String description, Predicate<JsonNode> condition) {
        return new Observed(pod, false, seconds, description, condition);
    }

    static Observed always(String pod, int seconds, String description, Predicate<JsonNode> condition) {
        return new Observed(pod, true, seconds, description, condition);
    }

    /** The first step of an update case: its pod starts and logs what it first sees. */
    static Logged started(String pod, Map<String, String> logs) {
        return new Logged(pod, logs, START_SECONDS);
    }

    /** A later step of an update case: the change reaches the same running pod. */
    static Logged updated(String pod, Map<String, String> logs) {
        return new Logged(pod, logs, UPDATE_SECONDS);
    }

    static Refused refused(String... fragments) {
        return new Refused(List.of(fragments));
    }
}
