package dev.berth.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.berth.core.InvalidInputException;
import dev.berth.core.Problem;
import dev.berth.core.TreeReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 12: the manifest loader, fed at least 1,000 broken and hostile variants of the example manifests, lets no
 * exception but its own {@link InvalidInputException} escape; every input ends in manifests or in problems that
 * name the file, line and column, within 2 s and 256 MB. Run another seed with {@code -Dberth.fuzz.seed=N}.
 */
class ManifestLoaderFuzzTest {

    private static final long SEED = Long.getLong("berth.fuzz.seed", 12L);
    private static final int RANDOM_INPUTS = 1_000;
    /** CPU time of the loading thread: what an input costs, whatever else loads the machine meanwhile. */
    private static final long MAX_CPU_NANOS = 2_000_000_000L;
    /** Everything allocated while loading one input: an upper bound on the heap that input can hold. */
    private static final long MAX_ALLOCATED_BYTES = 256L << 20;
    private static final String FILE = "shop/fuzzed.yaml";

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static final List<String> INLINE_SEEDS = List.of("""
            apiVersion: v1
            kind: Pod
            metadata:
              name: worker
              labels: {app: worker}
              annotations: {berth.dev/prune: "false"}
            spec:
              restartPolicy: OnFailure
              initContainers:
                - name: init
                  image: busybox:1.35
              containers:
                - name: main
                  image: docker.io/library/busybox:1.35
                  env:
                    - name: MODE
                      value: "fast"
                  ports:
                    - containerPort: 8080
                  resources:
                    limits: {cpu: 500m, memory: 64Mi}
                  volumeMounts:
                    - name: data
                      mountPath: /data
                      subPath: logs
              volumes:
                - name: data
                  persistentVolumeClaim:
                    claimName: data
            """, """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: api
              namespace: shop
            spec:
              replicas: 3
              strategy:
                rollingUpdate: {maxSurge: 1, maxUnavailable: 25%}
              selector:
                matchLabels: &labels {app: api}
              template:
                metadata:
                  labels: *labels
                spec:
                  containers:
                    - &container
                      name: api
                      image: docker.io/library/busybox:1.35
                      args: ["--port", "8080"]
                      livenessProbe:
                        httpGet: {path: /healthz, port: 8080}
                        periodSeconds: 10
                    - <<: *container
                      name: sidecar
                  volumes:
                    - name: config
                      configMap:
                        name: api
                        items:
                          - {key: app.properties, path: conf/app.properties}
            """, """
            apiVersion: v1
            kind: Secret
            metadata:
              name: token
            type: Opaque
            stringData:
              token: s3cr3t
            data:
              other: aGVsbG8=
            ---
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata:
              name: data
            spec:
              accessModes: [ReadWriteOnce]
              resources:
                requests: {storage: 1Gi}
            """);

    private static final List<Seed> SEEDS = new ArrayList<>();

    private record Seed(String name, String yaml) {}

    /** One file in memory, read by the loader as it reads a commit's tree. */
    private record OneFileTree(String file, byte[] content) implements TreeReader {
        @Override
        public List<String> list(String dir) {
            return List.of(file);
        }

        @Override
        public boolean isDirectory(String dir) {
            return true;
        }

        @Override
        public byte[] read(String path) {
            return content;
        }

        @Override
        public String describe() {
            return "fuzz input";
        }
    }

    /** What loading one input came to: manifests, problems, or an escaped exception; and what it cost. */
    private record Run(InvalidInputException refusal, Throwable escaped, long cpuNanos, long allocatedBytes) {

        /** Null when the run kept every promise of the loader; else which one it broke. */
        String broken() {
            if (escaped != null) {
                StringWriter trace = new StringWriter();
                escaped.printStackTrace(new PrintWriter(trace));
                return "escaped: " + abbreviate(trace.toString(), 3_000);
            } else if (cpuNanos > MAX_CPU_NANOS) {
                return "took " + cpuNanos / 1_000_000 + " ms of CPU";
            } else if (allocatedBytes > MAX_ALLOCATED_BYTES) {
                return "allocated " + (allocatedBytes >> 20) + " MiB";
            } else if (refusal != null && refusal.problems().isEmpty()) {
                return "refused without a problem";
            }
            for (Problem problem : refusal == null ? List.<Problem>of() : refusal.problems()) {
                if (!problem.location().file().equals(FILE) || !locatedOrFileWide(problem)) {
                    return "problem without file:line:column: " + abbreviate(problem.toString(), 300);
                }
            }
            return null;
        }
    }

    @BeforeAll
    static void readSeedsAndWarmUp() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("manifests-example"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                SEEDS.add(new Seed(file.toString(), Files.readString(file)));
            }
        }
        for (int i = 0; i < INLINE_SEEDS.size(); i++) {
            SEEDS.add(new Seed("inline-" + i, INLINE_SEEDS.get(i)));
        }
        assertTrue(SEEDS.size() >= 7, "the example manifests were not found: " + SEEDS);
        // the seeds themselves are valid; loading them also loads the classes, which later timings should not count
        for (Seed seed : SEEDS) {
            Run run = run(seed.yaml().getBytes(StandardCharsets.UTF_8));
            assertNull(run.escaped(), seed.name());
            assertNull(run.refusal(), seed.name());
        }
    }

    @Test
    void mutatedExamplesEndInManifestsOrLocatedProblems() {
        ManifestMutator mutator = new ManifestMutator(new Random(SEED));
        List<String> failures = new ArrayList<>();
        int loaded = 0;
        for (int i = 0; i < RANDOM_INPUTS; i++) {
            Seed seed = SEEDS.get(i % SEEDS.size());
            ManifestMutator.Input input = mutator.mutate(seed.name(), seed.yaml());
            Run run = run(input.bytes());
            String broken = run.broken();
            if (broken != null) {
                failures.add("input " + i + " (" + input.description() + "): " + broken);
            } else if (run.refusal() == null) {
                loaded++;
            }
        }
        if (!failures.isEmpty()) {
            fail("seed " + SEED + ": " + failures.size() + " of " + RANDOM_INPUTS + " inputs failed, the first:\n"
                    + String.join("\n\n", failures.subList(0, Math.min(5, failures.size()))));
        }
        // both outcomes occur (about 6% load), or the mutations are too weak or too strong to test anything
        assertTrue(loaded >= RANDOM_INPUTS / 50 && loaded < RANDOM_INPUTS / 2,
                "seed " + SEED + ": " + loaded + " of " + RANDOM_INPUTS + " loaded");
    }

    @Test
    void billionLaughsIsRefusedAtTheAliasThatCrossesTheLimit() {
        StringBuilder yaml = new StringBuilder("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (char level = 'b'; level <= 'i'; level++) {
            String alias = "*" + (char) (level - 1);
            yaml.append(level).append(": &").append(level).append(" [")
                    .append(String.join(", ", Collections.nCopies(9, alias))).append("]\n");
        }
        assertRefusedBeforeExpanding(FILE + ":6:8: more than 100000 values in one file once alias *e is expanded", yaml);
    }

    /** The engine counts aliases to mappings and lists (50 a document); it names no place, so the last event read is. */
    @Test
    void theEnginesAliasCountIsReportedAtTheAliasThatCrossesIt() {
        String yaml = "a: &a [x]\nb:\n" + "  - *a\n".repeat(51);
        assertEquals(FILE + ":53:5: invalid YAML: Number of aliases for non-scalar nodes exceeds the specified max=50",
                refusal(yaml));
    }

    /** Two aliases a level stay under the engine's count of aliases (50) and still double the values each level. */
    @Test
    void aDoublingBombUnderTheEnginesAliasCountIsRefusedToo() {
        StringBuilder yaml = new StringBuilder("a0: &a0 [x, y]\n");
        for (int level = 1; level < 25; level++) {
            yaml.append("a%d: &a%d [*a%d, *a%d]\n".formatted(level, level, level - 1, level - 1));
        }
        assertRefusedBeforeExpanding(FILE + ":15:18: more than 100000 values in one file once alias *a13 is expanded", yaml);
    }

    /** snakeyaml-engine's merging of "<<" loops forever on a mapping that merges itself. */
    @Test
    void anAliasInsideItsOwnAnchorIsRefusedRatherThanLoopedOn() {
        assertRefusedBeforeExpanding(FILE + ":1:18: alias *a is inside the node it refers to", "a: &a {x: 1, <<: *a}\n");
        assertRefusedBeforeExpanding(FILE + ":2:11: alias *a is inside the node it refers to", "kind: Pod\nspec: &a [*a]\n");
    }

    @Test
    void deepNestingIsRefusedAtLevel101() {
        assertRefusedBeforeExpanding(FILE + ":1:101: nesting deeper than 100 levels", "[".repeat(10_000));
        assertRefusedBeforeExpanding(FILE + ":1:401: nesting deeper than 100 levels",
                "{a: ".repeat(10_000) + "1" + "}".repeat(10_000));
        StringBuilder block = new StringBuilder();
        for (int level = 0; level < 1_000; level++) {
            block.append(" ".repeat(level)).append("a:\n");
        }
        assertRefusedBeforeExpanding(FILE + ":101:101: nesting deeper than 100 levels", block);
    }

    @Test
    void nestingBuiltFromAliasesCountsAsDeepAsItExpands() {
        String yaml = "d0: &d0 " + "[".repeat(40) + "]".repeat(40) + "\n"
                + "d1: &d1 " + "[".repeat(39) + "*d0" + "]".repeat(39) + "\n"
                + "d2: &d2 " + "[".repeat(39) + "*d1" + "]".repeat(39) + "\n";
        assertRefusedBeforeExpanding(FILE + ":3:48: nesting deeper than 100 levels once alias *d1 is expanded", yaml);
    }

    /** Every value keeps its path: a megabyte key over a thousand values would be a gigabyte of paths. */
    @Test
    void aMegabyteKeyIsRefusedRatherThanCopiedIntoEveryPath() {
        String yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  ? " + "k".repeat(1 << 20)
                + "\n  : [" + "1, ".repeat(1_000) + "1]\n";
        assertEquals(FILE + ":5:5: field path longer than 512 characters", refusal(yaml));
    }

    @Test
    void aFileOverTheSizeLimitIsRefusedUnread() {
        byte[] nineMiB = ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: " + "x".repeat(9 << 20) + "}\n")
                .getBytes(StandardCharsets.UTF_8);
        assertEquals(FILE + ": file too large: " + nineMiB.length + " bytes, manifests are read up to 8388608 bytes per file",
                refusal(nineMiB));
    }

    @Test
    void invalidUtf8AndForbiddenCharactersAreErrorsAtTheirLineAndColumn() {
        byte[] latin1 = "apiVersion: v1\nkind: Pod\nmetadata: {name: caf\u00e9}\n".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(FILE + ":3:21: invalid UTF-8 (byte 0xE9 at offset 45): manifests must be UTF-8 text", refusal(latin1));
        assertEquals(FILE + ":2:7: invalid YAML: character U+0000 is not allowed in YAML", refusal("apiVersion: v1\nkind: \0Pod\n"));
    }

    /** snakeyaml-engine 3.2 throws a NumberFormatException here. */
    @Test
    void aFileEndingInsideAnEscapeSequenceIsAnErrorAtItsEnd() {
        assertEquals(FILE + ":1:7: invalid YAML: the file ends inside an escape sequence", refusal("a: \"\\u"));
    }

    @Test
    void nullListItemsAndMapValuesAreErrorsRatherThanNullPointersLater() {
        assertEquals(FILE + ":6:6: list item \"spec.containers.0\" is empty (null)",
                refusal("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    -\n"));
        assertEquals(FILE + ":4:14: field \"stringData.token\" is empty (null): write \"\" for an empty value",
                refusal("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {token: }\n"));
    }

    @Test
    void aByteOrderMarkIsAllowed() {
        Run run = run(("\uFEFF" + SEEDS.get(0).yaml()).getBytes(StandardCharsets.UTF_8));
        assertNull(run.broken());
        assertNull(run.refusal());
    }

    /** A bomb is refused while it is read, before the values it stands for are made: it costs next to nothing. */
    private static void assertRefusedBeforeExpanding(String expected, CharSequence yaml) {
        Run run = run(yaml.toString().getBytes(StandardCharsets.UTF_8));
        assertEquals(expected, run.refusal() == null ? "loaded" : run.refusal().getMessage());
        assertTrue(run.allocatedBytes() < 16 << 20, (run.allocatedBytes() >> 20) + " MiB allocated");
        assertNull(run.broken());
    }

    /** The problems of a refused input, one a line; fails unless it was refused within the bounds. */
    private static String refusal(String yaml) {
        return refusal(yaml.getBytes(StandardCharsets.UTF_8));
    }

    private static String refusal(byte[] content) {
        Run run = run(content);
        assertNull(run.broken());
        assertNotNull(run.refusal(), "loaded");
        return run.refusal().getMessage();
    }

    /** Loads one file as {@code berth validate} and {@code plan} load a commit's manifests. */
    private static Run run(byte[] content) {
        long allocatedBefore = THREADS.getCurrentThreadAllocatedBytes();
        long start = THREADS.getCurrentThreadCpuTime();
        InvalidInputException refusal = null;
        Throwable escaped = null;
        try {
            new ManifestLoader().load(new OneFileTree(FILE, content), "", null);
        } catch (InvalidInputException e) {
            refusal = e;
        } catch (Throwable e) { // the point of the test: nothing else may escape, not even an Error
            escaped = e;
        }
        return new Run(refusal, escaped, THREADS.getCurrentThreadCpuTime() - start,
                THREADS.getCurrentThreadAllocatedBytes() - allocatedBefore);
    }

    /** Only a file too large to read at all is reported without a line. */
    private static boolean locatedOrFileWide(Problem problem) {
        return problem.location().line() > 0 && problem.location().column() > 0
                || problem.message().startsWith("file too large");
    }

    private static String abbreviate(String text, int length) {
        return text.length() <= length ? text : text.substring(0, length) + "...";
    }
}
