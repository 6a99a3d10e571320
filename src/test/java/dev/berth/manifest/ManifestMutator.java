package dev.berth.manifest;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes broken and hostile variants of YAML manifests for {@link ManifestLoaderFuzzTest}. Mutations work on the
 * text line by line (so most of them keep the rest of the document intact and reach the checks behind the parser),
 * then, sometimes, on the bytes. The same {@link Random} seed gives the same inputs.
 */
final class ManifestMutator {

    /** One input: what was done to which seed, and the file's bytes. */
    record Input(String description, byte[] bytes) {}

    private record Mutation(String name, UnaryOperator<List<String>> apply) {}

    /** "key:" or "- key:" with an optional inline value; group 1 is everything up to the colon. */
    private static final Pattern KEY_LINE = Pattern.compile("^(\\s*(?:- )?[A-Za-z0-9_.\\-/\"]+:)(?: (.*))?$");
    private static final int ONE_MIB = 1 << 20;

    private static final List<String> NUMBERS = List.of("1e400", "-1e400", "-1", "0", "99999999999999999999",
            "2147483648", "-2147483649", "9223372036854775808", "0x7fffffff", "0x80000000", "0xffffffffffffffffff",
            "0o777777777777777777777777", "1_000_000", ".nan", "-.inf", "1e-400", "4.9e-324", "00012", "+12", "-0");
    private static final List<String> SCALARS = List.of("42", "true", "null", "~", "\"text\"", "''", "-3.5", "no", "2001-12-14");
    private static final List<String> TAGGED = List.of("!!binary aGVsbG8=", "!custom x", "!!set {a, b}", "!!omap [a: 1]",
            "!!timestamp 2001-12-14", "!<tag:yaml.org,2002:str> x", "!!int abc", "!!float xyz", "!!str 1", "!!map {}",
            "!!seq []", "!!null ''", "!!bool maybe", "!local {a: 1}", "!<!> x");
    private static final List<String> DIRECTIVES = List.of("%YAML 1.1\n---\n", "%YAML 9.9\n---\n",
            "%YAML 1.99999999999999999\n---\n", "%TAG ! tag:example.com,2000:\n---\n", "--- !!str\n", "---\n---\n",
            "%FOO bar\n---\n", "%YAML 1.2\n%YAML 1.2\n---\n", "...\n", "--- |\n  text\n---\n");
    private static final List<String> CONTROL = List.of("\0", "\u0007", "\u001b", "\u0085", "\u2028", "\uFEFF",
            "\uFFFE", "\uD800", "\t", "\r", "\r\n", "\u007f");
    private static final List<byte[]> INVALID_UTF8 = List.of(bytes(0xFF), bytes(0xC3, 0x28), bytes(0xC0, 0xAF),
            bytes(0xED, 0xA0, 0x80), bytes(0xE2, 0x82), bytes(0xF8, 0x88, 0x80, 0x80, 0x80), bytes(0x80), bytes(0xFE, 0xFF));
    private static final List<String> PUNCTUATION = List.of(":-[]{}&*!|>'\"#%@`,? \n\t".split(""));

    private final Random random;
    private final List<Mutation> mutations = List.of(
            new Mutation("delete-key", this::deleteKey),
            new Mutation("duplicate-key", this::duplicateKey),
            new Mutation("scalar-to-collection", this::scalarToCollection),
            new Mutation("collection-to-scalar", this::collectionToScalar),
            new Mutation("swap-scalar-type", lines -> replaceValue(lines, pick(SCALARS))),
            new Mutation("extreme-number", lines -> replaceValue(lines, pick(NUMBERS))),
            new Mutation("deep-nesting", lines -> replaceValue(lines, deepFlow())),
            new Mutation("deep-block-nesting", this::deepBlock),
            new Mutation("long-string", lines -> replaceValue(lines, longString())),
            new Mutation("long-key", this::longKey),
            new Mutation("tab-indentation", this::tabs),
            new Mutation("anchor-and-alias", this::anchorAndAlias),
            new Mutation("tag", lines -> replaceValue(lines, pick(TAGGED))),
            new Mutation("multi-document", this::multiDocument),
            new Mutation("control-character", lines -> insertText(lines, pick(CONTROL))),
            new Mutation("punctuation", lines -> insertText(lines, pick(PUNCTUATION))),
            new Mutation("truncate", this::truncate));

    ManifestMutator(Random random) {
        this.random = random;
    }

    /** One to three text mutations of the seed, then in one case of five a byte mutation. */
    Input mutate(String seedName, String yaml) {
        List<String> lines = new ArrayList<>(Arrays.asList(yaml.split("\n", -1)));
        StringBuilder description = new StringBuilder(seedName);
        for (int round = 1 + random.nextInt(3); round > 0; round--) {
            Mutation mutation = pick(mutations);
            lines = mutation.apply().apply(lines);
            description.append(" +").append(mutation.name());
        }
        byte[] bytes = String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
        if (random.nextInt(5) == 0) {
            description.append(" +bytes");
            bytes = mutateBytes(bytes);
        }
        return new Input(description.toString(), bytes);
    }

    private List<String> deleteKey(List<String> lines) {
        int at = randomKeyLine(lines);
        if (at >= 0) {
            lines.subList(at, blockEnd(lines, at)).clear();
        }
        return lines;
    }

    /** The key and its block again, right after it, as a second entry of the same mapping. */
    private List<String> duplicateKey(List<String> lines) {
        int at = randomKeyLine(lines);
        if (at >= 0) {
            int end = blockEnd(lines, at);
            List<String> copy = new ArrayList<>(lines.subList(at, end));
            copy.set(0, copy.get(0).replaceFirst("- ", "  "));
            lines.addAll(end, copy);
        }
        return lines;
    }

    private List<String> scalarToCollection(List<String> lines) {
        int at = randomKeyLine(lines, true);
        if (at >= 0) {
            Matcher m = KEY_LINE.matcher(lines.get(at));
            m.matches();
            String value = m.group(2);
            lines.set(at, m.group(1) + " " + pick(List.of("{x: " + value + "}", "[" + value + "]", "[]", "{}", "[[" + value + "]]")));
        }
        return lines;
    }

    private List<String> collectionToScalar(List<String> lines) {
        int at = randomKeyLine(lines, false);
        if (at >= 0) {
            lines.subList(at + 1, blockEnd(lines, at)).clear();
            lines.set(at, lines.get(at) + " " + pick(SCALARS));
        }
        return lines;
    }

    /** The inline value of a random key, or a new key with that value when there is none. */
    private List<String> replaceValue(List<String> lines, String value) {
        int at = randomKeyLine(lines, true);
        if (at < 0) {
            lines.add("extra: " + value);
        } else {
            Matcher m = KEY_LINE.matcher(lines.get(at));
            m.matches();
            lines.set(at, m.group(1) + " " + value);
        }
        return lines;
    }

    /** Up to 10,000 levels of flow collections, sometimes left unclosed. */
    private String deepFlow() {
        int depth = pick(List.of(60, 200, 1_000, 10_000));
        boolean sequence = random.nextBoolean();
        String open = sequence ? "[" : "{a: ";
        String close = random.nextInt(4) == 0 ? "" : (sequence ? "]" : "}");
        return open.repeat(depth) + "1" + close.repeat(depth);
    }

    /** Nested block mappings, one space more per level. */
    private List<String> deepBlock(List<String> lines) {
        int depth = pick(List.of(60, 150, 2_000));
        int at = random.nextInt(lines.size() + 1);
        List<String> nested = new ArrayList<>(depth);
        for (int level = 0; level < depth; level++) {
            nested.add(" ".repeat(level) + "a:");
        }
        lines.addAll(at, nested);
        return lines;
    }

    private String longString() {
        String text = "x".repeat(ONE_MIB);
        return switch (random.nextInt(4)) {
            case 0 -> text;
            case 1 -> "\"" + text + "\"";
            case 2 -> "'" + "é".repeat(ONE_MIB / 2) + "'";
            default -> "\"" + "\\u00e9 ".repeat(ONE_MIB / 8) + "\"";
        };
    }

    /** A 1 MiB key, plain (longer than YAML allows an implicit key) or explicit with "? ". */
    private List<String> longKey(List<String> lines) {
        int at = randomKeyLine(lines);
        if (at >= 0) {
            Matcher m = KEY_LINE.matcher(lines.get(at));
            m.matches();
            String indent = m.group(1).replaceFirst("[^\\s-].*", "");
            String key = "k".repeat(ONE_MIB);
            String value = m.group(2) == null ? "" : " " + m.group(2);
            lines.set(at, random.nextBoolean() ? indent + key + ":" + value : indent + "? " + key + "\n" + indent.replace("-", " ") + ":" + value);
        }
        return lines;
    }

    private List<String> tabs(List<String> lines) {
        boolean all = random.nextBoolean();
        for (int i = 0; i < lines.size(); i++) {
            if (all || random.nextInt(lines.size()) == 0) {
                lines.set(i, lines.get(i).replaceFirst("^ {1,2}", "\t").replace(": ", random.nextBoolean() ? ":\t" : ": "));
            }
        }
        return lines;
    }

    /** An anchor on one key's value and an alias (or a merge key) elsewhere, before, after or inside it. */
    private List<String> anchorAndAlias(List<String> lines) {
        int anchored = randomKeyLine(lines);
        int alias = randomKeyLine(lines);
        if (anchored < 0 || alias < 0) {
            return lines;
        }
        Matcher m = KEY_LINE.matcher(lines.get(anchored));
        m.matches();
        lines.set(anchored, m.group(1) + " &a" + (m.group(2) == null ? "" : " " + m.group(2)));
        Matcher target = KEY_LINE.matcher(lines.get(alias));
        target.matches();
        String use = pick(List.of("*a", "*a", "*undefined", "[*a, *a, *a]", "{<<: *a}", "&a *a"));
        if (random.nextBoolean()) {
            lines.subList(alias + 1, blockEnd(lines, alias)).clear();
            lines.set(alias, target.group(1) + " " + use);
        } else {
            String indent = target.group(1).replaceFirst("[^\\s].*", "");
            lines.add(alias + 1, indent + "  <<: *a");
        }
        return lines;
    }

    private List<String> multiDocument(List<String> lines) {
        String text = String.join("\n", lines);
        String combined = switch (random.nextInt(4)) {
            case 0 -> text + "\n---\n" + text;
            case 1 -> pick(DIRECTIVES) + text;
            case 2 -> text + "\n" + pick(DIRECTIVES);
            default -> "---\n---\n" + text + "\n---\n...\n";
        };
        return new ArrayList<>(Arrays.asList(combined.split("\n", -1)));
    }

    private List<String> insertText(List<String> lines, String text) {
        int line = random.nextInt(lines.size());
        String target = lines.get(line);
        int column = random.nextInt(target.length() + 1);
        lines.set(line, target.substring(0, column) + text + target.substring(column));
        return lines;
    }

    private List<String> truncate(List<String> lines) {
        String text = String.join("\n", lines);
        String cut = text.substring(0, random.nextInt(text.length() + 1));
        return new ArrayList<>(Arrays.asList(cut.split("\n", -1)));
    }

    /** Invalid UTF-8, a UTF-16 byte order mark, a UTF-8 one, or NUL bytes, at a random place. */
    private byte[] mutateBytes(byte[] content) {
        byte[] inserted = switch (random.nextInt(4)) {
            case 0, 1 -> pick(INVALID_UTF8);
            case 2 -> bytes(0xEF, 0xBB, 0xBF);
            default -> new byte[1 + random.nextInt(3)];
        };
        int at = random.nextInt(4) == 0 ? 0 : random.nextInt(content.length + 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + inserted.length);
        out.write(content, 0, at);
        out.write(inserted, 0, inserted.length);
        out.write(content, at, content.length - at);
        return out.toByteArray();
    }

    private int randomKeyLine(List<String> lines) {
        List<Integer> keys = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (KEY_LINE.matcher(lines.get(i)).matches()) {
                keys.add(i);
            }
        }
        return keys.isEmpty() ? -1 : pick(keys);
    }

    /** A random key line with an inline value ({@code withValue}) or opening a block (not). */
    private int randomKeyLine(List<String> lines, boolean withValue) {
        List<Integer> keys = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = KEY_LINE.matcher(lines.get(i));
            if (m.matches() && (m.group(2) != null && !m.group(2).isBlank()) == withValue) {
                keys.add(i);
            }
        }
        return keys.isEmpty() ? -1 : pick(keys);
    }

    /** The index after the lines indented deeper than line {@code at} (its block). */
    private static int blockEnd(List<String> lines, int at) {
        int indent = indentation(lines.get(at));
        int end = at + 1;
        while (end < lines.size() && (lines.get(end).isBlank() || indentation(lines.get(end)) > indent)) {
            end++;
        }
        return end;
    }

    private static int indentation(String line) {
        int i = 0;
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '-')) {
            i++;
        }
        return i;
    }

    private <T> T pick(List<T> options) {
        return options.get(random.nextInt(options.size()));
    }

    private static byte[] bytes(int... values) {
        byte[] result = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = (byte) values[i];
        }
        return result;
    }
}
