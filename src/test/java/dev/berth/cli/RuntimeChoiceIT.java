package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.store.FileTrees;
import dev.berth.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * runc is still covered where the other tests run on crun (CI's host lets crun work): a pod asked to run under runc
 * runs under runc, and the choice is kept in the run root for the rest of the boot.
 */
class RuntimeChoiceIT {

    @RegisterExtension
    static final PodRunner runner = PodRunner.withBusybox();

    private static final String POD = """
            apiVersion: v1
            kind: Pod
            metadata: {name: on-runc}
            spec:
              restartPolicy: Never
              containers: [{name: main, image: busybox:1.35, command: [sh, -c, "echo ran; cat /proc/self/cgroup"]}]
            """;

    @Test
    void aPodAskedToRunUnderRuncDoesAndTheChoiceIsKept() throws Exception {
        Path runRoot = Path.of("/run/berth-it-runc-" + ProcessHandle.current().pid()); // not the other tests' choice
        try {
            CliRun run = CliRun.of(withRunRoot(runner.arguments(POD), runRoot, "--runtime", "runc")
                    .toArray(String[]::new));
            assertEquals(0, run.exitCode(), run::toString);
            assertTrue(run.out().contains("ran"), run::toString);
            String chosen = Files.readString(runRoot.resolve("oci-runtime.json"));
            assertTrue(chosen.contains("/runc\""), chosen);
            assertTrue(Files.isDirectory(runRoot.resolve("runc")), "runc's root");
            assertFalse(Files.exists(runRoot.resolve("crun")), "crun never ran a container here");

            CliRun again = CliRun.of(withRunRoot(runner.arguments(POD), runRoot).toArray(String[]::new));
            assertEquals(0, again.exitCode(), again::toString);
            assertFalse(Files.exists(runRoot.resolve("crun")), "auto keeps this boot's runc");
        } finally {
            FileTrees.deleteRecursively(runRoot);
        }
    }

    private static List<String> withRunRoot(List<String> arguments, Path runRoot, String... extra) {
        List<String> args = new ArrayList<>(arguments);
        args.set(args.indexOf("--run-root") + 1, runRoot.toString());
        args.addAll(List.of(extra));
        return args;
    }
}
