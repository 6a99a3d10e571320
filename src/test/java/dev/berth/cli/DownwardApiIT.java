package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.testing.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The downward API on real runc and conmon: a pod prints its env vars and its downwardAPI volume's files. */
class DownwardApiIT {

    @RegisterExtension
    static final PodRunner runner = PodRunner.withBusybox();

    @Test
    void aPodSeesItsFieldsAndResourcesInEnvAndFiles() throws IOException {
        CliRun run = runner.run("""
                apiVersion: v1
                kind: Pod
                metadata:
                  name: downward
                  labels: {app: web, tier: front}
                  annotations: {build: "42"}
                spec:
                  restartPolicy: Never
                  containers:
                  - name: main
                    image: busybox:1.35
                    resources: {limits: {cpu: 250m, memory: 64Mi}}
                    command: [sh, -c, 'echo "$POD_NAME $POD_NS $APP $NODE $SA $CPU $MEM";
                      echo "uid=$UID_VAR"; ls -lL /info/labels /info/name | cut -c1-10; cat /info/labels; echo;
                      cat /info/cpu; echo; cat /info/name']
                    env:
                    - {name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
                    - {name: POD_NS, valueFrom: {fieldRef: {fieldPath: metadata.namespace}}}
                    - {name: UID_VAR, valueFrom: {fieldRef: {fieldPath: metadata.uid}}}
                    - {name: APP, valueFrom: {fieldRef: {fieldPath: "metadata.labels['app']"}}}
                    - {name: NODE, valueFrom: {fieldRef: {fieldPath: spec.nodeName}}}
                    - {name: SA, valueFrom: {fieldRef: {fieldPath: spec.serviceAccountName}}}
                    - {name: CPU, valueFrom: {resourceFieldRef: {resource: limits.cpu, divisor: 1m}}}
                    - {name: MEM, valueFrom: {resourceFieldRef: {resource: limits.memory, divisor: 1Mi}}}
                    volumeMounts: [{name: info, mountPath: /info}]
                  volumes:
                  - name: info
                    downwardAPI:
                      defaultMode: 256
                      items:
                      - {path: labels, fieldRef: {fieldPath: metadata.labels}}
                      - {path: cpu, resourceFieldRef: {containerName: main, resource: limits.cpu, divisor: 1m}}
                      - {path: name, fieldRef: {fieldPath: metadata.name}, mode: 420}
                """);
        assertEquals(0, run.exitCode(), run::toString);
        String node = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim().toLowerCase(Locale.ROOT);
        List<String> lines = run.out().lines().toList();
        assertEquals("downward default web " + node + " default 250 64", lines.get(0), run::toString);
        assertTrue(lines.get(1).matches("uid=[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), run::toString);
        assertEquals(List.of("-r--------", "-rw-r--r--", "app=\"web\"", "tier=\"front\"", "250", "downward"),
                lines.subList(2, lines.size()), run::toString);
    }
}
