package dev.berth.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.InvalidInputException;
import dev.berth.testing.Prerequisites;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Compares berth's reading of each scalar of a corpus, as a value and as a mapping key, with PyYAML's YAML 1.1
 * reading, translated by the rules Kubernetes adds (sigs.k8s.io/yaml's JSON step). Where go-yaml v2, which Kubernetes
 * uses, departs from PyYAML, the scalar is listed in {@link #KNOWN_DIFFERENCES} with the reason and berth's reading.
 */
class YamlCorpusTest {

    /** A reading berth refuses, with the message's reason. */
    private record Refused(String why) {}

    /** Scalar, berth's reading as a value (a Java value, or Refused), and why it differs from PyYAML's. */
    private record Difference(Object value, String why) {}

    private static final String GO_BOOL = "go-yaml v2's table adds y, Y, n and N to YAML 1.1's booleans";
    private static final String GO_INT = "go-yaml v2 reads integers with Go's ParseInt (base 0), which takes 0o and"
            + " upper-case prefixes; PyYAML does not";
    private static final String GO_FLOAT = "go-yaml v2's float pattern [-+]?[0-9]*\\.?[0-9]+([eE][-+][0-9]+)? needs no"
            + " dot and no digit before it, and a leading '.' is read by Go's ParseFloat; PyYAML's needs both";
    private static final String SEXAGESIMAL = "go-yaml v2 dropped YAML 1.1's base-60 numbers; PyYAML reads them";
    private static final String BIG = "beyond 64 bits: PyYAML keeps the integer, Kubernetes' integer fields cannot"
            + " hold it, berth refuses it";

    static final Map<String, Difference> KNOWN_DIFFERENCES = Map.ofEntries(
            Map.entry("y", new Difference(true, GO_BOOL)),
            Map.entry("Y", new Difference(true, GO_BOOL)),
            Map.entry("n", new Difference(false, GO_BOOL)),
            Map.entry("N", new Difference(false, GO_BOOL)),
            Map.entry("0o17", new Difference(15, GO_INT)),
            Map.entry("0O17", new Difference(15, GO_INT)),
            Map.entry("0X1F", new Difference(31, GO_INT)),
            Map.entry("0B101", new Difference(5, GO_INT)),
            Map.entry("08", new Difference(8, "not octal for Go's ParseInt, then a float by go-yaml's pattern;"
                    + " JSON writes an integral float as an integer")),
            Map.entry("09", new Difference(9, "as 08")),
            Map.entry("1e+3", new Difference(1000, GO_FLOAT)),
            Map.entry("-.5", new Difference(-0.5, GO_FLOAT)),
            Map.entry("+.5", new Difference(0.5, GO_FLOAT)),
            Map.entry(".5e3", new Difference(500, GO_FLOAT)),
            Map.entry("1.", new Difference("1.", "go-yaml v2's float pattern needs a digit after the dot")),
            Map.entry("1:30", new Difference("1:30", SEXAGESIMAL)),
            Map.entry("190:20:30", new Difference("190:20:30", SEXAGESIMAL)),
            Map.entry("1:30.5", new Difference("1:30.5", SEXAGESIMAL)),
            Map.entry("9223372036854775808", new Difference(new Refused("number out of range"), BIG)),
            Map.entry("0xffffffffffffffffff", new Difference(new Refused("number out of range"), BIG)));

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void berthReadsTheCorpusAsPyYamlDoesSaveTheKnownDifferences() throws Exception {
        Prerequisites.require(pyYamlIsInstalled(), "python3 with PyYAML (Debian: python3-yaml) is not installed");
        List<String> mismatches = new ArrayList<>();
        List<JsonNode> readings = pyYamlReadings();
        for (JsonNode reading : readings) {
            String scalar = reading.get("scalar").asString();
            Difference known = KNOWN_DIFFERENCES.get(scalar);
            Object expectedValue = known != null ? known.value() : asKubernetesValue(scalar, reading.get("value"));
            Object value = berthValue(scalar);
            if (!same(expectedValue, value)) {
                mismatches.add(scalar + " as a value: expected " + expectedValue + ", berth read " + value);
            }
            Object expectedKey = known != null ? asKey(known.value()) : asKubernetesKey(scalar, reading.get("key"));
            Object key = berthKey(scalar);
            if (!same(expectedKey, key)) {
                mismatches.add(scalar + " as a key: expected " + expectedKey + ", berth read " + key);
            }
        }
        assertEquals(List.of(), mismatches);
        assertTrue(readings.size() > 100, "the corpus has " + readings.size() + " scalars");
        List<String> unused = KNOWN_DIFFERENCES.keySet().stream()
                .filter(s -> readings.stream().noneMatch(r -> r.get("scalar").asString().equals(s))).toList();
        assertEquals(List.of(), unused, "known differences missing from the corpus");
    }

    /** PyYAML's reading, with the JSON step Kubernetes applies after go-yaml. */
    private static Object asKubernetesValue(String scalar, JsonNode reading) {
        String text = reading.path("text").asString();
        return switch (reading.get("kind").asString()) {
            case "null" -> null;
            case "bool" -> Boolean.valueOf(text);
            case "int" -> text.length() > 18 && new java.math.BigInteger(text).bitLength() > 63
                    ? new Refused("number out of range") : (Object) Long.parseLong(text);
            case "float" -> text.endsWith("inf") || text.equals("nan")
                    ? new Refused("cannot be written as JSON") : integralAsLong(Double.parseDouble(text));
            case "timestamp" -> scalar; // go-yaml v2 leaves timestamps as their text
            default -> text;
        };
    }

    private static Object asKubernetesKey(String scalar, JsonNode reading) {
        return switch (reading.get("kind").asString()) {
            case "null" -> new Refused("a null key");
            case "float" -> Float32Text.of(floatOf(reading.path("text").asString()));
            case "timestamp" -> scalar;
            default -> asKey(asKubernetesValue(scalar, reading));
        };
    }

    private static double floatOf(String pythonText) {
        return switch (pythonText) {
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            case "nan" -> Double.NaN;
            default -> Double.parseDouble(pythonText);
        };
    }

    /** The key sigs.k8s.io/yaml makes of a value: floats in Go's float32 text, others in decimal or as words. */
    private static Object asKey(Object value) {
        if (value instanceof Refused) {
            return value;
        }
        return value instanceof Double d ? Float32Text.of(d) : String.valueOf(value);
    }

    private static Object integralAsLong(double d) {
        return d == Math.rint(d) && Math.abs(d) < 0x1p63 ? (Object) (long) d : d;
    }

    private static Object berthValue(String scalar) {
        try {
            return parse("v: " + scalar + "\n").get("v");
        } catch (InvalidInputException e) {
            return new Refused(e.getMessage());
        }
    }

    private static Object berthKey(String scalar) {
        try {
            return parse(scalar + ": v\n").keySet().iterator().next();
        } catch (InvalidInputException e) {
            return new Refused(e.getMessage());
        }
    }

    private static Map<?, ?> parse(String yaml) {
        return (Map<?, ?>) YamlDocuments.parse("corpus.yaml", yaml.getBytes(StandardCharsets.UTF_8)).get(0).tree();
    }

    /** Numbers compare by value and kind (integer or not); a refusal matches when berth's message gives the reason. */
    private static boolean same(Object expected, Object actual) {
        if (expected instanceof Refused e) {
            return actual instanceof Refused a && a.why().contains(e.why());
        } else if (expected instanceof Double e) {
            return actual instanceof Double a && e.equals(a);
        } else if (expected instanceof Number e) {
            return (actual instanceof Integer || actual instanceof Long) && e.longValue() == ((Number) actual).longValue();
        }
        return Objects.equals(expected, actual);
    }

    private static boolean pyYamlIsInstalled() throws InterruptedException {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import yaml").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException noPython) {
            return false;
        }
    }

    private static List<JsonNode> pyYamlReadings() throws IOException, InterruptedException, URISyntaxException {
        Path corpus = resource("yaml-corpus/scalars.txt");
        Process p = new ProcessBuilder("python3", resource("yaml-corpus/pyyaml_scalars.py").toString(),
                corpus.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the PyYAML script did not finish");
        assertEquals(0, p.exitValue(), "the PyYAML script failed");
        List<JsonNode> readings = new ArrayList<>();
        for (String line : out.lines().toList()) {
            readings.add(JSON.readTree(line));
        }
        return readings;
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(Objects.requireNonNull(YamlCorpusTest.class.getClassLoader().getResource(name), name).toURI());
    }
}
