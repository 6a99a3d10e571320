package dev.berth.net.dns;

import dev.berth.core.BerthException;
import dev.berth.core.IpLiteral;
import dev.berth.runtime.Command;
import dev.berth.store.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The pods' DNS server: a dnsmasq that berth starts and leaves running, as conmon outlives the berth that started it
 * (a one-shot {@code berth apply} ends, the pods' names must go on resolving). It answers only on the pod bridge's
 * gateway, serves the Services' names from one hosts file per Service in a directory it watches (inotify: a change is
 * served at once, without a restart), never sends a name of the cluster domain upstream, and forwards every other
 * name to the host's resolvers.
 */
public final class ClusterDns implements PodDns {

    public static final Path DNSMASQ = Path.of("/usr/sbin/dnsmasq");
    /** dnsmasq's first process exits once the server is set up, or with why it could not be. */
    private static final Duration START_DEADLINE = Duration.ofSeconds(10);
    private static final Duration STOP_DEADLINE = Duration.ofSeconds(5);
    private static final Pattern DNS_NAME = Pattern.compile("[a-z0-9]([a-z0-9.-]*[a-z0-9])?");

    /**
     * @param dir           its pid file and hosts directory, e.g. {@code <run root>/dns}
     * @param listenAddress the pod bridge's gateway ({@link BridgeGateway}), the pods' nameserver
     * @param clusterDomain {@code network.clusterDomain}
     * @param upstream      the host's resolv.conf (dnsmasq re-reads it when it changes); with systemd-resolved's
     *                      stub 127.0.0.53 in it, that works too, since dnsmasq runs in the host's namespace
     * @param dnsmasq       the binary, from Debian's {@code dnsmasq-base}
     */
    public record Settings(Path dir, String listenAddress, String clusterDomain, Path upstream, Path dnsmasq) {

        public static Settings of(Path dir, String listenAddress, String clusterDomain) {
            return new Settings(dir, listenAddress, clusterDomain, Path.of("/etc/resolv.conf"), DNSMASQ);
        }
    }

    private final Settings settings;

    public ClusterDns(Settings settings) {
        this.settings = settings;
    }

    /** The pods' nameserver is the gateway dnsmasq listens on. */
    @Override
    public ClusterDnsConfig config() {
        return new ClusterDnsConfig(List.of(settings.listenAddress()), settings.clusterDomain());
    }

    /** Starts dnsmasq unless it runs already as these settings ask; one started with others is replaced. */
    @Override
    public synchronized void ensureRunning() {
        Optional<ProcessHandle> running = running();
        if (running.isPresent() && commandLine(running.get().pid()).equals(command())) {
            return;
        }
        running.ifPresent(this::terminate);
        if (!Files.isExecutable(settings.dnsmasq())) {
            throw new BerthException("the pods' DNS server needs " + settings.dnsmasq() + ", which is not installed:"
                    + " install Debian's package dnsmasq-base (apt-get install dnsmasq-base)");
        }
        try {
            Files.createDirectories(hostsDir());
        } catch (IOException e) {
            throw new BerthException("cannot create " + hostsDir() + ": " + e.getMessage(), e);
        }
        // dnsmasq forks into the background, and its first process exits once the server is up, or with why not
        Command.Result started = Command.run(command(), Map.of(), new byte[0], START_DEADLINE);
        if (started.exitCode() != 0) {
            throw new BerthException("the pods' DNS server (dnsmasq on " + settings.listenAddress()
                    + ") did not start: " + (started.stderr() + started.stdout()).strip());
        }
    }

    /**
     * Serves these names, and no others: one hosts file per name, its addresses sorted and the file rewritten only
     * when that changes (pods listed in another order change nothing), and the files of names no longer given
     * removed.
     *
     * @param ipsByService the IPs of each Service by {@code namespace/name}: its clusterIP, or a headless Service's
     *                     ready pods' IPs; a Service without any has no name
     */
    @Override
    public synchronized void publish(Map<String, List<String>> ipsByService) {
        Map<String, String> files = new TreeMap<>();
        ipsByService.forEach((service, ips) -> {
            if (!ips.isEmpty()) {
                String name = serviceName(service);
                files.put(name, hostsFile(name, ips.stream().sorted().toList()));
            }
        });
        if (files.isEmpty() && !Files.isDirectory(hostsDir())) {
            return; // nothing to serve, nothing served: a node without pods leaves no directory behind
        }
        try {
            Files.createDirectories(hostsDir());
            for (Map.Entry<String, String> file : files.entrySet()) {
                Path path = hostsDir().resolve(file.getKey());
                if (!file.getValue().equals(read(path))) {
                    AtomicFiles.write(path, file.getValue().getBytes(StandardCharsets.UTF_8));
                }
            }
            removeAllBut(files.keySet());
        } catch (IOException e) {
            throw new BerthException("cannot update the DNS names in " + hostsDir() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void stopUnlessNeeded(BooleanSupplier needed) {
        if (!needed.getAsBoolean()) {
            stop();
        }
    }

    /** Stops dnsmasq if it runs, and removes its names. */
    public synchronized void stop() {
        running().ifPresent(this::terminate);
        try {
            Files.deleteIfExists(pidFile());
            if (Files.isDirectory(hostsDir())) {
                removeAllBut(Set.of());
                Files.delete(hostsDir());
            }
        } catch (IOException e) {
            throw new BerthException("cannot remove " + settings.dir() + ": " + e.getMessage(), e);
        }
    }

    /** The dnsmasq its pid file names, if that process still runs and is one started for this directory. */
    Optional<ProcessHandle> running() {
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidFile()).strip());
        } catch (IOException | NumberFormatException e) {
            return Optional.empty(); // none, or torn: a new server writes it anew
        }
        // the pid may have been reused since: only a dnsmasq with this pid file is ours (a zombie has no command line)
        List<String> line = commandLine(pid);
        return line.contains("--pid-file=" + pidFile()) && line.get(0).endsWith("dnsmasq")
                ? ProcessHandle.of(pid) : Optional.empty();
    }

    /** The full name a Service has: {@code <service>.<namespace>.svc.<cluster domain>}. */
    String serviceName(String namespacedName) {
        int slash = namespacedName.indexOf('/');
        if (slash <= 0 || slash != namespacedName.lastIndexOf('/')) {
            throw new BerthException("expected a Service as namespace/name, got \"" + namespacedName + "\"");
        }
        String name = namespacedName.substring(slash + 1) + "." + namespacedName.substring(0, slash) + ".svc."
                + settings.clusterDomain();
        if (!DNS_NAME.matcher(name).matches()) { // it is also a file name: no '/', no leading '.'
            throw new BerthException("\"" + name + "\" is not a DNS name");
        }
        return name;
    }

    /** A hosts file: each address with the name, as dnsmasq reads /etc/hosts. */
    static String hostsFile(String name, List<String> ips) {
        StringBuilder out = new StringBuilder();
        for (String ip : ips) {
            if (!IpLiteral.isValid(ip)) {
                throw new BerthException("\"" + ip + "\" (of " + name + ") is not an IP address");
            }
            out.append(ip).append('\t').append(name).append('\n');
        }
        return out.toString();
    }

    /**
     * What berth asks dnsmasq for: no DHCP (no dhcp-range given), no /etc/hosts, its socket bound only once the
     * bridge has the address (the bridge appears with the first pod), plain names and the cluster domain never
     * forwarded. It stays root: its names are below berth's run root, which only root may enter (containers'
     * configs there hold their secrets).
     */
    List<String> command() {
        return List.of(settings.dnsmasq().toString(),
                "--listen-address=" + settings.listenAddress(),
                "--bind-dynamic",
                "--no-hosts",
                "--hostsdir=" + hostsDir(),
                "--resolv-file=" + settings.upstream(),
                "--local=/" + settings.clusterDomain() + "/",
                "--domain-needed",
                "--cache-size=1000",
                "--user=root",
                "--pid-file=" + pidFile());
    }

    Path hostsDir() {
        return settings.dir().resolve("hosts");
    }

    private Path pidFile() {
        return settings.dir().resolve("dnsmasq.pid");
    }

    /**
     * Removes the hosts files not named, with a plain unlink: dnsmasq drops a file's names when it is deleted, not
     * when it is renamed away (so not through AtomicFiles.delete); the files are made anew by each pass anyway.
     */
    private void removeAllBut(Set<String> names) throws IOException {
        List<Path> stale;
        try (Stream<Path> listed = Files.list(hostsDir())) {
            stale = listed.filter(f -> !names.contains(f.getFileName().toString())).toList();
        }
        for (Path file : stale) {
            Files.deleteIfExists(file);
        }
    }

    /** SIGTERM, then SIGKILL if it lingers; gone once its command line is (it may stay a zombie a while). */
    private void terminate(ProcessHandle process) {
        process.destroy();
        if (!awaitGone(process.pid())) {
            process.destroyForcibly();
            if (!awaitGone(process.pid())) {
                throw new BerthException("dnsmasq " + process.pid() + " did not end within " + STOP_DEADLINE
                        + " of SIGKILL");
            }
        }
    }

    private static boolean awaitGone(long pid) {
        long deadline = System.nanoTime() + STOP_DEADLINE.toNanos();
        while (!commandLine(pid).isEmpty()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BerthException("interrupted while stopping dnsmasq " + pid, e);
            }
        }
        return true;
    }

    /** A process's arguments from /proc; empty when it is gone or a zombie. */
    private static List<String> commandLine(long pid) {
        try {
            String raw = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"), StandardCharsets.UTF_8);
            return raw.isEmpty() ? List.of() : List.of(raw.split("\0"));
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String read(Path file) throws IOException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
