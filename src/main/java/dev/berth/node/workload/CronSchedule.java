package dev.berth.node.workload;

import java.text.ParseException;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TimeZone;
import org.quartz.CronExpression;

/**
 * A CronJob's {@code schedule} and {@code timeZone}, as quartz cron expressions.
 *
 * <p>Standard cron runs a job when either day-of-month or day-of-week matches if both are restricted;
 * a quartz expression can restrict only one of them, so such a schedule becomes two expressions and fires at
 * whichever comes first.
 */
public final class CronSchedule {

    /** The macros Kubernetes accepts, spelled out. */
    private static final Map<String, String> MACROS = Map.of(
            "@yearly", "0 0 1 1 *",
            "@annually", "0 0 1 1 *",
            "@monthly", "0 0 1 * *",
            "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *",
            "@midnight", "0 0 * * *",
            "@hourly", "0 * * * *");
    private static final CronField[] FIELDS = CronField.values();

    private final String schedule;
    private final ZoneId zone;
    private final List<CronExpression> expressions;

    private CronSchedule(String schedule, ZoneId zone, List<CronExpression> expressions) {
        this.schedule = schedule;
        this.zone = zone;
        this.expressions = expressions;
    }

    /**
     * @param schedule five fields ({@code minute hour day-of-month month day-of-week}) or a macro such as
     *                 {@code @daily}
     * @param timeZone an IANA zone name; null for the node's zone
     * @throws IllegalArgumentException naming the field and the value that is wrong
     */
    public static CronSchedule parse(String schedule, String timeZone) {
        Objects.requireNonNull(schedule, "schedule");
        ZoneId zone = zone(timeZone);
        List<String> quartz;
        try {
            quartz = toQuartz(schedule.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("schedule \"" + schedule + "\": " + e.getMessage(), e);
        }
        List<CronExpression> expressions = new ArrayList<>();
        for (String expression : quartz) {
            expressions.add(expression(expression, zone));
        }
        return new CronSchedule(schedule, zone, List.copyOf(expressions));
    }

    /** The first fire time strictly after {@code time}; empty if there is none (such as on 30 February). */
    public Optional<ZonedDateTime> nextAfter(ZonedDateTime time) {
        Date after = Date.from(time.toInstant());
        return expressions.stream()
                .map(expression -> expression.getNextValidTimeAfter(after))
                .filter(Objects::nonNull)
                .min(Comparator.naturalOrder())
                .map(next -> ZonedDateTime.ofInstant(next.toInstant(), zone));
    }

    /**
     * The fire times after {@code from} up to and including {@code to}, earliest first, at most {@code max} of
     * them: asking for one more than the limit tells whether too many runs were missed.
     */
    public List<ZonedDateTime> fireTimesBetween(ZonedDateTime from, ZonedDateTime to, int max) {
        if (max < 0) {
            throw new IllegalArgumentException("max must not be negative: " + max);
        }
        List<ZonedDateTime> times = new ArrayList<>();
        Optional<ZonedDateTime> next = nextAfter(from);
        while (times.size() < max && next.isPresent() && !next.get().isAfter(to)) {
            times.add(next.get());
            next = nextAfter(next.get());
        }
        return times;
    }

    public String schedule() {
        return schedule;
    }

    public ZoneId zone() {
        return zone;
    }

    /** One or two quartz expressions (seconds first) whose fire times together are this schedule's. */
    public List<String> quartzExpressions() {
        return expressions.stream().map(CronExpression::getCronExpression).toList();
    }

    private static ZoneId zone(String timeZone) {
        if (timeZone == null) {
            return ZoneId.systemDefault();
        }
        // Only named zones, as Kubernetes: ZoneId.of would also take offsets such as "+02:00".
        if (!ZoneId.getAvailableZoneIds().contains(timeZone)) {
            throw new IllegalArgumentException("timeZone \"" + timeZone + "\" is not a known IANA time zone");
        }
        return ZoneId.of(timeZone);
    }

    private static List<String> toQuartz(String schedule) {
        if (schedule.startsWith("TZ=") || schedule.startsWith("CRON_TZ=")) {
            throw new IllegalArgumentException("TZ= and CRON_TZ= are not allowed in the schedule, use timeZone");
        }
        if (schedule.startsWith("@")) {
            String expanded = MACROS.get(schedule.toLowerCase(Locale.ROOT));
            if (expanded == null) {
                throw new IllegalArgumentException("unknown macro " + schedule
                        + ", expected @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly");
            }
            return toQuartz(expanded);
        }
        String[] texts = schedule.isEmpty() ? new String[0] : schedule.split("\\s+");
        if (texts.length != FIELDS.length) {
            throw new IllegalArgumentException("expected 5 fields (minute hour day-of-month month day-of-week), got "
                    + texts.length);
        }
        CronFieldValues[] fields = new CronFieldValues[FIELDS.length];
        for (int i = 0; i < FIELDS.length; i++) {
            fields[i] = FIELDS[i].parse(texts[i]);
        }
        return combineDays(fields[0], fields[1], fields[2], fields[3], fields[4]);
    }

    private static List<String> combineDays(CronFieldValues minute, CronFieldValues hour, CronFieldValues dayOfMonth,
                                            CronFieldValues month, CronFieldValues dayOfWeek) {
        String time = "0 " + minute.toQuartz() + " " + hour.toQuartz() + " ";
        String byDayOfMonth = time + dayOfMonth.toQuartz() + " " + month.toQuartz() + " ?";
        String byDayOfWeek = time + "? " + month.toQuartz() + " " + dayOfWeek.toQuartz();
        if (dayOfWeek.unrestricted()) {
            return List.of(byDayOfMonth);
        }
        if (dayOfMonth.unrestricted()) {
            return List.of(byDayOfWeek);
        }
        return List.of(byDayOfMonth, byDayOfWeek);
    }

    private static CronExpression expression(String quartz, ZoneId zone) {
        try {
            CronExpression expression = new CronExpression(quartz);
            expression.setTimeZone(TimeZone.getTimeZone(zone));
            return expression;
        } catch (ParseException e) {
            throw new IllegalStateException("built an expression quartz rejects: " + quartz, e);
        }
    }
}
