package dev.berth.runtime;

import dev.berth.core.BerthException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a seccomp profile in the format Docker, Podman and CRI-O share ({@code archMap}, rules with {@code includes}
 * and {@code excludes} by capability, architecture and kernel) into the OCI runtime spec's {@code linux.seccomp} for
 * one container, as containers/common does: a rule applies only when the container holds the capabilities it
 * needs, and runs on a matching architecture and kernel. A profile already in the OCI form passes through.
 */
public final class SeccompFilters {

    /** The field's default profile: Debian's golang-github-containers-common, what Podman and CRI-O load. */
    public static final Path FIELD_PROFILE = Path.of("/usr/share/containers/seccomp.json");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path runtimeDefault;
    private final String goArch = goArch(System.getProperty("os.arch"));
    private final int[] kernel = version(System.getProperty("os.version"));

    public SeccompFilters() {
        this(FIELD_PROFILE);
    }

    SeccompFilters(Path runtimeDefault) {
        this.runtimeDefault = runtimeDefault;
    }

    /** The {@code linux.seccomp} object for a process holding {@code capabilities}; null when unconfined. */
    Map<String, Object> filter(SeccompProfile profile, List<String> capabilities) {
        return switch (profile.type()) {
            case UNCONFINED -> null;
            case RUNTIME_DEFAULT -> convert(read(runtimeDefault, "the RuntimeDefault profile "
                    + "(apt-get install golang-github-containers-common, or set seccompProfile type Unconfined)"),
                    capabilities);
            case LOCALHOST -> convert(read(profile.file(), "the Localhost profile"), capabilities);
        };
    }

    private static JsonNode read(Path file, String what) {
        try {
            return JSON.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new BerthException("seccomp: " + file + " not found: " + what);
        } catch (IOException | JacksonException e) {
            throw new BerthException("seccomp: cannot read " + what + " " + file + ": " + e.getMessage(), e);
        }
    }

    private Map<String, Object> convert(JsonNode profile, List<String> capabilities) {
        Map<String, Object> seccomp = new LinkedHashMap<>();
        seccomp.put("defaultAction", text(profile, "defaultAction"));
        if (profile.has("defaultErrnoRet")) {
            seccomp.put("defaultErrnoRet", profile.get("defaultErrnoRet").asInt());
        }
        seccomp.put("architectures", architectures(profile));
        List<Map<String, Object>> syscalls = new ArrayList<>();
        for (JsonNode rule : profile.path("syscalls")) {
            if (applies(rule, capabilities)) {
                syscalls.add(syscall(rule));
            }
        }
        seccomp.put("syscalls", syscalls);
        return seccomp;
    }

    /** The native architecture with its sub-architectures (32-bit calls on a 64-bit kernel), from the archMap. */
    private List<String> architectures(JsonNode profile) {
        List<String> out = new ArrayList<>();
        if (profile.has("architectures")) {
            profile.get("architectures").forEach(a -> out.add(a.asString()));
            return out;
        }
        String nativeName = switch (goArch) {
            case "amd64" -> "SCMP_ARCH_X86_64";
            case "arm64" -> "SCMP_ARCH_AARCH64";
            default -> "SCMP_ARCH_" + goArch.toUpperCase(java.util.Locale.ROOT);
        };
        for (JsonNode entry : profile.path("archMap")) {
            if (nativeName.equals(entry.path("architecture").asString())) {
                out.add(nativeName);
                entry.path("subArchitectures").forEach(a -> out.add(a.asString()));
            }
        }
        return out;
    }

    private boolean applies(JsonNode rule, List<String> capabilities) {
        JsonNode includes = rule.path("includes");
        JsonNode excludes = rule.path("excludes");
        for (JsonNode cap : includes.path("caps")) {
            if (!capabilities.contains(cap.asString())) {
                return false;
            }
        }
        for (JsonNode cap : excludes.path("caps")) {
            if (capabilities.contains(cap.asString())) {
                return false;
            }
        }
        if (includes.has("arches") && !contains(includes.get("arches"), goArch)) {
            return false;
        }
        if (contains(excludes.path("arches"), goArch)) {
            return false;
        }
        return !includes.has("minKernel") || compare(kernel, version(includes.get("minKernel").asString())) >= 0;
    }

    private static Map<String, Object> syscall(JsonNode rule) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        rule.path("names").forEach(n -> names.add(n.asString()));
        if (rule.has("name")) {
            names.add(rule.get("name").asString());
        }
        out.put("names", names);
        out.put("action", text(rule, "action"));
        if (rule.has("errnoRet")) {
            out.put("errnoRet", rule.get("errnoRet").asInt());
        }
        List<Map<String, Object>> args = new ArrayList<>();
        for (JsonNode arg : rule.path("args")) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("index", arg.path("index").asInt());
            a.put("value", arg.path("value").asLong());
            a.put("valueTwo", arg.path("valueTwo").asLong());
            a.put("op", text(arg, "op"));
            args.add(a);
        }
        if (!args.isEmpty()) {
            out.put("args", args);
        }
        return out;
    }

    private static String text(JsonNode node, String field) {
        if (!node.path(field).isString()) {
            throw new BerthException("seccomp profile: \"" + field + "\" missing or not a string in " + node);
        }
        return node.get(field).asString();
    }

    private static boolean contains(JsonNode list, String value) {
        for (JsonNode item : list) {
            if (value.equals(item.asString())) {
                return true;
            }
        }
        return false;
    }

    /** Java's os.arch in Go's naming, which the profiles use. */
    static String goArch(String javaArch) {
        return switch (javaArch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            case "x86", "i386" -> "386";
            default -> javaArch;
        };
    }

    /** "6.1.0-13-amd64" as {6, 1}. */
    static int[] version(String text) {
        String[] parts = text.split("[^0-9]+", 3);
        int major = parts.length > 0 && !parts[0].isEmpty() ? Integer.parseInt(parts[0]) : 0;
        int minor = parts.length > 1 && !parts[1].isEmpty() ? Integer.parseInt(parts[1]) : 0;
        return new int[] {major, minor};
    }

    private static int compare(int[] a, int[] b) {
        return a[0] != b[0] ? Integer.compare(a[0], b[0]) : Integer.compare(a[1], b[1]);
    }
}
