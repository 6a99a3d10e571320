package dev.berth.config;

import dev.berth.core.ExtendedResources;
import dev.berth.core.InvalidInputException;
import dev.berth.core.Problem;
import dev.berth.core.Quantity;
import dev.berth.core.SourceLocation;
import dev.berth.git.SignaturePolicy;
import dev.berth.manifest.FieldLocations;
import dev.berth.manifest.YamlDocuments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the config file strictly: an unknown key or a wrong type is an error naming the file, line and key. */
public final class ConfigLoader {

    public static final Path DEFAULT_PATH = Path.of("/etc/berth/config.yaml");
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");
    /** A DNS-1123 subdomain: lowercase labels of letters, digits and inner '-', joined by dots. */
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?"
            + "(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

    private final List<Problem> problems = new ArrayList<>();
    private String file;
    private FieldLocations at;

    /**
     * @param explicit whether the user named the file; a missing default file means "no config", a missing named
     *                 one is an error
     */
    public static BerthConfig load(Path path, boolean explicit) {
        byte[] content;
        try {
            content = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            if (explicit) {
                throw new InvalidInputException(SourceLocation.of(path.toString()), "config file not found");
            }
            return BerthConfig.defaults();
        } catch (IOException e) {
            throw new InvalidInputException(SourceLocation.of(path.toString()), "cannot read config file: " + e.getMessage());
        }
        return new ConfigLoader().parse(path.toString(), content);
    }

    BerthConfig parse(String file, byte[] content) {
        this.file = file;
        List<YamlDocuments.Document> docs = YamlDocuments.parse(file, content);
        if (docs.isEmpty()) {
            return BerthConfig.defaults();
        }
        if (docs.size() > 1) {
            fail(docs.get(1).start(), "the config file holds one YAML document");
        }
        at = docs.get(0).locations();
        Map<String, Object> top = map(docs.get(0).tree(), "");
        allowOnly(top, "", Set.of("root", "source", "registries", "node", "server", "network", "runtime"));
        BerthConfig config = new BerthConfig(path(top.get("root"), "/root"), source(map(top.get("source"), "/source")),
                registries(map(top.get("registries"), "/registries")), node(map(top.get("node"), "/node")),
                server(map(top.get("server"), "/server")), network(map(top.get("network"), "/network")),
                runtime(top.get("runtime")));
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        return config;
    }

    private BerthConfig.Source source(Map<String, Object> s) {
        allowOnly(s, "/source", Set.of("repo", "ref", "path", "policies", "interval", "verify", "allowEmpty"));
        Object allowEmpty = s.get("allowEmpty");
        if (allowEmpty != null && !(allowEmpty instanceof Boolean)) {
            fail("/source/allowEmpty", "expected true or false");
        }
        return new BerthConfig.Source(string(s.get("repo"), "/source/repo"), string(s.get("ref"), "/source/ref"),
                string(s.get("path"), "/source/path"), path(s.get("policies"), "/source/policies"),
                duration(s.get("interval"), "/source/interval"), verify(s.get("verify")), Boolean.TRUE.equals(allowEmpty));
    }

    /** Flux's spelling and default: the mode is head unless said otherwise; the keys directory is required. */
    private SignaturePolicy verify(Object value) {
        if (value == null) {
            return null;
        }
        Map<String, Object> v = map(value, "/source/verify");
        allowOnly(v, "/source/verify", Set.of("mode", "keys"));
        String spelling = string(v.get("mode"), "/source/verify/mode");
        SignaturePolicy.Mode mode = null;
        try {
            mode = spelling == null ? SignaturePolicy.Mode.HEAD : SignaturePolicy.Mode.parse(spelling);
        } catch (IllegalArgumentException e) {
            fail("/source/verify/mode", e.getMessage());
        }
        Path keys = path(v.get("keys"), "/source/verify/keys");
        if (keys == null) {
            fail("/source/verify", "\"source.verify\" needs \"keys\", the directory of trusted public keys");
        }
        return mode == null || keys == null ? null : new SignaturePolicy(mode, keys);
    }

    private Map<String, BerthConfig.Registry> registries(Map<String, Object> r) {
        Map<String, BerthConfig.Registry> out = new LinkedHashMap<>();
        r.forEach((host, value) -> {
            String p = "/registries/" + YamlDocuments.escape(host);
            Map<String, Object> reg = map(value, p);
            allowOnly(reg, p, Set.of("mirrors", "insecure", "timeout"));
            List<String> mirrors = new ArrayList<>();
            Object m = reg.get("mirrors");
            if (m instanceof List<?> list) {
                for (int i = 0; i < list.size(); i++) {
                    mirrors.add(string(list.get(i), p + "/mirrors/" + i));
                }
            } else if (m != null) {
                fail(p + "/mirrors", "expected a list of URLs");
            }
            Object insecure = reg.get("insecure");
            if (insecure != null && !(insecure instanceof Boolean)) {
                fail(p + "/insecure", "expected true or false");
            }
            out.put(host, new BerthConfig.Registry(List.copyOf(mirrors), Boolean.TRUE.equals(insecure),
                    duration(reg.get("timeout"), p + "/timeout")));
        });
        return out;
    }

    private BerthConfig.Node node(Map<String, Object> n) {
        allowOnly(n, "/node", Set.of("labels", "reserved", "resources"));
        Map<String, String> labels = new LinkedHashMap<>();
        map(n.get("labels"), "/node/labels").forEach((k, v) -> labels.put(k, string(v, "/node/labels/" + k)));
        Map<String, Object> reserved = map(n.get("reserved"), "/node/reserved");
        allowOnly(reserved, "/node/reserved", Set.of("cpu", "memory"));
        return new BerthConfig.Node(Map.copyOf(labels), quantity(reserved.get("cpu"), "/node/reserved/cpu"),
                quantity(reserved.get("memory"), "/node/reserved/memory"), extendedResources(n.get("resources")));
    }

    /** Only extended resources: CPU and memory are the machine's, less {@code node.reserved}. */
    private Map<String, Long> extendedResources(Object value) {
        Map<String, Long> resources = new LinkedHashMap<>();
        map(value, "/node/resources").forEach((name, amount) -> {
            String p = "/node/resources/" + YamlDocuments.escape(name);
            if (!ExtendedResources.isExtended(name)) {
                fail(p, "\"" + name + "\" is not an extended resource: use a domain-qualified name outside "
                        + "kubernetes.io, like example.com/dongle");
                return;
            }
            Quantity q = quantity(amount, p);
            Optional<Long> units = q == null ? Optional.empty() : ExtendedResources.wholeUnits(q);
            if (q != null && units.isEmpty()) {
                fail(p, "expected a whole number of " + name + ", got " + amount);
            }
            units.ifPresent(u -> resources.put(name, u));
        });
        return Map.copyOf(resources);
    }

    private BerthConfig.Server server(Map<String, Object> s) {
        allowOnly(s, "/server", Set.of("listen", "tokenFile", "webhookSecretFile", "publicMetrics", "resync", "gc",
                "notify", "tls", "limits"));
        Object publicMetrics = s.get("publicMetrics");
        if (publicMetrics != null && !(publicMetrics instanceof Boolean)) {
            fail("/server/publicMetrics", "expected true or false");
        }
        Map<String, Object> notify = map(s.get("notify"), "/server/notify");
        allowOnly(notify, "/server/notify", Set.of("url"));
        return new BerthConfig.Server(string(s.get("listen"), "/server/listen"), path(s.get("tokenFile"), "/server/tokenFile"),
                path(s.get("webhookSecretFile"), "/server/webhookSecretFile"), Boolean.TRUE.equals(publicMetrics),
                duration(s.get("resync"), "/server/resync"), duration(s.get("gc"), "/server/gc"),
                string(notify.get("url"), "/server/notify/url"), tls(s.get("tls")), limits(s.get("limits")));
    }

    private BerthConfig.Server.Limits limits(Object value) {
        Map<String, Object> l = map(value, "/server/limits");
        allowOnly(l, "/server/limits", Set.of("headerTimeout", "bodyTimeout", "idleTimeout", "maxConnections",
                "maxConnectionsPerAddress", "maxRequests", "maxWaitingRequests"));
        return new BerthConfig.Server.Limits(duration(l.get("headerTimeout"), "/server/limits/headerTimeout"),
                duration(l.get("bodyTimeout"), "/server/limits/bodyTimeout"),
                duration(l.get("idleTimeout"), "/server/limits/idleTimeout"),
                count(l.get("maxConnections"), "/server/limits/maxConnections"),
                count(l.get("maxConnectionsPerAddress"), "/server/limits/maxConnectionsPerAddress"),
                count(l.get("maxRequests"), "/server/limits/maxRequests"),
                count(l.get("maxWaitingRequests"), "/server/limits/maxWaitingRequests"));
    }

    private String runtime(Object value) {
        String runtime = string(value, "/runtime");
        if (runtime != null && !Set.of("auto", "crun", "runc").contains(runtime)) {
            fail("/runtime", "expected crun, runc or auto, got \"" + runtime + "\"");
        }
        return runtime == null ? BerthConfig.AUTO_RUNTIME : runtime;
    }

    private BerthConfig.Network network(Map<String, Object> n) {
        allowOnly(n, "/network", Set.of("enabled", "cniConfDir", "cniBinDirs", "name", "clusterDomain",
                "serviceCIDR"));
        BerthConfig.Network defaults = BerthConfig.Network.DEFAULTS;
        Object enabled = n.get("enabled");
        if (enabled != null && !(enabled instanceof Boolean)) {
            fail("/network/enabled", "expected true or false");
        }
        List<Path> binDirs = new ArrayList<>();
        Object dirs = n.get("cniBinDirs");
        if (dirs instanceof List<?> list && !list.isEmpty()) {
            for (int i = 0; i < list.size(); i++) {
                binDirs.add(path(list.get(i), "/network/cniBinDirs/" + i));
            }
        } else if (dirs != null) {
            fail("/network/cniBinDirs", "expected a non-empty list of directories");
        }
        Path confDir = path(n.get("cniConfDir"), "/network/cniConfDir");
        String name = string(n.get("name"), "/network/name");
        if (name != null && !name.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) { // the spec's network names
            fail("/network/name", "expected a CNI network name (letters, digits, '_', '.', '-'), got \"" + name + "\"");
        }
        String domain = string(n.get("clusterDomain"), "/network/clusterDomain");
        if (domain != null && !DNS_SUBDOMAIN.matcher(domain).matches()) {
            fail("/network/clusterDomain", "expected a DNS domain like cluster.local, got \"" + domain + "\"");
        }
        String serviceCidr = string(n.get("serviceCIDR"), "/network/serviceCIDR");
        if (serviceCidr != null && !serviceCidr.matches("(\\d{1,3}\\.){3}\\d{1,3}/\\d{1,2}")) {
            fail("/network/serviceCIDR", "expected an IPv4 network like 10.96.0.0/16, got \"" + serviceCidr + "\"");
        }
        return new BerthConfig.Network(!Boolean.FALSE.equals(enabled), confDir == null ? defaults.cniConfDir() : confDir,
                binDirs.isEmpty() ? defaults.cniBinDirs() : List.copyOf(binDirs), name == null ? defaults.name() : name,
                domain == null ? defaults.clusterDomain() : domain,
                serviceCidr == null ? defaults.serviceCIDR() : serviceCidr);
    }

    private BerthConfig.Server.Tls tls(Object value) {
        if (value == null) {
            return null;
        }
        Map<String, Object> t = map(value, "/server/tls");
        allowOnly(t, "/server/tls", Set.of("cert", "key"));
        Path cert = path(t.get("cert"), "/server/tls/cert");
        Path key = path(t.get("key"), "/server/tls/key");
        if (cert == null || key == null) {
            fail("/server/tls", "\"server.tls\" needs both \"cert\" and \"key\", the PEM files of the certificate and its"
                    + " private key");
            return null;
        }
        return new BerthConfig.Server.Tls(cert, key);
    }

    private void allowOnly(Map<String, Object> map, String pointer, Set<String> keys) {
        for (String key : map.keySet()) {
            if (!keys.contains(key)) {
                fail(pointer + "/" + YamlDocuments.escape(key), "unknown key \"" + (pointer + "/" + key).substring(1)
                        .replace('/', '.') + "\" (allowed: " + String.join(", ", keys.stream().sorted().toList()) + ")");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> map(Object value, String pointer) {
        if (value == null) {
            return Map.of();
        }
        if (value instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        fail(pointer, "expected a mapping");
        return Map.of();
    }

    private String string(Object value, String pointer) {
        if (value == null || value instanceof String) {
            return (String) value;
        }
        if (value instanceof Number || value instanceof Boolean) {
            return String.valueOf(value);
        }
        fail(pointer, "expected a string");
        return null;
    }

    private Path path(Object value, String pointer) {
        String s = string(value, pointer);
        return s == null ? null : Path.of(s);
    }

    /** A whole number of at least 1, or null when absent. */
    private Integer count(Object value, String pointer) {
        if (value == null) {
            return null;
        }
        if (value instanceof Integer n && n >= 1) {
            return n;
        }
        fail(pointer, "expected a whole number of at least 1, got " + value);
        return null;
    }

    private Duration duration(Object value, String pointer) {
        String s = string(value, pointer);
        if (s == null) {
            return null;
        }
        Matcher m = DURATION.matcher(s);
        if (!m.matches()) {
            fail(pointer, "expected a duration like 30s, 1m or 1h, got \"" + s + "\"");
            return null;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    private Quantity quantity(Object value, String pointer) {
        String s = string(value, pointer);
        if (s == null) {
            return null;
        }
        try {
            return Quantity.parse(s);
        } catch (IllegalArgumentException e) {
            fail(pointer, e.getMessage());
            return null;
        }
    }

    private void fail(String pointer, String message) {
        fail(at.find(pointer), message);
    }

    private void fail(SourceLocation location, String message) {
        problems.add(new Problem(location == null ? SourceLocation.of(file) : location, message));
    }
}
