package dev.berth.net.cni;

import dev.berth.core.BerthException;
import dev.berth.net.PodAttachment;
import dev.berth.net.PodIps;
import dev.berth.net.PodNetwork;
import dev.berth.runtime.Mounter;
import dev.berth.runtime.PodNamespaces;
import dev.berth.store.JsonFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The pod network through CNI plugins, called for a network config list as libcni calls them: ADD in the list's
 * order, each plugin given the one before's result as {@code prevResult}; DEL and CHECK from the cached result, DEL in
 * reverse order. A pod whose cached result is lost but which still holds host-local leases is DELed from those.
 */
public final class CniNetwork implements PodNetwork {

    /** Per plugin call: a hung plugin fails that pod's start, not the node. */
    public static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String IFNAME = "eth0";

    /**
     * Where the network is defined and where its plugins are.
     *
     * @param confDir network.cniConfDir
     * @param binDirs network.cniBinDirs, searched in order
     * @param name    network.name, the {@code name} of a config list in {@code confDir}
     */
    public record Settings(Path confDir, List<Path> binDirs, String name) {
        public static final Settings DEFAULTS = new Settings(Path.of("/etc/cni/net.d"),
                List.of(Path.of("/usr/lib/cni"), Path.of("/opt/cni/bin")), NetworkConfigList.DEFAULT_NAME);
    }

    private final Settings settings;
    private final CniPlugins plugins;
    private final CniCache cache;
    private final Path netnsDir;

    /**
     * @param cacheDir where each pod's config and result are kept, e.g. {@code <run root>/cni/results}
     * @param netnsDir where berth pins the pods' namespaces ({@link PodNamespaces}), e.g. {@code <run root>/netns}:
     *                 a pod with a directory there is this berth's, and a DEL without a cached result is given its
     *                 namespace while it is pinned; null: none
     */
    public CniNetwork(Settings settings, Path cacheDir, Path netnsDir, Duration deadline) {
        this.settings = settings;
        this.plugins = new CniPlugins(settings.binDirs(), deadline);
        this.cache = new CniCache(cacheDir);
        this.netnsDir = netnsDir;
    }

    /** Without the pods' namespaces: a lease without a cached result counts for no pod, and a DEL gets no netns. */
    public CniNetwork(Settings settings, Path cacheDir, Duration deadline) {
        this(settings, cacheDir, null, deadline);
    }

    @Override
    public PodIps attach(PodAttachment pod) {
        NetworkConfigList list = NetworkConfigList.load(settings.confDir(), settings.name());
        list.plugins().forEach(p -> plugins.find(p.get("type").asString())); // all there before anything is made
        CniCache.Entry entry = new CniCache.Entry(pod.podId(), pod.netns().toString(), IFNAME,
                args(pod.namespace(), pod.name(), pod.podId()), list.toJson(), runtimeConfig(pod), null);
        cache.write(entry);
        JsonNode result = null;
        try {
            for (ObjectNode plugin : list.plugins()) {
                ObjectNode config = stdin(entry, plugin, result);
                if (idle(config)) {
                    continue;
                }
                result = plugins.run("ADD", config, call(entry));
                // kept after each plugin, not only at the end as libcni does: a plugin that undoes its work by the
                // addresses in prevResult (firewall) must find them after a crash in a later plugin's ADD
                entry = entry.withResult(result);
                cache.write(entry);
            }
        } catch (RuntimeException e) {
            try {
                detach(pod.podId());
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        return new PodIps(ips(result));
    }

    @Override
    public void detach(String podId) {
        CniCache.Entry entry = cache.read(podId).orElse(null);
        if (entry == null) {
            entry = fromLeases(podId);
            if (entry == null) {
                return;
            }
            cache.write(entry); // a DEL that fails after host-local released the lease is tried again from it
        }
        List<ObjectNode> list = plugins(entry);
        List<String> failures = new ArrayList<>();
        // every plugin is asked, so one failure leaves as little behind as it can; the entry stays for the next try
        for (int i = list.size() - 1; i >= 0; i--) {
            ObjectNode config = stdin(entry, list.get(i), entry.result());
            if (idle(config)) {
                continue;
            }
            try {
                plugins.run("DEL", config, call(entry));
            } catch (BerthException e) {
                failures.add(e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            throw new BerthException("cannot remove the network of pod " + podId + ": " + String.join("; ", failures));
        }
        cache.delete(podId);
    }

    @Override
    public void check(String podId) {
        CniCache.Entry entry = cache.read(podId)
                .orElseThrow(() -> new BerthException("pod " + podId + " has no network to check"));
        if (entry.result() == null) {
            throw new BerthException("the network of pod " + podId + " was never completed");
        }
        if (!supportsCheck(entry.config().path("cniVersion").asString(""))) {
            return; // CHECK came with spec 0.4.0; libcni skips it for older networks too
        }
        for (ObjectNode plugin : plugins(entry)) {
            ObjectNode config = stdin(entry, plugin, entry.result());
            if (!idle(config)) {
                plugins.run("CHECK", config, call(entry));
            }
        }
    }

    /**
     * The pods with a cached result, and those of this berth holding a host-local lease without one (the cache was
     * lost). Another berth with a run root of its own may share the network and its leases: a pod is this one's when
     * its namespaces' directory is under this run root, which berth removes only after the pod's DEL.
     */
    @Override
    public List<String> attached() {
        Set<String> ids = new TreeSet<>(cache.podIds());
        currentList().ifPresent(list -> HostLocalLeases.of(list, IFNAME).stream().map(HostLocalLeases.Lease::podId)
                .filter(id -> netnsDir != null && Files.isDirectory(netnsDir.resolve(id))).forEach(ids::add));
        return List.copyOf(ids);
    }

    /**
     * What DEL needs for a pod whose cached result is lost but which holds host-local leases: the network's config as
     * it is now and a result of the leased addresses. host-local releases them by the pod's id, portmap removes its
     * chains by it and firewall its rules by the addresses; bridge removes the veth and its masquerading only in the
     * pod's namespace, so it is given while berth still pins it (CNI allows a DEL without one). Null: no lease.
     */
    private CniCache.Entry fromLeases(String podId) {
        NetworkConfigList list = currentList().orElse(null);
        List<String> addresses = list == null ? List.of() : HostLocalLeases.of(list, IFNAME).stream()
                .filter(lease -> lease.podId().equals(podId)).map(HostLocalLeases.Lease::address).toList();
        if (addresses.isEmpty()) {
            return null;
        }
        ObjectNode result = JsonFiles.JSON.createObjectNode();
        result.put("cniVersion", list.cniVersion());
        ArrayNode ips = result.putArray("ips");
        addresses.forEach(address -> ips.addObject().put("address", address));
        // portmap skips a DEL without mappings; it finds its chains by the pod's id, so any one mapping will do
        ObjectNode runtime = JsonFiles.JSON.createObjectNode();
        runtime.putArray("portMappings").addObject().put("hostPort", 1).put("containerPort", 1).put("protocol", "tcp");
        int dot = podId.indexOf('.'); // <namespace>.<name>.<hex>, as the lease's id was checked to be
        String args = args(podId.substring(0, dot), podId.substring(dot + 1, podId.lastIndexOf('.')), podId);
        return new CniCache.Entry(podId, pinnedNetns(podId), IFNAME, args, list.toJson(), runtime, result);
    }

    /** The network's config as it is now; none when missing or unreadable (the next attach says why). */
    private Optional<NetworkConfigList> currentList() {
        try {
            return NetworkConfigList.find(settings.confDir(), settings.name());
        } catch (BerthException e) {
            return Optional.empty();
        }
    }

    /** The pod's network namespace while berth pins it, else "" (none): an unpinned file there fails bridge's DEL. */
    private String pinnedNetns(String podId) {
        // the Mounter goes unused: it is only asked whether the pod's namespace is pinned
        return netnsDir != null && new PodNamespaces(netnsDir, new Mounter()).isPinned(podId)
                ? netnsDir.resolve(podId).resolve("net").toString() : "";
    }

    /**
     * Whether a chained plugin's call, by its stdin, would do nothing, and so is not made: portmap given no port
     * mappings, and tuning with nothing to tune (berth passes no MAC in CNI_ARGS). Given a prevResult, both print it
     * back unchanged on ADD and return at once on DEL and CHECK (their sources, plugins 1.1 on); each call left out is
     * a process start, 7-10 ms here. DEL decides from the cached config and runtime config, as ADD did: nothing is left.
     */
    static boolean idle(ObjectNode stdin) {
        if (!stdin.has("prevResult")) {
            return false; // the plugin's own error ("must be called as chained plugin") says more
        }
        return switch (stdin.path("type").asString("")) {
            case "portmap" -> stdin.path("runtimeConfig").path("portMappings").isEmpty();
            // nothing but what every plugin is given: a sysctl, mac, mtu, args, capabilities... is work to do
            case "tuning" -> List.of("type", "name", "cniVersion", "prevResult").containsAll(stdin.propertyNames());
            default -> false;
        };
    }

    private static List<ObjectNode> plugins(CniCache.Entry entry) {
        List<ObjectNode> list = new ArrayList<>();
        entry.config().path("plugins").forEach(p -> list.add((ObjectNode) p));
        return list;
    }

    /**
     * One plugin's stdin: its config with the network's name and version, the result so far, and the runtime config of
     * the capabilities it declares.
     */
    private static ObjectNode stdin(CniCache.Entry entry, ObjectNode plugin, JsonNode prevResult) {
        ObjectNode config = plugin.deepCopy();
        config.put("name", entry.config().path("name").asString());
        config.put("cniVersion", entry.config().path("cniVersion").asString());
        if (prevResult != null) {
            config.set("prevResult", prevResult);
        }
        ObjectNode runtime = JsonFiles.JSON.createObjectNode();
        for (Map.Entry<String, JsonNode> capability : plugin.path("capabilities").properties()) {
            if (capability.getValue().asBoolean() && entry.runtimeConfig().has(capability.getKey())) {
                runtime.set(capability.getKey(), entry.runtimeConfig().get(capability.getKey()));
            }
        }
        if (!runtime.isEmpty()) {
            config.set("runtimeConfig", runtime);
        }
        return config;
    }

    private static CniPlugins.Call call(CniCache.Entry entry) {
        return new CniPlugins.Call(entry.podId(), entry.netns(), entry.ifName(), entry.args());
    }

    /** The arguments the kubelet's CNI callers pass, which plugins that know Kubernetes read. */
    private static String args(String namespace, String name, String podId) {
        return "IgnoreUnknown=1;K8S_POD_NAMESPACE=" + namespace + ";K8S_POD_NAME=" + name
                + ";K8S_POD_INFRA_CONTAINER_ID=" + podId;
    }

    /** portMappings as the CRI plugin of containerd passes them (portmap's capability). */
    private static ObjectNode runtimeConfig(PodAttachment pod) {
        ObjectNode runtime = JsonFiles.JSON.createObjectNode();
        if (!pod.hostPorts().isEmpty()) {
            ArrayNode mappings = runtime.putArray("portMappings");
            for (PodAttachment.HostPort port : pod.hostPorts()) {
                ObjectNode mapping = mappings.addObject();
                mapping.put("hostPort", port.hostPort());
                mapping.put("containerPort", port.containerPort());
                mapping.put("protocol", port.protocol());
                if (port.hostIP() != null && !port.hostIP().isEmpty()) {
                    mapping.put("hostIP", port.hostIP());
                }
            }
        }
        return runtime;
    }

    /**
     * The pod's addresses in an ADD result: those on an interface in the pod's namespace (or on no named interface),
     * in the result's order; spec 0.2.0's {@code ip4}/{@code ip6} too.
     */
    static List<String> ips(JsonNode result) {
        List<String> ips = new ArrayList<>();
        if (result == null) {
            return ips;
        }
        JsonNode interfaces = result.path("interfaces");
        for (JsonNode ip : result.path("ips")) {
            JsonNode index = ip.get("interface");
            boolean inPod = index == null || !index.isInt()
                    || !interfaces.path(index.asInt()).path("sandbox").asString("").isEmpty();
            if (inPod && ip.hasNonNull("address")) {
                ips.add(withoutPrefix(ip.get("address").asString()));
            }
        }
        for (String family : List.of("ip4", "ip6")) {
            if (result.path(family).hasNonNull("ip")) {
                ips.add(withoutPrefix(result.path(family).get("ip").asString()));
            }
        }
        return ips;
    }

    private static String withoutPrefix(String cidr) {
        int slash = cidr.indexOf('/');
        return slash < 0 ? cidr : cidr.substring(0, slash);
    }

    /** Whether a spec version is 0.4.0 or later. */
    static boolean supportsCheck(String version) {
        String[] parts = version.split("\\.");
        try {
            int major = Integer.parseInt(parts[0]);
            int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return major > 0 || minor >= 4;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
