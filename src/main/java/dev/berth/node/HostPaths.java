package dev.berth.node;

import dev.berth.core.BerthException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** The checks Kubernetes makes on a hostPath volume's {@code type} before the pod starts. */
final class HostPaths {

    private HostPaths() {}

    static void check(Path path, String type) {
        String t = type == null ? "" : type;
        try {
            switch (t) {
                case "" -> { }
                case "DirectoryOrCreate" -> {
                    if (!Files.isDirectory(path)) {
                        Files.createDirectories(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
                    }
                }
                case "FileOrCreate" -> {
                    if (!Files.exists(path)) {
                        Files.createDirectories(path.getParent());
                        Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
                    }
                }
                case "Directory" -> require(Files.isDirectory(path), path, "a directory");
                case "File" -> require(Files.isRegularFile(path), path, "a file");
                case "Socket", "CharDevice", "BlockDevice" -> require(isSpecial(path, t), path, "a " + t);
                default -> throw new BerthException("hostPath type \"" + t + "\" is not one of Kubernetes' types");
            }
        } catch (IOException e) {
            throw new BerthException("hostPath " + path + ": " + e.getMessage(), e);
        }
    }

    private static boolean isSpecial(Path path, String type) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        // unix:mode carries the file type bits: 0140000 socket, 0020000 char device, 0060000 block device
        int mode = (Integer) Files.getAttribute(path, "unix:mode");
        int kind = mode & 0170000;
        return switch (type) {
            case "Socket" -> kind == 0140000;
            case "CharDevice" -> kind == 0020000;
            default -> kind == 0060000;
        };
    }

    private static void require(boolean ok, Path path, String what) {
        if (!ok) {
            throw new BerthException("hostPath " + path + " is not " + what);
        }
    }
}
