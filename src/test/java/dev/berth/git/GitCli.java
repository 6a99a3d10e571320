package dev.berth.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** The git command line, for the servers jgit does not provide (git daemon, git http-backend). */
final class GitCli {

    private GitCli() {
    }

    /** Skips the calling test without git, except on CI where a missing git must fail loudly. */
    static void requireGit() {
        boolean present;
        try {
            present = new ProcessBuilder("git", "--version").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            present = false;
        }
        if (!present && "true".equals(System.getenv("CI"))) {
            fail("the git command is required on CI");
        }
        Assumptions.assumeTrue(present, "the git command is not installed");
    }

    static void run(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), () -> command + " failed: " + output);
    }
}
