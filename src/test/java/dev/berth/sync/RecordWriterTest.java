package dev.berth.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.core.DirectoryTreeReader;
import dev.berth.core.ResourceKey;
import dev.berth.core.Revision;
import dev.berth.manifest.DesiredState;
import dev.berth.manifest.ManifestLoader;
import dev.berth.node.RecordedState;
import dev.berth.plan.Planner;
import dev.berth.store.ObjectRecords;
import dev.berth.store.StateLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordWriterTest {

    private static final Revision REVISION = new Revision("4fad7bb87dd5ca584d3f924991b9e70284f67cbf");

    @TempDir
    Path dir;

    @Test
    void recordsEveryActionOfAPlanRunsOfAKindSideBySide() throws IOException {
        StateLayout layout = new StateLayout(dir.resolve("state"));
        StringBuilder yaml = new StringBuilder("apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n");
        for (int i = 0; i < 12; i++) {
            yaml.append("---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c").append(i)
                    .append(", namespace: shop}\ndata: {n: \"").append(i).append("\"}\n");
            yaml.append("---\napiVersion: v1\nkind: Pod\nmetadata: {name: p").append(i).append(", namespace: shop}\n")
                    .append("spec: {containers: [{name: main, image: busybox}]}\n");
        }
        apply(layout, yaml.toString());
        assertEquals(25, recordedKeys(layout).size());
        assertEquals(Set.of("Namespace", "ConfigMap", "Pod"),
                recordedKeys(layout).stream().map(ResourceKey::kind).collect(Collectors.toSet()));

        apply(layout, "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n"); // everything else deleted
        assertEquals(List.of(new ResourceKey("Namespace", null, "shop")), List.copyOf(recordedKeys(layout)));
    }

    private void apply(StateLayout layout, String yaml) throws IOException {
        Path repo = Files.createDirectories(dir.resolve("repo"));
        Files.writeString(repo.resolve("all.yaml"), yaml);
        DesiredState desired = new ManifestLoader().load(new DirectoryTreeReader(repo), "", null);
        new RecordWriter(layout).writeAll(new Planner().plan(desired, RecordedState.read(layout)).actions(), REVISION);
    }

    private static Set<ResourceKey> recordedKeys(StateLayout layout) {
        return new ObjectRecords(layout).readAll().stream().map(r -> r.key()).collect(Collectors.toSet());
    }
}
