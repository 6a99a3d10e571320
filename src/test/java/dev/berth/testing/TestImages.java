package dev.berth.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Offline test images built once per JVM with umoci from the host's static busybox: OCI layouts with the tag
 * {@code busybox}. {@link #busybox()} has one layer; {@link #twoLayers()} adds a layer deleting /bin/hostname
 * (so it carries a whiteout). Needs root (umoci unpack), umoci and busybox-static.
 */
public final class TestImages {

    /** The layout tag both images carry. */
    public static final String TAG = "busybox";
    public static final List<String> APPLETS = List.of("sh", "sleep", "echo", "ps", "cat", "ls", "hostname", "id",
            "env", "wget", "httpd", "true", "false", "mkdir", "head", "dd", "tail", "grep", "seq", "touch", "ln", "stat");

    private static Path busybox;
    private static Path twoLayers;
    private static Path namedUser;

    private TestImages() {}

    public static void requirePrerequisites() {
        Prerequisites.requireBinaries("umoci", "busybox");
        Prerequisites.requireRoot();
    }

    /** An OCI layout: one layer with /bin/busybox and its applets; cmd [sh], env PATH=/bin. */
    public static synchronized Path busybox() {
        requirePrerequisites();
        if (busybox == null) {
            busybox = build();
        }
        return busybox;
    }

    /** busybox() plus a second layer that removes /bin/hostname. */
    public static synchronized Path twoLayers() {
        if (twoLayers == null) {
            Path source = busybox();
            Path work = tempDir("berth-image-2l-");
            Path layout = work.resolve("layout");
            copyTree(source, layout);
            Path bundle = work.resolve("bundle");
            Processes.run("umoci", "unpack", "--image", layout + ":" + TAG, bundle.toString());
            try {
                Files.delete(bundle.resolve("rootfs/bin/hostname"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Processes.run("umoci", "repack", "--image", layout + ":" + TAG, bundle.toString());
            twoLayers = layout;
        }
        return twoLayers;
    }

    /**
     * busybox() plus a layer with /etc/passwd and /etc/group, its USER given by name: "app" (uid 1000, group "app"
     * 1000, also in "audio" 29).
     */
    public static synchronized Path namedUser() {
        if (namedUser == null) {
            Path work = tempDir("berth-image-user-");
            Path layout = work.resolve("layout");
            copyTree(busybox(), layout);
            Path bundle = work.resolve("bundle");
            Processes.run("umoci", "unpack", "--image", layout + ":" + TAG, bundle.toString());
            try {
                Path etc = Files.createDirectories(bundle.resolve("rootfs/etc"));
                Files.writeString(etc.resolve("passwd"), "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/:/bin/sh\n");
                Files.writeString(etc.resolve("group"), "root:x:0:\napp:x:1000:\naudio:x:29:app\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Processes.run("umoci", "repack", "--image", layout + ":" + TAG, bundle.toString());
            Processes.run("umoci", "config", "--image", layout + ":" + TAG, "--config.user", "app");
            namedUser = layout;
        }
        return namedUser;
    }

    private static Path build() {
        Path work = tempDir("berth-image-");
        Path layout = work.resolve("layout");
        Path bundle = work.resolve("bundle");
        Processes.run("umoci", "init", "--layout", layout.toString());
        Processes.run("umoci", "new", "--image", layout + ":" + TAG);
        Processes.run("umoci", "unpack", "--image", layout + ":" + TAG, bundle.toString());
        try {
            Path bin = Files.createDirectories(bundle.resolve("rootfs/bin"));
            Files.copy(Path.of("/usr/bin/busybox"), bin.resolve("busybox"));
            for (String applet : APPLETS) {
                Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Processes.run("umoci", "repack", "--image", layout + ":" + TAG, bundle.toString());
        Processes.run("umoci", "config", "--image", layout + ":" + TAG, "--config.cmd", "sh", "--config.env", "PATH=/bin");
        return layout;
    }

    static Path tempDir(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void copyTree(Path from, Path to) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // best effort at JVM exit
        }
    }
}
