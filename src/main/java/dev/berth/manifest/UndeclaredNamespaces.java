package dev.berth.manifest;

import dev.berth.core.Problem;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Namespaced objects in a namespace that no manifest declares and that a cluster does not create itself. A cluster
 * refuses them ({@code namespaces "x" not found}); one node creates nothing for a namespace, so they run, and
 * {@code validate} warns. A cluster target must treat each of these as an error, not a warning.
 */
final class UndeclaredNamespaces {

    /** The namespaces every cluster has from the start. */
    static final Set<String> BUILT_IN = Set.of("default", "kube-system", "kube-public", "kube-node-lease");

    private UndeclaredNamespaces() {}

    /** One problem per object, at its {@code metadata.namespace} (which must be written, as it is not default). */
    static List<Problem> find(Collection<Manifest> manifests) {
        Set<String> declared = manifests.stream().filter(m -> m.key().kind().equals("Namespace"))
                .map(m -> m.key().name()).collect(Collectors.toSet());
        return manifests.stream()
                .filter(m -> !m.key().namespace().isEmpty())
                .filter(m -> !BUILT_IN.contains(m.key().namespace()) && !declared.contains(m.key().namespace()))
                .sorted(Comparator.comparing((Manifest m) -> m.location().file())
                        .thenComparingInt(m -> m.location().line()))
                .map(m -> new Problem(m.locations().find("/metadata/namespace"), m.key() + ": namespace \""
                        + m.key().namespace() + "\" is not declared by any manifest: a cluster refuses this object "
                        + "(namespaces \"" + m.key().namespace() + "\" not found); add a Namespace manifest"))
                .toList();
    }
}
