package dev.berth.image;

import java.util.Locale;

/** An OCI platform (os and architecture as Go names them); which manifest of an index this machine runs. */
public record Platform(String os, String architecture) {

    public static Platform current() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return new Platform("linux", switch (arch) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> arch;
        });
    }

    @Override
    public String toString() {
        return os + "/" + architecture;
    }
}
