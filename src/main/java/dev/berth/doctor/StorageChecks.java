package dev.berth.doctor;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Locale;

/** The state root (images, layers, records, Secrets) and the run root (bundles, namespaces): space and rights. */
public final class StorageChecks implements CheckGroup {

    /** Below this, a pull of a usual image may not fit. */
    static final long STATE_ROOT_LOW = 1L << 30;
    /** Bundles and pinned namespaces are small; conmon's files and CNI results too. */
    static final long RUN_ROOT_LOW = 16L << 20;

    private final Path stateRoot;
    private final Path runRoot;
    private final String owner;

    /** @param owner who should own the roots: anyone else could change what berth runs */
    public StorageChecks(Path stateRoot, Path runRoot, String owner) {
        this.stateRoot = stateRoot;
        this.runRoot = runRoot;
        this.owner = owner;
    }

    public static StorageChecks ofMachine(Path stateRoot, Path runRoot) {
        return new StorageChecks(stateRoot, runRoot, "root");
    }

    @Override
    public String topic() {
        return "state-root";
    }

    @Override
    public List<Check> run() {
        return List.of(check("state-root", stateRoot, STATE_ROOT_LOW, "images and their layers are kept there"),
                check("run-root", runRoot, RUN_ROOT_LOW, "containers' bundles are kept there"));
    }

    private Check check(String name, Path dir, long low, String use) {
        Path absolute = dir.toAbsolutePath().normalize();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return Check.error(name, "no part of " + absolute + " exists", "check the path");
        }
        if (!Files.isDirectory(existing)) {
            return Check.error(name, existing + " is not a directory", "remove it, or give berth another " + name);
        }
        boolean exists = existing.equals(absolute);
        String where = exists ? absolute.toString() : absolute + " (made at first use, in " + existing + ")";
        try {
            FileStore store = Files.getFileStore(existing);
            if (store.isReadOnly() || !Files.isWritable(existing)) {
                return Check.error(name, where + " is not writable" + (store.isReadOnly() ? " (a read-only mount)" : ""),
                        "make it writable for root, or give berth another " + name);
            }
            PosixFileAttributes attributes = Files.readAttributes(existing, PosixFileAttributes.class);
            String actual = attributes.owner().getName();
            if (!actual.equals(owner)) {
                return Check.warn(name, where + ": " + existing + " belongs to " + actual + ", who could change what"
                        + " berth runs", "chown " + owner + ": " + existing);
            }
            if (attributes.permissions().contains(PosixFilePermission.OTHERS_WRITE)) {
                return Check.warn(name, where + ": " + existing + " is writable by every user, who could change what"
                        + " berth runs", "chmod o-w " + existing);
            }
            long free = store.getUsableSpace();
            if (free < low) {
                return Check.warn(name, where + ": only " + human(free) + " free; " + use,
                        "free space on " + store.name() + ", or give berth a " + name + " on a larger disk");
            }
            return Check.ok(name, where + ", " + human(free) + " free");
        } catch (IOException e) {
            return Check.error(name, "cannot look at " + existing + ": " + e.getMessage(), "check the path");
        }
    }

    /** Powers of 1024, one decimal: "78.1 GiB". */
    static String human(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
