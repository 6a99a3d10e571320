package dev.berth.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/** Skips a test when the machine lacks what it needs, except on CI (CI=true), where that is a failure. */
public final class Prerequisites {

    private Prerequisites() {}

    public static void requireBinaries(String... names) {
        for (String name : names) {
            require(Files.isExecutable(Path.of("/usr/bin", name)) || Files.isExecutable(Path.of("/usr/sbin", name)),
                    name + " is not installed");
        }
    }

    public static void requireRoot() {
        require("root".equals(System.getProperty("user.name")), "needs root");
    }

    public static void require(boolean condition, String reason) {
        if (condition) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            Assertions.fail(reason + " (required on CI)");
        }
        Assumptions.assumeTrue(false, reason);
    }
}
