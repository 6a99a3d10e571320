package dev.berth.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.core.InvalidInputException;
import dev.berth.core.Quantity;
import dev.berth.git.SignaturePolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

    private static BerthConfig parse(String yaml) {
        return new ConfigLoader().parse("config.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsTheDocumentedExample() {
        BerthConfig config = parse("""
                root: /var/lib/berth
                source:
                  {repo: https://example.org/ops.git, ref: main, path: deploy, policies: policies, interval: 1m,
                   verify: {mode: tag-and-head, keys: /etc/berth/keys}}
                registries:
                  docker.io: {mirrors: ["http://127.0.0.1:5000"]}
                  "127.0.0.1:5000": {insecure: true, timeout: 10s}
                node: {labels: {disk: ssd}, reserved: {cpu: 100m, memory: 256Mi}, resources: {example.com/dongle: 4}}
                """);
        assertEquals(Path.of("/var/lib/berth"), config.root());
        assertEquals(new BerthConfig.Source("https://example.org/ops.git", "main", "deploy", Path.of("policies"),
                Duration.ofMinutes(1),
                new SignaturePolicy(SignaturePolicy.Mode.TAG_AND_HEAD, Path.of("/etc/berth/keys")), false), config.source());
        assertEquals(Map.of("docker.io", new BerthConfig.Registry(List.of("http://127.0.0.1:5000"), false, null),
                "127.0.0.1:5000", new BerthConfig.Registry(List.of(), true, Duration.ofSeconds(10))), config.registries());
        assertEquals(new BerthConfig.Node(Map.of("disk", "ssd"), Quantity.parse("0.1"), Quantity.parse("256Mi"),
                Map.of("example.com/dongle", 4L)), config.node());
    }

    @Test
    void emptyFileMeansDefaults() {
        assertEquals(BerthConfig.defaults(), parse("# nothing yet\n"));
    }

    @Test
    void theOciRuntimeIsCrunRuncOrAuto() {
        assertEquals("auto", parse("root: /x\n").runtime());
        assertEquals("runc", parse("runtime: runc\n").runtime());
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> parse("runtime: youki\n"));
        assertEquals("config.yaml:1:1: expected crun, runc or auto, got \"youki\"", e.getMessage());
    }

    @Test
    void verifyModeDefaultsToHeadAndNeedsKeys() {
        assertEquals(new SignaturePolicy(SignaturePolicy.Mode.HEAD, Path.of("keys")),
                parse("source: {verify: {keys: keys}}").source().verify());
        assertEquals(null, parse("source: {repo: r}").source().verify());
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> parse("""
                source:
                  verify:
                    mode: HEAD
                    signers: x
                """));
        assertEquals("""
                config.yaml:4:5: unknown key "source.verify.signers" (allowed: keys, mode)
                config.yaml:3:5: unknown verify mode "HEAD" (expected head, tag, tag-and-head)
                config.yaml:2:3: "source.verify" needs "keys", the directory of trusted public keys""", e.getMessage());
    }

    @Test
    void unknownKeysAndWrongValuesNameTheLine() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> parse("""
                root: /x
                sauce: {repo: r}
                source:
                  interval: soon
                node:
                  reserved: {cpu: lots, disk: 1Gi}
                registries:
                  docker.io: {insecure: "yes"}
                """));
        assertEquals("""
                config.yaml:2:1: unknown key "sauce" (allowed: network, node, registries, root, runtime, server, source)
                config.yaml:4:3: expected a duration like 30s, 1m or 1h, got "soon"
                config.yaml:8:15: expected true or false
                config.yaml:6:25: unknown key "node.reserved.disk" (allowed: cpu, memory)
                config.yaml:6:14: not a quantity: "lots" (expected e.g. 500m, 2, 128Mi, 1G)""", e.getMessage());
    }

    @Test
    void networkKeysOverrideTheDefaultsAndBadOnesNameTheirPath() {
        assertEquals(BerthConfig.Network.DEFAULTS, parse("root: /x").network());
        assertEquals(new BerthConfig.Network(false, Path.of("/etc/berth/net.d"), List.of(Path.of("/opt/cni/bin")),
                        "lab", "berth.internal", "10.100.0.0/24"),
                parse("network: {enabled: false, cniConfDir: /etc/berth/net.d, cniBinDirs: [/opt/cni/bin], name: lab,"
                        + " clusterDomain: berth.internal, serviceCIDR: 10.100.0.0/24}").network());
        assertEquals(new BerthConfig.Network(true, Path.of("/etc/cni/net.d"), List.of(Path.of("/usr/lib/cni"),
                Path.of("/opt/cni/bin")), "lab", "cluster.local", "10.96.0.0/16"), parse("network: {name: lab}").network());
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> parse("""
                network:
                  enabled: "no"
                  cniBinDirs: /usr/lib/cni
                  name: ../lab
                  cidr: 10.0.0.0/8
                  clusterDomain: Cluster.Local.
                  serviceCIDR: 10.96.0.0
                """));
        assertEquals("""
                config.yaml:5:3: unknown key "network.cidr" (allowed: clusterDomain, cniBinDirs, cniConfDir, enabled, name, serviceCIDR)
                config.yaml:2:3: expected true or false
                config.yaml:3:3: expected a non-empty list of directories
                config.yaml:4:3: expected a CNI network name (letters, digits, '_', '.', '-'), got "../lab"
                config.yaml:6:3: expected a DNS domain like cluster.local, got "Cluster.Local."
                config.yaml:7:3: expected an IPv4 network like 10.96.0.0/16, got "10.96.0.0\"""",
                e.getMessage());
    }

    @Test
    void serverTlsNamesTheCertificateAndKeyFiles() {
        assertEquals(new BerthConfig.Server.Tls(Path.of("/etc/berth/tls.crt"), Path.of("/etc/berth/tls.key")),
                parse("server: {tls: {cert: /etc/berth/tls.crt, key: /etc/berth/tls.key}}").server().tls());
        assertEquals(null, parse("server: {listen: 127.0.0.1:7420}").server().tls(), "no tls: plain HTTP");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> parse("""
                server:
                  tls:
                    cert: tls.crt
                    keyFile: tls.key
                """));
        assertEquals("""
                config.yaml:4:5: unknown key "server.tls.keyFile" (allowed: cert, key)
                config.yaml:2:3: "server.tls" needs both "cert" and "key", the PEM files of the certificate and its \
                private key""", e.getMessage());
    }

    @Test
    void serverLimitsOverrideTheDefaultsKeyByKey() {
        BerthConfig.Server.Limits limits = parse("""
                server:
                  limits: {headerTimeout: 5s, maxConnections: 100, maxRequests: 4}
                """).server().limits();
        assertEquals(new BerthConfig.Server.Limits(Duration.ofSeconds(5), null, null, 100, null, 4, null), limits);
        assertEquals(BerthConfig.Server.Limits.NONE, parse("server: {listen: 127.0.0.1:7420}").server().limits());
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> parse("""
                server:
                  limits:
                    maxConnections: 0
                    bodyTimeout: soon
                    maxClients: 3
                """));
        assertEquals("""
                config.yaml:5:5: unknown key "server.limits.maxClients" (allowed: bodyTimeout, headerTimeout, \
                idleTimeout, maxConnections, maxConnectionsPerAddress, maxRequests, maxWaitingRequests)
                config.yaml:4:5: expected a duration like 30s, 1m or 1h, got "soon"
                config.yaml:3:5: expected a whole number of at least 1, got 0""", e.getMessage());
    }

    @Test
    void nodeResourcesAreWholeUnitsOfExtendedResources() {
        assertEquals(Map.of("example.com/dongle", 4L, "vendor.io/gpu", 2000L),
                parse("node: {resources: {example.com/dongle: \"4\", vendor.io/gpu: 2k}}").node().resources());
        assertEquals(Map.of(), parse("node: {labels: {a: b}}").node().resources());
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> parse("""
                node:
                  resources:
                    cpu: 2
                    example.com/half: 0.5
                    example.com/minus: -1
                    kubernetes.io/thing: 1
                    example.com/word: many
                """));
        assertEquals("""
                config.yaml:3:5: "cpu" is not an extended resource: use a domain-qualified name outside kubernetes.io, \
                like example.com/dongle
                config.yaml:4:5: expected a whole number of example.com/half, got 0.5
                config.yaml:5:5: expected a whole number of example.com/minus, got -1
                config.yaml:6:5: "kubernetes.io/thing" is not an extended resource: use a domain-qualified name outside \
                kubernetes.io, like example.com/dongle
                config.yaml:7:5: not a quantity: "many" (expected e.g. 500m, 2, 128Mi, 1G)""", e.getMessage());
    }
}
