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
    /** The tables' text as last applied; null until the first sync. */
    private String applied;
    /** Berth's part of the tables after the last sync; null when it is to be read from them. */
    private Map<String, IptablesChanges.Found> tables;

    /** @param binDir where iptables-save and iptables-restore are ({@code /usr/sbin} on Debian) */
    public IptablesProxy(Path binDir) {
        this.binDir = binDir;
    }

    public IptablesProxy() {
        this(Path.of("/usr/sbin"));
    }

    @Override
    public synchronized void sync(List<ServiceEndpoints> services) {
        Map<String, IptablesRules.Table> wanted = IptablesRules.render(services);
        String text = IptablesRules.text(wanted);
        if (text.equals(applied)) {
            return;
        }
        if (services.stream().anyMatch(s -> s.ports().stream().anyMatch(p -> p.nodePort() > 0))) {
            enableRouteLocalnet();
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

    private static void enableRouteLocalnet() {
        try {
            if (!Files.readString(ROUTE_LOCALNET).strip().equals("1")) {
                Files.writeString(ROUTE_LOCALNET, "1");
                LOG.info("set net.ipv4.conf.all.route_localnet=1 so that NodePorts answer on 127.0.0.1");
            }
        } catch (IOException e) {
            LOG.warn("NodePorts will not answer on 127.0.0.1: cannot set {}: {}", ROUTE_LOCALNET, e.getMessage());
        }
    }
}
