package dev.berth.doctor;

import dev.berth.store.JsonFiles;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What {@code berth doctor} found, in the order it checked. */
public record Report(List<Check> checks) {

    public Report {
        checks = List.copyOf(checks);
    }

    /** The worst status found: OK for an empty report. */
    public Check.Status worst() {
        Check.Status worst = Check.Status.OK;
        for (Check check : checks) {
            if (check.status().compareTo(worst) > 0) {
                worst = check.status();
            }
        }
        return worst;
    }

    /** One line per check: status, name, what was found, and the fix after "; fix: " where there is one. */
    public String text() {
        int width = checks.stream().mapToInt(c -> c.name().length()).max().orElse(0);
        StringBuilder out = new StringBuilder();
        for (Check check : checks) {
            out.append(String.format("%-6s %-" + width + "s  %s", check.status().label(), check.name(), check.message()));
            if (check.fix() != null) {
                out.append("; fix: ").append(check.fix());
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** {@code {"checks": [{"name", "status", "message", "fix"}], "exit": N}}; status is ok, warn or error. */
    public String json(int exitCode) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Check check : checks) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("name", check.name());
            item.put("status", check.status().label());
            item.put("message", check.message());
            item.put("fix", check.fix());
            list.add(item);
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("checks", list);
        report.put("exit", exitCode);
        return JsonFiles.JSON.writeValueAsString(report) + "\n";
    }
}
