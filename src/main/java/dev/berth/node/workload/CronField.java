package dev.berth.node.workload;

import java.util.List;
import java.util.Locale;
import java.util.SortedSet;
import java.util.TreeSet;

/** One of the five fields of a standard cron schedule, with its range and the names it accepts. */
enum CronField {
    MINUTE("minute", 0, 59, List.of()),
    HOUR("hour", 0, 23, List.of()),
    DAY_OF_MONTH("day-of-month", 1, 31, List.of()),
    MONTH("month", 1, 12,
            List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")),
    /** 0 and 7 are both Sunday, as in Vixie cron. */
    DAY_OF_WEEK("day-of-week", 0, 7, List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"));

    private final String label;
    private final int min;
    private final int max;
    /** The value of the name at index i is min + i. */
    private final List<String> names;

    CronField(String label, int min, int max, List<String> names) {
        this.label = label;
        this.min = min;
        this.max = max;
        this.names = names;
    }

    String label() {
        return label;
    }

    /** Parses a comma-separated list of {@code *}, values, ranges and steps; throws naming the field and value. */
    CronFieldValues parse(String text) {
        SortedSet<Integer> values = new TreeSet<>();
        boolean unrestricted = false;
        for (String element : text.split(",", -1)) {
            unrestricted |= addElement(element, values);
        }
        return new CronFieldValues(this, values, unrestricted);
    }

    /** Adds the values of one list element; true when it is a bare {@code *} (or {@code ?}). */
    private boolean addElement(String element, SortedSet<Integer> values) {
        String[] rangeAndStep = element.split("/", -1);
        if (rangeAndStep.length > 2) {
            throw error(element + " has more than one step");
        }
        String range = rangeAndStep[0];
        int step = rangeAndStep.length == 2 ? step(rangeAndStep[1], element) : 1;
        boolean star = range.equals("*") || (range.equals("?") && isDayField());
        int start;
        int end;
        if (star) {
            start = min;
            end = max;
        } else if (range.contains("-")) {
            String[] bounds = range.split("-", -1);
            if (bounds.length != 2) {
                throw error(element + " is not a range");
            }
            start = value(bounds[0]);
            end = value(bounds[1]);
            if (start > end) {
                throw error("range " + range + " starts after it ends");
            }
        } else {
            start = value(range);
            // "5/15" means "from 5 to the end, every 15", as in Kubernetes' cron library.
            end = rangeAndStep.length == 2 ? max : start;
        }
        for (int v = start; v <= end; v += step) {
            values.add(v);
        }
        // Kubernetes counts "*/2" as a restriction for the day-of-month/day-of-week rule, "*" and "*/1" not.
        return star && step == 1;
    }

    private boolean isDayField() {
        return this == DAY_OF_MONTH || this == DAY_OF_WEEK;
    }

    private int step(String text, String element) {
        if (!text.matches("\\d+") || text.matches("0+")) {
            throw error("step in " + element + " must be a positive number");
        }
        return number(text);
    }

    private int value(String token) {
        int index = names.indexOf(token.toUpperCase(Locale.ROOT));
        if (index >= 0) {
            return min + index;
        }
        if (!token.matches("\\d+")) {
            throw error(token + (names.isEmpty()
                    ? " is not a number"
                    : " is not a number or a name (" + names.get(0) + "-" + names.get(names.size() - 1) + ")"));
        }
        int value = number(token);
        if (value < min || value > max) {
            throw error(token + " is out of range " + min + "-" + max);
        }
        return value;
    }

    /** A run of digits; one too long for an int is out of range anyway. */
    private int number(String digits) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException tooLong) {
            throw error(digits + " is out of range " + min + "-" + max);
        }
    }

    private IllegalArgumentException error(String detail) {
        return new IllegalArgumentException(label + " " + detail);
    }
}
