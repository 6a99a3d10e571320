package dev.berth.bench;

import dev.berth.testing.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A process's CPU time and memory at one instant, from {@code /proc/PID/stat} and {@code /proc/PID/status}. */
record ProcSample(long nanos, double cpuSeconds, double cpuSecondsWithChildren, long rssKb, long hwmKb) {

    private static final double TICKS_PER_SECOND = Double.parseDouble(Processes.run("getconf", "CLK_TCK").strip());

    static ProcSample of(long pid) throws IOException {
        long now = System.nanoTime();
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // after the command in parentheses: state is field 3, utime 14, stime 15, cutime 16, cstime 17
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        double own = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
        double children = (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) / TICKS_PER_SECOND;
        long rss = 0;
        long hwm = 0;
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = kilobytes(line);
            } else if (line.startsWith("VmHWM:")) {
                hwm = kilobytes(line);
            }
        }
        return new ProcSample(now, own, own + children, rss, hwm);
    }

    private static long kilobytes(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
}
