package dev.berth.manifest;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;

/**
 * Reads YAML scalars as Kubernetes does. Manifests go through sigs.k8s.io/yaml's YAMLToJSON: go-yaml v2 resolves
 * each plain scalar with YAML 1.1 rules (its resolve.go), then the tree is written as JSON and decoded into the
 * API types. The rules, as facts of go-yaml v2.4:
 * <ul>
 *   <li>booleans: y Y yes Yes YES true True TRUE on On ON, and n N no No NO false False FALSE off Off OFF;</li>
 *   <li>null: empty, ~ null Null NULL; floats .inf .Inf .INF (signed too) and .nan .NaN .NAN;</li>
 *   <li>a scalar starting with a digit or sign, underscores removed, is an integer in Go's notation (0x, 0o, 0b,
 *       and a leading 0 for octal: {@code 0400} is 256), else a float if it matches
 *       {@code [-+]?[0-9]*\.?[0-9]+([eE][-+][0-9]+)?}; one starting with '.' is a float if Go parses it;</li>
 *   <li>timestamps decode into untyped Go values as their own text: they stay strings;</li>
 *   <li>anything else, and every quoted scalar, is a string.</li>
 * </ul>
 * The JSON step adds: a float with an integral value is written as an integer (so {@code replicas: 3.0} is 3),
 * .inf and .nan cannot be written (Kubernetes refuses them), and mapping keys become strings.
 */
final class KubernetesScalars {

    /** Plain scalars are typed with these tags; quoted ones and explicit tags are left to the parser. */
    static final ScalarResolver RESOLVER = (text, plain) -> plain ? plainTag(text) : Tag.STR;

    private static final Map<String, Object> WORDS = new HashMap<>();
    private static final Object NULL = new Object();

    static {
        for (String s : new String[] {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"}) {
            WORDS.put(s, Boolean.TRUE);
        }
        for (String s : new String[] {"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"}) {
            WORDS.put(s, Boolean.FALSE);
        }
        for (String s : new String[] {"", "~", "null", "Null", "NULL"}) {
            WORDS.put(s, NULL);
        }
        for (String s : new String[] {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"}) {
            WORDS.put(s, Double.POSITIVE_INFINITY);
        }
        for (String s : new String[] {"-.inf", "-.Inf", "-.INF"}) {
            WORDS.put(s, Double.NEGATIVE_INFINITY);
        }
        for (String s : new String[] {".nan", ".NaN", ".NAN"}) {
            WORDS.put(s, Double.NaN);
        }
    }

    /** Integers as Go's strconv.ParseInt reads them with base 0 (the sign, then the base prefix). */
    private static final Pattern GO_INT = Pattern.compile(
            "([-+]?)(?:0[xX]([0-9a-fA-F]+)|0[bB]([01]+)|0[oO]([0-7]+)|(0[0-7]*)|([1-9][0-9]*))");
    private static final Pattern YAML_STYLE_FLOAT = Pattern.compile("[-+]?[0-9]*\\.?[0-9]+([eE][-+][0-9]+)?");
    /** What Go's ParseFloat accepts of a scalar that starts with a dot. */
    private static final Pattern DOT_FLOAT = Pattern.compile("\\.[0-9]+([eE][-+]?[0-9]+)?");

    private KubernetesScalars() {}

    /**
     * The JSON value Kubernetes makes of a scalar: null, Boolean, Integer or Long, Double or String.
     *
     * @param tag the node's tag: from {@link #RESOLVER} for a plain scalar, or written explicitly ({@code !!int "0400"})
     * @throws IllegalArgumentException when Kubernetes refuses the scalar, with the reason
     */
    static Object value(Tag tag, String text) {
        Object resolved = typed(tag, text);
        if (resolved instanceof Long l) {
            return narrow(l);
        } else if (resolved instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) {
                throw new IllegalArgumentException(text + " cannot be written as JSON, so Kubernetes refuses it;"
                        + " quote it if you mean the text");
            }
            if (d == Math.rint(d) && Math.abs(d) < 0x1p63) {
                return narrow((long) d.doubleValue());
            }
        }
        return resolved;
    }

    /**
     * The string a mapping key becomes: sigs.k8s.io/yaml writes integers in decimal ({@code 0x1f} is "31"), floats as
     * Go's shortest float32 text, booleans as "true" and "false" (so {@code on:} is the key "true").
     */
    static String key(Tag tag, String text) {
        Object resolved = typed(tag, text);
        if (resolved == null) {
            throw new IllegalArgumentException("a null key (" + (text.isEmpty() ? "empty" : text)
                    + ") cannot be a JSON key; quote it if you mean the text");
        } else if (resolved instanceof Double d) {
            return Float32Text.of(d);
        }
        return resolved.toString();
    }

    /** The tags a scalar can have: the engine's own; others are refused by the caller. */
    static boolean isScalarTag(Tag tag) {
        return tag.equals(Tag.STR) || tag.equals(Tag.NULL) || tag.equals(Tag.BOOL) || tag.equals(Tag.INT)
                || tag.equals(Tag.FLOAT);
    }

    /** go-yaml's reading of a scalar under a tag; an explicit tag that does not fit the text is refused, as there. */
    private static Object typed(Tag tag, String text) {
        if (tag.equals(Tag.STR)) {
            return text;
        }
        Object resolved = resolve(text);
        Tag found = tagOf(resolved);
        if (found.equals(tag)) {
            return resolved == NULL ? null : resolved;
        } else if (tag.equals(Tag.FLOAT) && found.equals(Tag.INT)) {
            return ((Number) resolved).doubleValue();
        }
        throw new IllegalArgumentException("cannot read " + shortName(found) + " `" + text + "` as " + shortName(tag));
    }

    /** go-yaml v2's resolution of a plain scalar: NULL (for null), Boolean, Long, Double or String. */
    private static Object resolve(String text) {
        Object word = WORDS.get(text);
        if (word != null) {
            return word;
        }
        char first = text.charAt(0);
        if (first == '.') {
            return DOT_FLOAT.matcher(text).matches() ? finiteOrText(text, text) : text;
        }
        if (first != '+' && first != '-' && (first < '0' || first > '9')) {
            return text;
        }
        String plain = text.replace("_", "");
        Matcher integer = GO_INT.matcher(plain);
        if (integer.matches()) {
            return integer(integer, text);
        }
        return YAML_STYLE_FLOAT.matcher(plain).matches() ? finiteOrText(plain, text) : text;
    }

    /** Go's ParseFloat fails on a number beyond the float64 range, and go-yaml then keeps the text. */
    private static Object finiteOrText(String number, String text) {
        double value = Double.parseDouble(number);
        return Double.isInfinite(value) ? text : (Object) value;
    }

    private static Long integer(Matcher m, String text) {
        int[] radixes = {16, 2, 8, 8, 10};
        for (int group = 2; group <= 6; group++) {
            if (m.group(group) != null) {
                BigInteger magnitude = new BigInteger(m.group(group), radixes[group - 2]);
                BigInteger value = "-".equals(m.group(1)) ? magnitude.negate() : magnitude;
                if (value.bitLength() > 63) {
                    // Kubernetes' integer fields are at most 64 bits: go-yaml's larger readings fail there too
                    throw new IllegalArgumentException("number out of range: " + text);
                }
                return value.longValue();
            }
        }
        throw new IllegalStateException("GO_INT matched without a digits group: " + text);
    }

    private static Tag plainTag(String text) {
        try {
            return tagOf(resolve(text));
        } catch (IllegalArgumentException outOfRange) {
            return Tag.INT; // reported with its place when the value is read
        }
    }

    private static Tag tagOf(Object resolved) {
        if (resolved == NULL || resolved == null) {
            return Tag.NULL;
        } else if (resolved instanceof Boolean) {
            return Tag.BOOL;
        } else if (resolved instanceof Long) {
            return Tag.INT;
        } else if (resolved instanceof Double) {
            return Tag.FLOAT;
        }
        return Tag.STR;
    }

    private static String shortName(Tag tag) {
        return "!!" + tag.getValue().substring(Tag.PREFIX.length());
    }

    /** Integer when it fits: fabric8's IntOrString accepts Integer only; canonical trees widen to Long later. */
    private static Number narrow(long value) {
        if (value == (int) value) {
            return Integer.valueOf((int) value); // not a ?: expression, which would box both arms as Long
        }
        return Long.valueOf(value);
    }
}
