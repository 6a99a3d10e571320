package dev.berth.doctor;

import dev.berth.config.BerthConfig;
import dev.berth.core.BerthException;
import dev.berth.net.cni.NetworkConfigList;
import dev.berth.net.dns.ClusterDns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The pods' network: the CNI plugins its network config calls, iptables (for the plugins' and the Services' rules)
 * and dnsmasq (the Services' names). The network config is only read: berth writes its default one at first use.
 */
public final class NetworkChecks implements CheckGroup {

    private final BerthConfig.Network network;
    private final Path sbin;
    private final Path dnsmasq;
    private final Function<Path, Optional<String>> versions;

    /**
     * @param sbin    where iptables, iptables-save and iptables-restore are (/usr/sbin on Debian)
     * @param dnsmasq the pods' DNS server
     */
    public NetworkChecks(BerthConfig.Network network, Path sbin, Path dnsmasq,
                         Function<Path, Optional<String>> versions) {
        this.network = network;
        this.sbin = sbin;
        this.dnsmasq = dnsmasq;
        this.versions = versions;
    }

    public static NetworkChecks ofMachine(BerthConfig.Network network) {
        return new NetworkChecks(network, Path.of("/usr/sbin"), ClusterDns.DNSMASQ, ProgramVersion::of);
    }

    @Override
    public String topic() {
        return "cni";
    }

    @Override
    public List<Check> run() {
        if (!network.enabled()) {
            return List.of(Check.ok("cni", "no pod network (network.enabled: false): pods have loopback only"));
        }
        return List.of(cni(), iptables(), dnsmasq());
    }

    private Check cni() {
        NetworkConfigList list;
        String source;
        try {
            Optional<NetworkConfigList> found = NetworkConfigList.find(network.cniConfDir(), network.name());
            if (found.isEmpty() && !network.name().equals(NetworkConfigList.DEFAULT_NAME)) {
                return Check.error("cni", "no CNI network named \"" + network.name() + "\" in "
                        + network.cniConfDir() + " (network.name in the config)", "put a .conflist with \"name\": \""
                        + network.name() + "\" there, or drop network.name to use berth's own network");
            }
            list = found.orElseGet(NetworkConfigList::defaultNetwork);
            source = found.isPresent() ? "network " + list.name() + " in " + network.cniConfDir()
                    : "network " + list.name() + " (written to " + network.cniConfDir() + " at first use)";
        } catch (BerthException e) { // a config that is not JSON, or not a network list
            return Check.error("cni", e.getMessage(), "correct the file, or remove it if berth wrote it");
        }
        String dirs = network.cniBinDirs().stream().map(Path::toString).collect(Collectors.joining(", "));
        List<String> missing = list.pluginTypes().stream().filter(type -> find(type).isEmpty()).toList();
        if (!missing.isEmpty()) {
            return Check.error("cni", source + " needs the plugins " + String.join(", ", missing) + ", not in " + dirs
                    + " (network.cniBinDirs)", Check.install("containernetworking-plugins"));
        }
        return Check.ok("cni", source + ": " + String.join(", ", list.pluginTypes()) + " in " + dirs);
    }

    private Optional<Path> find(String plugin) {
        return network.cniBinDirs().stream().map(dir -> dir.resolve(plugin))
                .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).findFirst();
    }

    /** berth runs iptables-save and iptables-restore for the Services; the CNI plugins run iptables. */
    private Check iptables() {
        List<String> missing = List.of("iptables", "iptables-save", "iptables-restore").stream()
                .filter(name -> !Files.isExecutable(sbin.resolve(name))).toList();
        if (!missing.isEmpty()) {
            return Check.error("iptables", String.join(", ", missing) + " not in " + sbin + ": pods cannot get a "
                    + "network, nor Services their rules", Check.install("iptables"));
        }
        Path iptables = sbin.resolve("iptables");
        return Check.ok("iptables", iptables + " " + versions.apply(iptables).orElse("(version unknown)"));
    }

    /** Without it a pod still starts; only the Services' names go unanswered (a DNSConfigForming event). */
    private Check dnsmasq() {
        if (!Files.isRegularFile(dnsmasq) || !Files.isExecutable(dnsmasq)) {
            return Check.warn("dnsmasq", "not found at " + dnsmasq + ": pods cannot look Services up by name",
                    Check.install("dnsmasq-base"));
        }
        return Check.ok("dnsmasq", dnsmasq + " " + versions.apply(dnsmasq).orElse("(version unknown)"));
    }
}
