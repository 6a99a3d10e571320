package dev.berth.node.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The values one cron field allows, in cron's numbering.
 *
 * @param unrestricted whether the field was written as {@code *}: decides how day-of-month and day-of-week combine
 */
record CronFieldValues(CronField field, SortedSet<Integer> values, boolean unrestricted) {

    /** The field in quartz syntax: {@code *}, or the values as a list of runs such as {@code 2-6,8}. */
    String toQuartz() {
        if (unrestricted) {
            return "*";
        }
        SortedSet<Integer> quartzValues = new TreeSet<>();
        for (int value : values) {
            // Quartz counts weekdays 1-7 from Sunday; cron counts 0-7 with both 0 and 7 Sunday.
            quartzValues.add(field == CronField.DAY_OF_WEEK ? value % 7 + 1 : value);
        }
        return runs(quartzValues);
    }

    private static String runs(SortedSet<Integer> values) {
        List<String> parts = new ArrayList<>();
        Integer start = null;
        Integer previous = null;
        for (int value : values) {
            if (previous != null && value != previous + 1) {
                parts.add(run(start, previous));
                start = null;
            }
            if (start == null) {
                start = value;
            }
            previous = value;
        }
        parts.add(run(start, previous));
        return String.join(",", parts);
    }

    private static String run(int start, int end) {
        return start == end ? Integer.toString(start) : start + "-" + end;
    }
}
