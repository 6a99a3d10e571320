package dev.berth.inspect;

import dev.berth.sync.HistoryEntry;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** {@code berth history}: the node's applies, newest first, as a table or as JSON. */
public final class HistoryView {

    private HistoryView() {}

    /** The newest {@code limit} of {@code entries} (which the history keeps oldest first), newest first. */
    public static List<HistoryEntry> newest(List<HistoryEntry> entries, int limit) {
        List<HistoryEntry> newest = new ArrayList<>(entries.subList(Math.max(0, entries.size() - limit), entries.size()));
        Collections.reverse(newest);
        return newest;
    }

    public static String text(List<HistoryEntry> newestFirst) {
        if (newestFirst.isEmpty()) {
            return "Nothing applied yet.\n";
        }
        StringBuilder table = new StringBuilder("REVISION\tWHEN\tRESULT\tCHANGES\tMESSAGE\n");
        for (HistoryEntry e : newestFirst) {
            table.append(String.join("\t", Revisions.shorten(e.revision()),
                    e.at() == null ? "<unknown>" : e.at().truncatedTo(ChronoUnit.SECONDS).toString(),
                    e.result() + (e.rollback() ? " (rollback)" : ""), String.valueOf(e.changes()),
                    Objects.requireNonNullElse(e.message(), ""))).append('\n');
        }
        return TabWriter.TABLE.format(table.toString());
    }

    /** Stable: {@code {"history": [{"revision", "ref", "at", "result", "message", "changes", "rollback"}]}}. */
    public static String json(List<HistoryEntry> newestFirst) {
        List<Map<String, Object>> entries = new ArrayList<>();
        for (HistoryEntry e : newestFirst) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("revision", e.revision());
            json.put("ref", e.ref());
            json.put("at", StatusJson.time(e.at()));
            json.put("result", e.result());
            json.put("message", e.message());
            json.put("changes", e.changes());
            json.put("rollback", e.rollback());
            entries.add(json);
        }
        return Json.write(Map.of("history", entries));
    }
}
