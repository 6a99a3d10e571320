package dev.berth.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.core.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** YAML scalars read as Kubernetes reads them: go-yaml v2's YAML 1.1 rules, then sigs.k8s.io/yaml's JSON step. */
class KubernetesScalarsTest {

    private static Map<?, ?> parse(String yaml) {
        return (Map<?, ?>) YamlDocuments.parse("t.yaml", yaml.getBytes(StandardCharsets.UTF_8)).get(0).tree();
    }

    private static Object valueOf(String scalar) {
        return parse("v: " + scalar + "\n").get("v");
    }

    private static String refusal(String yaml) {
        return assertThrows(InvalidInputException.class,
                () -> YamlDocuments.parse("t.yaml", yaml.getBytes(StandardCharsets.UTF_8))).getMessage();
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', value = {
        "0400 | 256", "0600 | 384", "0644 | 420", "0777 | 511", "0 | 0", "-0 | 0", "00 | 0", "+12 | 12",
        "0o17 | 15", "0x1ff | 511", "0X1FF | 511", "-0x1f | -31", "0b101 | 5", "-0b101 | -5", "1_000 | 1000",
        "0x_1f | 31", "2147483648 | 2147483648", "-9223372036854775808 | -9223372036854775808",
        // no octal digit 8: Go's ParseInt fails, go-yaml's float pattern reads it, JSON writes 8
        "08 | 8", "3.0 | 3", "1e+3 | 1000", "1_000.0 | 1000"})
    void integersIncludingOctalHexAndBinary(String scalar, long expected) {
        assertEquals(expected, ((Number) valueOf(scalar)).longValue());
    }

    @Test
    void integersAreIntegerWhenTheyFitAndLongAbove() {
        assertEquals(Integer.valueOf(256), valueOf("0400"));
        assertEquals(Long.valueOf(4294967296L), valueOf("0x100000000"));
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', value = {"1.5 | 1.5", "-.5 | -0.5", ".5 | 0.5", "+.5 | 0.5", "+1.25e-2 | 0.0125", ".5e3 | 500",
        "4.9e-324 | 4.9e-324"})
    void floats(String scalar, double expected) {
        assertEquals(expected, ((Number) valueOf(scalar)).doubleValue());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"y, true", "Y, true", "yes, true", "Yes, true", "YES, true", "true, true", "True, true",
        "TRUE, true", "on, true", "On, true", "ON, true", "n, false", "N, false", "no, false", "No, false",
        "NO, false", "false, false", "False, false", "FALSE, false", "off, false", "Off, false", "OFF, false"})
    void yaml11Booleans(String scalar, boolean expected) {
        assertEquals(expected, valueOf(scalar));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {"~", "null", "Null", "NULL", "''"})
    void nulls(String scalar) {
        assertNull(valueOf(scalar.equals("''") ? "" : scalar));
    }

    @ParameterizedTest(name = "{0} stays text")
    @CsvSource(delimiter = '|', value = {
        // timestamps decode into untyped values as their own text in go-yaml v2
        "2001-12-14", "2001-12-14T21:59:43.10-05:00", "2001-12-14 21:59:43.10",
        // not booleans or numbers by go-yaml's table and patterns
        "yES", "tRUE", "Yes please", "1e3", "1.", "1.5e3", "1:30", "0x", "0b2", "09.5.1", "1e+400", "_1", "<<x",
        "1.2.3", "0o8"})
    void otherPlainScalarsAreStrings(String scalar) {
        assertEquals(scalar, valueOf(scalar));
    }

    @Test
    void quotedAndExplicitlyTaggedScalars() {
        assertEquals("0400", valueOf("\"0400\""));
        assertEquals("yes", valueOf("'yes'"));
        assertEquals("0400", valueOf("!!str 0400"));
        assertEquals(256, valueOf("!!int \"0400\""));
        assertEquals(true, valueOf("!!bool \"on\""));
        assertEquals(1.5, valueOf("!!float '1.5'"));
        assertEquals(7, valueOf("!!float 7"));
        assertEquals("t.yaml:1:4: cannot read !!bool `yes` as !!int", refusal("v: !!int yes\n"));
        assertEquals("t.yaml:1:4: unsupported YAML tag tag:yaml.org,2002:binary", refusal("v: !!binary aGk=\n"));
    }

    @Test
    void infinityAndNanAreRefusedAtTheirPlaceAsKubernetesCannotWriteThemAsJson() {
        assertEquals("t.yaml:2:8: .inf cannot be written as JSON, so Kubernetes refuses it; quote it if you mean the text",
                refusal("a: 1\nvalue: .inf\n"));
        assertEquals("t.yaml:1:4: -.Inf cannot be written as JSON, so Kubernetes refuses it;"
                + " quote it if you mean the text", refusal("v: -.Inf\n"));
        assertEquals("t.yaml:1:4: .NaN cannot be written as JSON, so Kubernetes refuses it;"
                + " quote it if you mean the text", refusal("v: .NaN\n"));
        assertEquals(".inf", valueOf("'.inf'"));
    }

    @Test
    void integersBeyond64BitsAreRefused() {
        assertEquals("t.yaml:1:4: number out of range: 9223372036854775808", refusal("v: 9223372036854775808\n"));
        assertEquals("t.yaml:1:4: number out of range: 0xffffffffffffffffff", refusal("v: 0xffffffffffffffffff\n"));
    }

    @Test
    void keysBecomeStringsAsSigsK8sYamlWritesThem() {
        Map<?, ?> data = (Map<?, ?>) parse("""
                data:
                  on: a
                  n: b
                  0400: c
                  0x1f: d
                  1.5: e
                  1000000.0: f
                  .inf: g
                  2001-12-14: h
                  "yes": i
                  ~text: j
                """).get("data");
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("true", "a");
        expected.put("false", "b");
        expected.put("256", "c");
        expected.put("31", "d");
        expected.put("1.5", "e");
        expected.put("1e+06", "f");
        expected.put(".inf", "g");
        expected.put("2001-12-14", "h");
        expected.put("yes", "i");
        expected.put("~text", "j");
        assertEquals(expected, data);
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(data.keySet()));
    }

    @Test
    void keysThatReadAsTheSameStringAreDuplicates() {
        assertEquals("t.yaml:3:3: duplicate key \"true\", written y (first at line 2)",
                refusal("data:\n  on: a\n  y: b\n"));
        assertEquals("t.yaml:3:3: duplicate key \"8\", written 010 (first at line 2)",
                refusal("data:\n  8: a\n  010: b\n"));
    }

    @Test
    void aNullKeyIsRefused() {
        assertEquals("t.yaml:2:3: a null key (~) cannot be a JSON key; quote it if you mean the text",
                refusal("data:\n  ~: a\n"));
    }

    @ParameterizedTest(name = "{0} is written {1}")
    @CsvSource(delimiter = '|', value = {"1.5 | 1.5", "0.1 | 0.1", "100 | 100", "123456 | 123456",
        "1000000 | 1e+06", "1234567 | 1.234567e+06", "0.0001 | 0.0001", "0.00001 | 1e-05", "3.14159265358979 | 3.1415927",
        "-2.5 | -2.5", "0 | 0", "-0.0 | -0", "1e20 | 1e+20", "1e-40 | 1e-40"})
    void floatKeysAreGoShortestFloat32Text(double value, String expected) {
        assertEquals(expected, Float32Text.of(value));
    }
}
