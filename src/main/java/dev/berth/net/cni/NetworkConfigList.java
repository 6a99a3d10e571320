package dev.berth.net.cni;

import dev.berth.core.BerthException;
import dev.berth.store.AtomicFiles;
import dev.berth.store.JsonFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A CNI network configuration list (a {@code .conflist}, or a single-plugin {@code .conf}/{@code .json} as libcni
 * reads it): the network's name, its CNI version and its plugins' configs, called in order on ADD.
 */
public record NetworkConfigList(String name, String cniVersion, List<ObjectNode> plugins) {

    /** berth's own network, written into the config directory when no config there has this name. */
    public static final String DEFAULT_NAME = "berth";
    /**
     * host-local's leases of berth's network, on tmpfs: they go with a reboot as the veths do, and so does the cache
     * of CNI results ({@code <run root>/cni}) that releases them.
     */
    static final String DEFAULT_IPAM_DIR = "/run/berth/cni/networks";

    public NetworkConfigList {
        plugins = List.copyOf(plugins);
    }

    /** berth's own network, as {@link #load} writes it when missing. */
    public static NetworkConfigList defaultNetwork() {
        return parse(Path.of(DEFAULT_NAME + ".conflist"), defaultList());
    }

    /** The plugins the list calls, in order, with the IPAM plugin a plugin delegates to after it (e.g. host-local). */
    public List<String> pluginTypes() {
        List<String> types = new ArrayList<>();
        for (ObjectNode plugin : plugins) {
            types.add(plugin.get("type").asString());
            JsonNode ipam = plugin.path("ipam").path("type");
            if (ipam.isString() && !types.contains(ipam.asString())) {
                types.add(ipam.asString());
            }
        }
        return types;
    }

    /** The whole list as JSON, as it is kept with a pod's cached result. */
    public ObjectNode toJson() {
        ObjectNode list = JsonFiles.JSON.createObjectNode();
        list.put("cniVersion", cniVersion);
        list.put("name", name);
        list.putArray("plugins").addAll(plugins);
        return list;
    }

    /**
     * The network called {@code name} in {@code confDir}: the first {@code .conflist} by file name, else the first
     * {@code .conf} or {@code .json}. berth's default network is written there when missing; another missing name is
     * an error.
     */
    public static NetworkConfigList load(Path confDir, String name) {
        Optional<NetworkConfigList> found = find(confDir, name);
        if (found.isPresent()) {
            return found.get();
        }
        if (!name.equals(DEFAULT_NAME)) {
            throw new BerthException("no CNI network named \"" + name + "\" in " + confDir + " (network.name in the"
                    + " config): put a .conflist with \"name\": \"" + name + "\" there");
        }
        Path file = confDir.resolve(DEFAULT_NAME + ".conflist");
        try {
            Files.createDirectories(confDir);
        } catch (IOException e) {
            throw new BerthException("cannot create " + confDir + ": " + e.getMessage(), e);
        }
        AtomicFiles.write(file, defaultList().getBytes(StandardCharsets.UTF_8));
        return parse(file, defaultList());
    }

    /** The network called {@code name} in {@code confDir}, as {@link #load} finds it; none when missing. */
    public static Optional<NetworkConfigList> find(Path confDir, String name) {
        if (!Files.isDirectory(confDir)) {
            return Optional.empty();
        }
        List<Path> files;
        try (Stream<Path> listed = Files.list(confDir)) {
            files = listed.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new BerthException("cannot list " + confDir + ": " + e.getMessage(), e);
        }
        List<Path> ordered = new ArrayList<>(files.stream().filter(f -> f.toString().endsWith(".conflist")).toList());
        ordered.addAll(files.stream().filter(f -> f.toString().endsWith(".conf") || f.toString().endsWith(".json"))
                .toList());
        for (Path file : ordered) {
            NetworkConfigList list = parse(file, read(file));
            if (list.name().equals(name)) {
                return Optional.of(list);
            }
        }
        return Optional.empty();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new BerthException("cannot read CNI config " + file + ": " + e.getMessage(), e);
        }
    }

    /** A conflist, or a single plugin's conf (which has a {@code type} and no {@code plugins}). */
    static NetworkConfigList parse(Path file, String text) {
        JsonNode root;
        try {
            root = JsonFiles.JSON.readTree(text);
        } catch (JacksonException e) {
            throw new BerthException("CNI config " + file + " is not JSON: " + e.getOriginalMessage());
        }
        if (!(root instanceof ObjectNode object)) {
            throw new BerthException("CNI config " + file + ": expected a JSON object");
        }
        String name = text(object, "name", file);
        String version = text(object, "cniVersion", file);
        List<ObjectNode> plugins = new ArrayList<>();
        if (object.has("plugins")) {
            JsonNode list = object.get("plugins");
            if (!list.isArray() || list.isEmpty()) {
                throw new BerthException("CNI config " + file + ": \"plugins\" must be a non-empty list");
            }
            for (JsonNode plugin : list) {
                if (!(plugin instanceof ObjectNode p)) {
                    throw new BerthException("CNI config " + file + ": each of \"plugins\" must be an object");
                }
                plugins.add(p);
            }
        } else {
            plugins.add(object);
        }
        for (ObjectNode plugin : plugins) {
            String type = text(plugin, "type", file);
            if (!type.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) { // a file name in the plugin directories, nothing more
                throw new BerthException("CNI config " + file + ": plugin type \"" + type + "\" is not a plain name");
            }
        }
        return new NetworkConfigList(name, version, plugins);
    }

    private static String text(ObjectNode object, String field, Path file) {
        JsonNode value = object.get(field);
        if (value == null || !value.isString() || value.asString().isEmpty()) {
            throw new BerthException("CNI config " + file + ": \"" + field + "\" must be a non-empty string");
        }
        return value.asString();
    }

    /**
     * What podman's and containerd's default networks hold: a bridge with a gateway, masquerading out and hairpin
     * (a pod reaching itself through a Service), host-local addresses, host ports, the FORWARD rules the host's
     * firewall would otherwise drop, and tuning for sysctls.
     */
    static String defaultList() {
        return """
                {
                  "cniVersion": "1.0.0",
                  "name": "berth",
                  "plugins": [
                    {
                      "type": "bridge",
                      "bridge": "berth0",
                      "isGateway": true,
                      "ipMasq": true,
                      "hairpinMode": true,
                      "ipam": {
                        "type": "host-local",
                        "ranges": [[{"subnet": "10.88.0.0/16"}]],
                        "routes": [{"dst": "0.0.0.0/0"}],
                        "dataDir": "%s"
                      }
                    },
                    {"type": "portmap", "capabilities": {"portMappings": true}, "snat": true},
                    {"type": "firewall"},
                    {"type": "tuning"}
                  ]
                }
                """.formatted(DEFAULT_IPAM_DIR);
    }
}
