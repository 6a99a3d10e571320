package dev.berth.manifest;

import dev.berth.core.InvalidInputException;
import dev.berth.core.Problem;
import dev.berth.core.ResourceKey;
import dev.berth.core.Revision;
import dev.berth.core.SourceLocation;
import dev.berth.core.TreeReader;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads every {@code *.yaml}/{@code *.yml} file under a directory of a tree into a validated, defaulted
 * {@link DesiredState}. All problems of all files are collected, so one run reports everything wrong.
 */
public final class ManifestLoader {

    public DesiredState load(TreeReader tree, String dir, Revision revision) {
        String root = normaliseDir(dir);
        if (!root.isEmpty() && !tree.isDirectory(root)) {
            throw new InvalidInputException(SourceLocation.of(root), "no such directory in " + tree.describe());
        }
        return loadFiles(tree, tree.list(root).stream().filter(ManifestLoader::isManifestFile).toList(), revision);
    }

    /** The objects of the given files of a tree (e.g. the one file of {@code berth run-pod}). */
    public DesiredState loadFiles(TreeReader tree, List<String> files, Revision revision) {
        List<Problem> problems = new ArrayList<>();
        List<Problem> warnings = new ArrayList<>();
        Map<ResourceKey, Manifest> manifests = new HashMap<>();
        for (String file : files) {
            try {
                for (YamlDocuments.Document doc : YamlDocuments.parse(file, tree.read(file))) {
                    toManifest(doc, problems, warnings).ifPresent(m -> {
                        Manifest first = manifests.putIfAbsent(m.key(), m);
                        if (first != null) {
                            problems.add(new Problem(m.location(), "duplicate " + m.key() + ", first defined at " + first.location()));
                        }
                    });
                }
            } catch (InvalidInputException e) {
                problems.addAll(e.problems());
            }
        }
        HostPortClaims.check(manifests.values(), problems, warnings);
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        warnings.addAll(UndeclaredNamespaces.find(manifests.values())); // errors for a cluster target
        return new DesiredState(revision, manifests.values(), warnings);
    }

    /** One object from one document; empty (with problems added) when it is not valid. */
    Optional<Manifest> toManifest(YamlDocuments.Document doc, List<Problem> problems, List<Problem> warnings) {
        FieldLocations at = doc.locations();
        if (!(doc.tree() instanceof Map<?, ?> object)) {
            problems.add(new Problem(doc.start(), "a manifest must be a mapping with apiVersion, kind and metadata"));
            return Optional.empty();
        }
        Optional<Kind> kind = kindOf(object, at, problems);
        if (kind.isEmpty()) {
            return Optional.empty();
        }
        int before = problems.size();
        HasMetadata typed = ModelBinder.bind(object, kind.get().model(), at, problems);
        if (typed == null) {
            return Optional.empty();
        }
        if (typed.getMetadata() == null) {
            problems.add(new Problem(doc.start(), "field \"metadata\" is required"));
            return Optional.empty();
        }
        String namespace = namespace(kind.get(), typed, at, problems);
        // before the defaults merge stringData into data, so that an error points at the key where it was written
        new ConfigDataKeys((pointer, message) -> problems.add(new Problem(at.find(pointer), message))).check(typed);
        Defaults.apply(typed);
        new Checks(at, problems, warnings).check(typed);
        Map<String, Object> canonical = new CanonicalTree(at, problems).of(typed);
        if (problems.size() > before) {
            return Optional.empty();
        }
        ResourceKey key = new ResourceKey(kind.get().kindName(), namespace, typed.getMetadata().getName());
        return Optional.of(new Manifest(key, kind.get().apiVersion(), canonical, doc.start(), at));
    }

    private static Optional<Kind> kindOf(Map<?, ?> object, FieldLocations at, List<Problem> problems) {
        Object kindName = object.get("kind");
        Object apiVersion = object.get("apiVersion");
        if (!(kindName instanceof String) || !(apiVersion instanceof String)) {
            String missing = !(kindName instanceof String) ? "kind" : "apiVersion";
            problems.add(new Problem(at.find("/" + missing), "field \"" + missing + "\" is required and must be a string"));
            return Optional.empty();
        }
        Optional<Kind> kind = Kind.named((String) kindName);
        if (kind.isEmpty()) {
            problems.add(new Problem(at.find("/kind"), "unknown kind \"" + kindName + "\" (berth supports " + Kind.supported() + ")"));
        } else if (!kind.get().apiVersion().equals(apiVersion)) {
            problems.add(new Problem(at.find("/apiVersion"), "unknown apiVersion \"" + apiVersion + "\" for " + kindName
                    + " (expected " + kind.get().apiVersion() + ")"));
            return Optional.empty();
        }
        return kind;
    }

    private static String namespace(Kind kind, HasMetadata typed, FieldLocations at, List<Problem> problems) {
        String namespace = typed.getMetadata().getNamespace();
        if (!kind.namespaced()) {
            if (namespace != null) {
                problems.add(new Problem(at.find("/metadata/namespace"), kind.kindName() + " is cluster-scoped: remove metadata.namespace"));
            }
            return "";
        }
        if (namespace == null || namespace.isEmpty()) {
            namespace = "default";
            typed.getMetadata().setNamespace(namespace);
        }
        return namespace;
    }

    private static boolean isManifestFile(String path) {
        for (String segment : path.split("/")) {
            if (segment.startsWith(".")) {
                return false;
            }
        }
        return path.endsWith(".yaml") || path.endsWith(".yml");
    }

    private static String normaliseDir(String dir) {
        String d = dir == null ? "" : dir.replace('\\', '/');
        while (d.startsWith("./")) {
            d = d.substring(2);
        }
        d = d.replaceAll("^/+|/+$", "");
        return d.equals(".") ? "" : d;
    }
}
