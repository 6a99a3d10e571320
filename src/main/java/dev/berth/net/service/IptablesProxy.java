package dev.berth.net.service;

import dev.berth.core.BerthException;
import dev.berth.runtime.Command;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Services' rules in the host's iptables (Debian's {@code iptables}, nf_tables or legacy), through its CLI:
 * rendered by {@link IptablesRules}, applied with one {@code iptables-restore --noflush} that replaces berth's chains
 * alone, and not at all when the rendering is what was applied last. The first sync of a process reads the tables
 * (iptables-save), so chains a crashed or older berth left are brought in line too; later ones build on what the last
 * applied, unless it failed.
 */
public final class IptablesProxy implements ServiceProxy {

    private static final Logger LOG = LoggerFactory.getLogger(IptablesProxy.class);
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    /**
     * NodePorts answer on 127.0.0.1 as kube-proxy makes them: the kernel routes a packet from 127.0.0.1 to a pod only
     * with route_localnet, which BERTH-FIREWALL then guards against neighbours reaching the host's localhost.
     */
    private static final Path ROUTE_LOCALNET = Path.of("/proc/sys/net/ipv4/conf/all/route_localnet");

    private final Path binDir;
    /**
     * Kept while berth has turned route_localnet on (in the run root, which a reboot empties as it resets the sysctl):
     * so that a later berth, a one-shot apply's too, turns it off again once no NodePort is left.
     */
    private final Path localnetMark;
    /** The tables' text as last applied; null until the first sync. */
    private String applied;
    /** Berth's part of the tables after the last sync; null when it is to be read from them. */
    private Map<String, IptablesChanges.Found> tables;

    /**
     * @param binDir  where iptables-save and iptables-restore are ({@code /usr/sbin} on Debian)
     * @param runRoot berth's volatile state, e.g. /run/berth
     */
    public IptablesProxy(Path binDir, Path runRoot) {
        this.binDir = binDir;
        this.localnetMark = runRoot.resolve("route-localnet-set");
    }

    public IptablesProxy(Path runRoot) {
        this(Path.of("/usr/sbin"), runRoot);
    }

    @Override
    public synchronized void sync(List<ServiceEndpoints> services) {
        long start = System.nanoTime();
        Map<String, IptablesRules.Table> wanted = IptablesRules.render(services);
        String text = IptablesRules.text(wanted);
        if (text.equals(applied)) {
            return;
        }
        boolean nodePorts = services.stream().anyMatch(s -> s.ports().stream().anyMatch(p -> p.nodePort() > 0));
        if (nodePorts && routeLocalnet("0", "1")) {
            mark(true);
        }
        Map<String, IptablesChanges.Found> found = tables != null ? tables
                : IptablesChanges.parse(run("iptables-save", new byte[0]));
        String changes = IptablesChanges.restore(wanted, found);
        tables = null; // until it is known what the restore did
        if (!changes.isEmpty()) {
            run("iptables-restore", changes.getBytes(java.nio.charset.StandardCharsets.UTF_8), "--noflush", "-w");
        }
        tables = IptablesChanges.after(wanted);
        applied = text;
        LOG.debug("Service rules in place: {} Services in {} ms", services.size(), (System.nanoTime() - start) / 1_000_000);
        if (!nodePorts && Files.exists(localnetMark)) { // after BERTH-FIREWALL, which guards it, may have gone
            routeLocalnet("1", "0");
            mark(false);
        }
    }

    private String run(String program, byte[] stdin, String... args) {
        Path binary = binDir.resolve(program);
        if (!Files.isExecutable(binary)) {
            throw new BerthException("Services need " + binary + ", which is not installed: install Debian's package"
                    + " iptables (apt-get install iptables)");
        }
        List<String> command = new java.util.ArrayList<>(List.of(binary.toString()));
        command.addAll(List.of(args));
        Command.Result result = Command.run(command, Map.of(), stdin, DEADLINE);
        if (result.exitCode() != 0) {
            throw new BerthException(program + " failed (exit " + result.exitCode() + "): "
                    + (result.stderr() + result.stdout()).strip());
        }
        return result.stdout();
    }

    private void mark(boolean set) {
        try {
            if (set) {
                Files.createDirectories(localnetMark.getParent());
                Files.writeString(localnetMark, "berth turned net.ipv4.conf.all.route_localnet on for NodePorts\n");
            } else {
                Files.deleteIfExists(localnetMark);
            }
        } catch (IOException e) {
            LOG.warn("cannot {} {}: {}", set ? "write" : "delete", localnetMark, e.getMessage());
        }
    }

    /** Sets route_localnet to {@code to} if it is {@code from}; returns whether it did. */
    private static boolean routeLocalnet(String from, String to) {
        try {
            if (!Files.readString(ROUTE_LOCALNET).strip().equals(from)) {
                return false;
            }
            Files.writeString(ROUTE_LOCALNET, to);
            LOG.info("set net.ipv4.conf.all.route_localnet={}: {}", to, to.equals("1")
                    ? "NodePorts answer on 127.0.0.1" : "no NodePort is left");
            return true;
        } catch (IOException e) {
            LOG.warn("cannot set {} to {} (NodePorts on 127.0.0.1 need 1): {}", ROUTE_LOCALNET, to, e.getMessage());
            return false;
        }
    }
}
