package dev.berth.config;

import dev.berth.core.Quantity;
import dev.berth.git.SignaturePolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** berth's configuration file (/etc/berth/config.yaml), as documented in the README. Absent values are null. */
public record BerthConfig(Path root, Source source, Map<String, Registry> registries, Node node, Server server,
                          Network network, String runtime) {

    /** The OCI runtime when the config names none: crun if a probe container runs, else runc. */
    public static final String AUTO_RUNTIME = "auto";

    public static BerthConfig defaults() {
        return new BerthConfig(null, Source.NONE, Map.of(), Node.NONE, Server.NONE, Network.DEFAULTS, AUTO_RUNTIME);
    }

    /**
     * The git source: repository, ref, manifest path in it, local policies directory, poll interval, the signatures
     * a commit needs (null: none), and whether a commit with no manifests (which prunes everything) is taken.
     */
    public record Source(String repo, String ref, String path, Path policies, Duration interval,
            SignaturePolicy verify, boolean allowEmpty) {
        static final Source NONE = new Source(null, null, null, null, null, null, false);
    }

    /**
     * How to reach one registry host: mirrors tried first, whether plain http is allowed, and how long an answer (or
     * the next byte of one) may keep a pull waiting (null: the default).
     */
    public record Registry(List<String> mirrors, boolean insecure, Duration timeout) {}

    /**
     * This node: labels for nodeSelector and node affinity, capacity held back from pods, and the extended resources
     * it offers (e.g. {@code example.com/dongle: 4}, whole units).
     */
    public record Node(Map<String, String> labels, Quantity reservedCpu, Quantity reservedMemory,
            Map<String, Long> resources) {
        static final Node NONE = new Node(Map.of(), null, null, Map.of());
    }

    /**
     * {@code berth watch}'s server: where it listens, the files holding its API token and webhook secret, whether
     * /metrics needs the token, how often it heals drift (resync) and collects unused images (gc), and its TLS
     * certificate (null: plain HTTP).
     */
    public record Server(String listen, Path tokenFile, Path webhookSecretFile, boolean publicMetrics, Duration resync,
                         Duration gc, String notifyUrl, Tls tls, Limits limits) {
        static final Server NONE = new Server(null, null, null, false, null, null, null, null, Limits.NONE);
        /** Where the server listens when neither the config nor {@code --listen} says. */
        public static final String DEFAULT_LISTEN = "127.0.0.1:7420";

        /** The PEM files of the server's certificate (chain, leaf first) and its private key. */
        public record Tls(Path cert, Path key) {}

        /** The HTTP server's time limits and caps as the config sets them; null keeps berth's default. */
        public record Limits(Duration headerTimeout, Duration bodyTimeout, Duration idleTimeout, Integer maxConnections,
                             Integer maxConnectionsPerAddress, Integer maxRequests, Integer maxWaitingRequests) {
            public static final Limits NONE = new Limits(null, null, null, null, null, null, null);
        }
    }

    /**
     * The pods' network: whether pods get one (else loopback only), the directory of CNI network configs, the
     * directories of CNI plugins (searched in order), the name of the network to use, and the domain of the Services'
     * DNS names (the kubelet's clusterDomain), and the range of the Services' virtual IPs (the API server's
     * service-cluster-ip-range). Absent values are defaults.
     */
    public record Network(boolean enabled, Path cniConfDir, List<Path> cniBinDirs, String name, String clusterDomain,
                          String serviceCIDR) {
        public static final Network DEFAULTS = new Network(true, Path.of("/etc/cni/net.d"),
                List.of(Path.of("/usr/lib/cni"), Path.of("/opt/cni/bin")), "berth", "cluster.local", "10.96.0.0/16");
    }
}
