package dev.berth.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How Kubernetes combines an image's Entrypoint/Cmd with a container's command/args, and expands $(VAR). */
final class ContainerCommand {

    private static final Pattern REFERENCE = Pattern.compile("\\$\\$|\\$\\(([-._a-zA-Z][-._a-zA-Z0-9]*)\\)");

    private ContainerCommand() {}

    /**
     * command replaces Entrypoint and drops Cmd; args alone replace Cmd; neither keeps the image's both.
     * Returns the argv, empty when nothing is to run.
     */
    static List<String> resolve(List<String> entrypoint, List<String> cmd, List<String> command, List<String> args) {
        List<String> argv = new ArrayList<>();
        if (!command.isEmpty()) {
            argv.addAll(command);
            argv.addAll(args);
        } else {
            argv.addAll(entrypoint);
            argv.addAll(args.isEmpty() ? cmd : args);
        }
        return argv;
    }

    /** The names {@code text} refers to as {@code $(NAME)}, in order; {@code $$} escapes refer to none. */
    static List<String> references(String text) {
        List<String> names = new ArrayList<>();
        Matcher m = REFERENCE.matcher(text);
        while (m.find()) {
            if (m.group(1) != null) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /**
     * Kubernetes' variable expansion: {@code $(NAME)} becomes the variable's value when it is defined and stays as
     * written when it is not; {@code $$} is an escaped {@code $}.
     */
    static String expand(String text, Map<String, String> env) {
        Matcher m = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement = m.group(1) == null ? "$" : env.getOrDefault(m.group(1), m.group());
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
