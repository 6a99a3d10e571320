package dev.berth.bench;

import dev.berth.net.service.IptablesProxy;
import dev.berth.net.service.IptablesRules;
import dev.berth.net.service.ServiceEndpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Services' rule sync with 100 Services of 2 endpoints each (200 endpoints): the rendering alone, a first sync
 * into the host's real iptables (iptables-save, then one iptables-restore), a sync after one endpoint changed, an
 * unchanged sync (skipped), and the removal of everything. Root; no traffic is sent. Median of the runs.
 */
public final class ServiceSyncBenchmark {

    private static final int SERVICES = 100;
    private static final int RUNS = 15;

    public static void main(String[] args) throws Exception {
        System.out.printf("java %s, %d cpus, %s%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors(), MachineLoad.now());
        if (Files.readString(Path.of("/proc/self/status")).lines().noneMatch(l -> l.matches("Uid:\\s+0\\s.*"))) {
            throw new IllegalStateException("needs root: it writes the host's iptables");
        }
        List<ServiceEndpoints> services = services(0);
        Path runRoot = Files.createTempDirectory("berth-bench-run"); // the Services have no NodePort: it stays empty
        long[] render = new long[RUNS * 10];
        for (int i = 0; i < render.length; i++) {
            long start = System.nanoTime();
            IptablesRules.text(IptablesRules.render(services));
            render[i] = System.nanoTime() - start;
        }
        long[] first = new long[RUNS];
        long[] changed = new long[RUNS];
        long[] unchanged = new long[RUNS];
        long[] removal = new long[RUNS];
        for (int i = 0; i < RUNS; i++) {
            IptablesProxy proxy = new IptablesProxy(runRoot); // a new process: its first sync reads the tables
            List<ServiceEndpoints> moved = services(1 + i % 2);
            first[i] = time(() -> proxy.sync(services));
            changed[i] = time(() -> proxy.sync(moved));
            unchanged[i] = time(() -> proxy.sync(moved));
            removal[i] = time(() -> proxy.sync(List.of()));
        }
        int rules = IptablesRules.text(IptablesRules.render(services)).split("\n").length;
        System.out.printf("%d Services, %d endpoints, %d lines of iptables-restore input%n", SERVICES, SERVICES * 2,
                rules);
        print("render (no I/O)", render);
        print("first sync (iptables-save + iptables-restore)", first);
        print("sync after one endpoint changed", changed);
        print("sync unchanged (skipped)", unchanged);
        print("removal of every chain", removal);
        System.out.printf("after: %s%n", MachineLoad.now());
        Files.delete(runRoot);
    }

    /** 100 Services of 2 endpoints; {@code variant} moves the first Service's second endpoint. */
    private static List<ServiceEndpoints> services(int variant) {
        List<ServiceEndpoints> all = new ArrayList<>();
        for (int s = 0; s < SERVICES; s++) {
            int second = s == 0 ? 200 + variant : 2 * s + 1;
            all.add(new ServiceEndpoints("bench", "svc-" + s, "10.96.200." + (s + 2), List.of(
                    new ServiceEndpoints.Port("http", "TCP", 80, 0, List.of(
                            new ServiceEndpoints.Endpoint("p" + 2 * s, "10.88.200." + (2 * s % 250 + 2), 8080),
                            new ServiceEndpoints.Endpoint("p" + second, "10.88.201." + (second % 250 + 2), 8080))))));
        }
        return all;
    }

    private static long time(Runnable step) {
        long start = System.nanoTime();
        step.run();
        return System.nanoTime() - start;
    }

    private static void print(String what, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf("%-48s median %8.2f ms, min %8.2f ms, max %8.2f ms (%d runs)%n", what,
                sorted[sorted.length / 2] / 1e6, sorted[0] / 1e6, sorted[sorted.length - 1] / 1e6, sorted.length);
    }
}
