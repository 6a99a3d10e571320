package dev.berth.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine's load, printed beside every benchmark figure: absolute times drift with it. */
final class MachineLoad {

    private MachineLoad() {}

    /** "load 1.21 1.56 2.78": the 1, 5 and 15 minute averages of /proc/loadavg. */
    static String now() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return "load " + fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "load unknown (" + e.getMessage() + ")";
        }
    }
}
