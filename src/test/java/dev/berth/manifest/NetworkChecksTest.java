package dev.berth.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.core.DirectoryTreeReader;
import dev.berth.core.InvalidInputException;
import dev.berth.core.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** validate checks probes, ports, Service ports and host ports as the API server and the scheduler would. */
class NetworkChecksTest {

    @TempDir
    Path dir;

    private DesiredState load(String... files) throws IOException {
        for (int i = 0; i < files.length; i += 2) {
            Files.writeString(dir.resolve(files[i]), files[i + 1]);
        }
        return new ManifestLoader().load(new DirectoryTreeReader(dir), "", null);
    }

    private List<String> errors(String... files) {
        return assertThrows(InvalidInputException.class, () -> load(files)).getMessage().lines().toList();
    }

    private List<String> warnings(String... files) throws IOException {
        return load(files).warnings().stream().map(Problem::toString).toList();
    }

    @Test
    void probesAreCheckedAndGrpcIsRefused() {
        assertEquals(List.of(
                "pod.yaml:10:9: spec.containers.0.livenessProbe.grpc: berth does not run gRPC probes yet; use exec, "
                        + "httpGet or tcpSocket",
                "pod.yaml:12:19: spec.containers.0.readinessProbe.httpGet.port: the container has no port named "
                        + "\"metrics\"",
                "pod.yaml:12:34: spec.containers.0.readinessProbe.httpGet.scheme: must be HTTP or HTTPS, got \"FTP\"",
                "pod.yaml:12:62: spec.containers.0.readinessProbe.httpGet.httpHeaders.0.name: \"Bad Name\" is not a "
                        + "valid HTTP header name",
                "pod.yaml:14:21: spec.containers.0.startupProbe.tcpSocket.port: must be between 1 and 65535, "
                        + "inclusive, got 70000",
                "pod.yaml:15:9: spec.containers.0.startupProbe.successThreshold: must be 1, got 2"), errors("pod.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  containers:
                    - name: main
                      image: busybox:1.35
                      ports: [{name: http, containerPort: 8080}]
                      livenessProbe:
                        grpc: {port: 9000}
                      readinessProbe:
                        httpGet: {port: metrics, scheme: FTP, httpHeaders: [{name: Bad Name, value: x}]}
                      startupProbe:
                        tcpSocket: {port: 70000}
                        successThreshold: 2
                """));
    }

    @Test
    void containerPortsAreChecked() {
        assertEquals(List.of(
                "pod.yaml:10:12: spec.containers.0.ports.0.containerPort: must be between 1 and 65535, inclusive, got 0",
                "pod.yaml:10:30: spec.containers.0.ports.0.name: \"Web_Port\" must contain only lowercase letters, "
                        + "digits and '-'",
                "pod.yaml:11:42: spec.containers.0.ports.1.protocol: must be TCP, UDP or SCTP, got \"HTTP\"",
                "pod.yaml:12:44: spec.containers.0.ports.2.hostPort: must match containerPort when hostNetwork is "
                        + "true, got 80 for 8080",
                "pod.yaml:12:33: spec.containers.0.ports.2.name: duplicate port name \"web\""), errors("pod.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  hostNetwork: true
                  containers:
                    - name: main
                      image: busybox:1.35
                      ports:
                        - {containerPort: 0, name: Web_Port}
                        - {containerPort: 81, name: web, protocol: HTTP}
                        - {containerPort: 8080, name: web, hostPort: 80}
                """));
    }

    @Test
    void servicePortsAreCheckedAsTheApiServerDoes() {
        assertEquals(List.of(
                "svc.yaml:8:7: spec.ports.0.name: required when a Service has more than one port",
                "svc.yaml:8:8: spec.ports.0.port: must be between 1 and 65535, inclusive, got 70000",
                "svc.yaml:8:21: spec.ports.0.targetPort: must be between 1 and 65535, inclusive, got 0",
                "svc.yaml:9:29: spec.ports.1.targetPort: \"http_alt\" is neither a port number nor a port name: a name "
                        + "must contain only lowercase letters, digits and '-'",
                "svc.yaml:9:51: spec.ports.1.nodePort: must be between 30000 and 32767, inclusive (the node port "
                        + "range), got 80",
                "svc.yaml:10:8: spec.ports.2.name: duplicate port name \"web\", first used by spec.ports.1",
                "svc.yaml:10:19: spec.ports.2.port: duplicate port 80/TCP"), errors("svc.yaml", """
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                spec:
                  type: NodePort
                  selector: {app: web}
                  ports:
                    - {port: 70000, targetPort: 0}
                    - {name: web, port: 80, targetPort: http_alt, nodePort: 80}
                    - {name: web, port: 80, targetPort: http}
                """));
    }

    @Test
    void aNodePortNeedsTypeNodePort() {
        assertEquals(List.of("svc.yaml:7:33: spec.ports.0.nodePort: may not be used when type is \"ClusterIP\""),
                errors("svc.yaml", """
                        apiVersion: v1
                        kind: Service
                        metadata: {name: web}
                        spec:
                          selector: {app: web}
                          ports:
                          - {port: 80, targetPort: web, nodePort: 30080}
                        """));
    }

    private static String pod(String name, String ports) {
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: %s}
                spec:
                  containers:
                  - name: main
                    image: busybox:1.35
                    ports: %s
                """.formatted(name, ports);
    }

    @Test
    void twoObjectsAskingForOneHostPortAreAnErrorNamingBoth() {
        assertEquals(List.of(
                "b.yaml:8:33: Pod default/b: hostPort 8080/TCP on 127.0.0.1 is also asked for by Pod default/a at "
                        + "a.yaml:8:33; one "
                        + "node can give it to only one pod",
                "c.yaml:8:85: Pod default/c: hostPort 8080/UDP is asked for twice in its pod (also at "
                        + "spec.containers.0.ports.0.hostPort)"),
                errors("a.yaml", pod("a", "[{containerPort: 80, hostPort: 8080}]"),
                        "b.yaml", pod("b", "[{containerPort: 81, hostPort: 8080, hostIP: 127.0.0.1}]"),
                        "c.yaml", pod("c", "[{containerPort: 82, hostPort: 8080, protocol: UDP}, {containerPort: 83, "
                                + "hostPort: 8080, protocol: UDP}]")));
    }

    @Test
    void otherProtocolsAndAddressesDoNotConflict() throws IOException {
        assertEquals(List.of(), warnings("a.yaml", pod("a", "[{containerPort: 80, hostPort: 8080, hostIP: 127.0.0.1}]"),
                "b.yaml", pod("b", "[{containerPort: 80, hostPort: 8080, hostIP: 127.0.0.2}]"),
                "c.yaml", pod("c", "[{containerPort: 80, hostPort: 8080, protocol: UDP}]")));
    }

    @Test
    void replicasAndSurgePodsThatMustWaitForTheirHostPortAreWarned() throws IOException {
        assertEquals(List.of(
                "web.yaml:5:3: Deployment default/web: 3 replicas ask for hostPort 8080/TCP; only one pod can hold it "
                        + "on a node: the others stay Pending (HostPortConflict)",
                "web.yaml:4:1: Deployment default/web: a rolling update's new pod waits for hostPort 8080/TCP while an "
                        + "old pod holds it (maxSurge 25%); use strategy Recreate, or maxSurge 0 with maxUnavailable 1"),
                warnings("web.yaml", """
                        apiVersion: apps/v1
                        kind: Deployment
                        metadata: {name: web}
                        spec:
                          replicas: 3
                          selector: {matchLabels: {app: web}}
                          template:
                            metadata: {labels: {app: web}}
                            spec:
                              containers:
                              - {name: main, image: busybox:1.35, ports: [{containerPort: 80, hostPort: 8080}]}
                        """));
        assertEquals(List.of(), warnings("web.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  strategy: {type: Recreate}
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                      - {name: main, image: busybox:1.35, ports: [{containerPort: 80, hostPort: 8080}]}
                """));
    }
}
