package dev.berth.net.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The iptables-restore input that takes the host's tables, as iptables-save printed them, to the wanted ones while
 * touching berth's chains alone: wanted chains are declared (which empties them) and filled, chains of berth's no
 * longer wanted are emptied and deleted, and the jumps into them from the built-in chains are added or deleted. All of
 * it in one iptables-restore, which the kernel applies as one transaction.
 */
final class IptablesChanges {

    private IptablesChanges() {}

    /** What iptables-save shows of berth in one table: its chains, and the rules of built-in chains that jump to them. */
    record Found(Set<String> chains, List<String> jumps) {}

    /** Berth's part of each table in iptables-save's output. */
    static Map<String, Found> parse(String saved) {
        Map<String, Found> found = new LinkedHashMap<>();
        Found current = null;
        for (String line : saved.split("\n")) {
            if (line.startsWith("*")) {
                current = new Found(new LinkedHashSet<>(), new ArrayList<>());
                found.put(line.substring(1).strip(), current);
            } else if (current != null && line.startsWith(":" + IptablesRules.PREFIX)) {
                current.chains().add(line.substring(1, line.indexOf(' ')));
            } else if (current != null && line.startsWith("-A ") && !line.startsWith("-A " + IptablesRules.PREFIX)
                    && line.contains("-j " + IptablesRules.PREFIX)) {
                current.jumps().add(line);
            }
        }
        return found;
    }

    /** Berth's part of the tables once {@code wanted} is applied: its chains, and the jumps into them. */
    static Map<String, Found> after(Map<String, IptablesRules.Table> wanted) {
        Map<String, Found> after = new LinkedHashMap<>();
        wanted.forEach((name, table) -> after.put(name, new Found(table.chains(), IptablesRules.JUMPS.get(name).stream()
                .map(j -> "-A " + j.chain() + " " + j.rule()).toList())));
        return after;
    }

    /** The iptables-restore input (for {@code --noflush}); empty when there is nothing to change. */
    static String restore(Map<String, IptablesRules.Table> wanted, Map<String, Found> found) {
        StringBuilder out = new StringBuilder();
        for (String name : List.of("filter", "nat")) {
            IptablesRules.Table table = wanted.getOrDefault(name, new IptablesRules.Table(Set.of(), List.of()));
            Found there = found.getOrDefault(name, new Found(Set.of(), List.of()));
            if (table.chains().isEmpty() && there.chains().isEmpty() && there.jumps().isEmpty()) {
                continue;
            }
            Set<String> stale = new LinkedHashSet<>(there.chains());
            stale.removeAll(table.chains());
            out.append('*').append(name).append('\n');
            table.chains().forEach(c -> out.append(':').append(c).append(" - [0:0]\n"));
            stale.forEach(c -> out.append(':').append(c).append(" - [0:0]\n"));
            for (String jump : there.jumps()) {
                if (!table.chains().contains(target(jump))) {
                    out.append("-D").append(jump.substring(2)).append('\n');
                }
            }
            if (!table.chains().isEmpty()) {
                for (IptablesRules.Jump jump : IptablesRules.JUMPS.get(name)) {
                    boolean present = there.jumps().stream().anyMatch(j -> j.startsWith("-A " + jump.chain() + " ")
                            && target(j).equals(jump.target()));
                    if (!present) {
                        out.append("-I ").append(jump.chain()).append(' ').append(jump.rule()).append('\n');
                    }
                }
            }
            table.rules().forEach(r -> out.append(r).append('\n'));
            stale.forEach(c -> out.append("-X ").append(c).append('\n'));
            out.append("COMMIT\n");
        }
        return out.toString();
    }

    private static String target(String rule) {
        String target = rule.substring(rule.lastIndexOf("-j ") + 3);
        int space = target.indexOf(' ');
        return space < 0 ? target : target.substring(0, space);
    }
}
