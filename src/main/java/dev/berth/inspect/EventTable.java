package dev.berth.inspect;

import dev.berth.node.PodEvents;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The Events section of {@code describe pod}. Repeats of one event (a BackOff every restart) are folded into one
 * row, {@code 2m (x5 over 20m)}, as the API server counts them for kubectl.
 */
final class EventTable {

    private record Folded(PodEvents.Event last, Instant first, int count) {}

    private EventTable() {}

    static void append(List<PodEvents.Event> events, Instant now, StringBuilder out) {
        if (events.isEmpty()) {
            out.append("Events:\t<none>\n");
            return;
        }
        Map<List<String>, Folded> folded = new LinkedHashMap<>();
        for (PodEvents.Event e : events) {
            folded.merge(Arrays.asList(e.type(), e.reason(), e.message()), new Folded(e, e.at(), 1),
                    (before, again) -> new Folded(again.last(), before.first(), before.count() + 1));
        }
        List<Folded> rows = new ArrayList<>(folded.values());
        rows.sort(Comparator.comparing(f -> f.last().at()));
        out.append("Events:\n");
        out.append("  Type\tReason\tAge\tMessage\n");
        out.append("  ----\t------\t----\t-------\n");
        for (Folded f : rows) {
            String age = Ages.since(f.last().at(), now);
            if (f.count() > 1) {
                age += " (x" + f.count() + " over " + Ages.since(f.first(), now) + ")";
            }
            out.append("  ").append(f.last().type()).append('\t').append(f.last().reason()).append('\t').append(age)
                    .append('\t').append(Objects.toString(f.last().message(), "").strip()).append('\n');
        }
    }
}
