package dev.berth.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the README and docs/*.md honest: every relative link reaches a file (and a heading, for a #fragment, by
 * GitHub's anchor rules), and every entry of a {@code ```usage} block is the usage line {@code berth VERB --help} prints.
 */
class DocsTest {

    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern REFERENCE = Pattern.compile("^\\s{0,3}\\[[^\\]]+]:\\s*(\\S+)");
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");
    /** A command listed under "Commands:" in --help: "  plan      Show ...", "  ls, list    List ...". */
    private static final Pattern COMMAND = Pattern.compile("^  ([a-z][a-z-]*)(?:, [a-z-]+)*\\s");
    private static final Pattern NOT_IN_SLUG = Pattern.compile("[^\\p{L}\\p{M}\\p{N}\\p{Pc} -]");

    @Test
    void relativeLinksReachFilesAndHeadings() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path doc : documents()) {
            for (String target : links(doc)) {
                String problem = check(doc, target);
                if (problem != null) {
                    broken.add(doc + ": (" + target + ") " + problem);
                }
            }
        }
        assertEquals(List.of(), broken, "broken links");
    }

    @Test
    void usageBlocksMatchHelp() throws IOException {
        Map<String, String> synopses = synopses();
        List<String> wrong = new ArrayList<>();
        for (Path doc : documents()) {
            for (String line : usageLines(doc)) {
                String expected = synopses.get(command(line, synopses.keySet()));
                if (!line.equals(expected)) {
                    wrong.add(doc + ":\n  shows   " + line + "\n  --help  " + expected);
                }
            }
        }
        assertEquals(List.of(), wrong, "usage lines that differ from --help");
        List<String> readme = usageLines(Path.of("README.md")).stream().map(l -> command(l, synopses.keySet())).toList();
        assertTrue(readme.containsAll(List.of("berth apply", "berth watch", "berth plan")), "the README shows " + readme);
    }

    @Test
    void everyCommandIsShown() throws IOException {
        Map<String, String> synopses = synopses();
        Set<String> shown = new TreeSet<>();
        for (Path doc : documents()) {
            usageLines(doc).forEach(line -> shown.add(command(line, synopses.keySet())));
        }
        Set<String> missing = new TreeSet<>(synopses.keySet());
        missing.removeAll(shown);
        assertEquals(Set.of(), missing, "commands without a usage block in the README or docs/");
    }

    /** README.md and every docs/*.md. */
    private static List<Path> documents() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> files = Files.list(Path.of("docs"))) {
            files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        return docs;
    }

    /** The link targets of a document, outside code blocks and code spans; a link's text may span lines. */
    static List<String> links(Path doc) throws IOException {
        List<String> targets = new ArrayList<>();
        for (String paragraph : String.join("\n", prose(doc)).split("\n\\s*\n")) {
            String text = paragraph.replaceAll("`[^`]*`", "");
            Matcher m = LINK.matcher(text.replace('\n', ' '));
            while (m.find()) {
                targets.add(m.group(1));
            }
            for (String line : text.split("\n")) {
                Matcher ref = REFERENCE.matcher(line);
                if (ref.find()) {
                    targets.add(ref.group(1));
                }
            }
        }
        return targets;
    }

    /** Null when {@code target}, linked from {@code doc}, exists; else what is wrong. */
    static String check(Path doc, String target) throws IOException {
        if (SCHEME.matcher(target).find()) {
            return null; // http(s), mailto: not checked here
        }
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        Path resolved = file.isEmpty() ? doc : doc.toAbsolutePath().getParent().resolve(file).normalize();
        if (!Files.exists(resolved)) {
            return "no such file";
        }
        if (hash < 0) {
            return null;
        }
        String fragment = target.substring(hash + 1);
        if (!resolved.toString().endsWith(".md")) {
            return "a fragment on a file that is not markdown";
        }
        Set<String> anchors = anchors(resolved);
        return anchors.contains(fragment) ? null : "no heading with anchor #" + fragment + " (has " + anchors + ")";
    }

    /** The anchors GitHub gives a document's headings: lowercase, punctuation dropped, spaces to '-', -1 on repeats. */
    static Set<String> anchors(Path doc) throws IOException {
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String line : prose(doc)) {
            Matcher m = HEADING.matcher(line);
            if (m.matches()) {
                String slug = slug(m.group(1));
                int n = seen.merge(slug, 1, Integer::sum) - 1;
                anchors.add(n == 0 ? slug : slug + "-" + n);
            }
        }
        return anchors;
    }

    static String slug(String heading) {
        String text = heading.replaceAll("\\[([^\\]]*)]\\([^)]*\\)", "$1"); // a link's text only
        return NOT_IN_SLUG.matcher(text.toLowerCase(Locale.ROOT)).replaceAll("").replace(' ', '-');
    }

    /** The lines of a document outside fenced code blocks. */
    private static List<String> prose(Path doc) throws IOException {
        List<String> lines = new ArrayList<>();
        boolean code = false;
        for (String line : Files.readAllLines(doc)) {
            if (line.stripLeading().startsWith("```")) {
                code = !code;
            } else if (!code) {
                lines.add(line);
            }
        }
        return lines;
    }

    /**
     * The commands shown in a document's {@code ```usage} blocks, one per entry: a line starting with "berth ", with
     * the indented lines after it, whitespace collapsed.
     */
    static List<String> usageLines(Path doc) throws IOException {
        List<String> entries = new ArrayList<>();
        boolean usage = false;
        for (String line : Files.readAllLines(doc)) {
            if (line.startsWith("```")) {
                usage = !usage && line.strip().equals("```usage");
            } else if (usage && line.startsWith("berth ")) {
                entries.add(line.strip());
            } else if (usage && !line.isBlank()) {
                assertTrue(Character.isWhitespace(line.charAt(0)) && !entries.isEmpty(),
                        doc + ": a usage block holds only 'berth ...' lines and their indented continuations: " + line);
                entries.set(entries.size() - 1, entries.get(entries.size() - 1) + " " + line.strip());
            }
        }
        return entries.stream().map(e -> e.replaceAll("\\s+", " ")).toList();
    }

    /** Which command a usage line is for: the longest command name it starts with, e.g. "berth images pull". */
    private static String command(String line, Set<String> commands) {
        return commands.stream().filter(c -> line.equals(c) || line.startsWith(c + " "))
                .max((a, b) -> a.length() - b.length())
                .orElseThrow(() -> new AssertionError("no berth command for usage line: " + line));
    }

    /**
     * Each leaf command's usage line as {@code berth ... --help} prints it ("Usage: " dropped, its lines joined), by
     * command, e.g. "berth images pull"; the commands are those each --help lists.
     */
    static Map<String, String> synopses() {
        Map<String, String> synopses = new HashMap<>();
        collect(List.of(), synopses);
        return synopses;
    }

    private static void collect(List<String> words, Map<String, String> synopses) {
        List<String> help = help(words);
        int commands = help.indexOf("Commands:");
        if (commands < 0) {
            List<String> usage = new ArrayList<>(List.of(help.get(0)));
            help.stream().skip(1).takeWhile(l -> l.startsWith(" ")).forEach(usage::add);
            assertTrue(usage.get(0).startsWith("Usage: berth "), String.join("\n", help));
            synopses.put("berth " + String.join(" ", words),
                    String.join(" ", usage).substring("Usage: ".length()).strip().replaceAll("\\s+", " "));
            return;
        }
        for (String line : help.subList(commands + 1, help.size())) {
            Matcher m = COMMAND.matcher(line);
            if (m.find()) {
                List<String> sub = new ArrayList<>(words);
                sub.add(m.group(1));
                collect(sub, synopses);
            }
        }
    }

    /** What {@code berth WORDS --help} prints, as lines. */
    private static List<String> help(List<String> words) {
        List<String> args = new ArrayList<>(words);
        args.add("--help");
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Main.run(args.toArray(String[]::new)), "berth " + args);
        } finally {
            System.setOut(out);
        }
        return captured.toString(StandardCharsets.UTF_8).replaceAll("\u001B\\[[;\\d]*m", "").lines().toList();
    }
}
