package dev.berth.node.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CronScheduleTest {

    /** A Sunday. */
    private static final ZonedDateTime NOW = utc("2026-11-29T10:17:30Z");

    @Test
    void everyQuarterHour() {
        CronSchedule schedule = CronSchedule.parse("*/15 * * * *", "UTC");
        assertEquals(List.of("0 0,15,30,45 * * * ?"), schedule.quartzExpressions());
        assertEquals(List.of(utc("2026-11-29T10:30:00Z"), utc("2026-11-29T10:45:00Z"), utc("2026-11-29T11:00:00Z"),
                utc("2026-11-29T11:15:00Z")), schedule.fireTimesBetween(NOW, NOW.plusHours(1), 10));
    }

    @Test
    void stepsWithinARangeAndFromAValue() {
        assertEquals(List.of("0 1,6,11,16,21,26 * * * ?"),
                CronSchedule.parse("1-30/5 * * * *", "UTC").quartzExpressions());
        assertEquals(Optional.of(utc("2026-11-29T10:21:00Z")), CronSchedule.parse("1-30/5 * * * *", "UTC").nextAfter(NOW));
        // "5/15" runs from 5 to the end of the range, as in Kubernetes.
        assertEquals(List.of("0 5,20,35,50 * * * ?"), CronSchedule.parse("5/15 * * * *", "UTC").quartzExpressions());
    }

    @Test
    void listsAndRanges() {
        CronSchedule schedule = CronSchedule.parse("0,30 8-9,17 * * *", "UTC");
        assertEquals(List.of("0 0,30 8-9,17 * * ?"), schedule.quartzExpressions());
        assertEquals(List.of(utc("2026-11-29T17:00:00Z"), utc("2026-11-29T17:30:00Z"), utc("2026-11-30T08:00:00Z"),
                utc("2026-11-30T08:30:00Z"), utc("2026-11-30T09:00:00Z"), utc("2026-11-30T09:30:00Z")),
                schedule.fireTimesBetween(NOW, NOW.plusDays(1), 10));
    }

    @Test
    void weekdays() {
        CronSchedule schedule = CronSchedule.parse("0 9 * * 1-5", "UTC");
        assertEquals(List.of("0 0 9 ? * 2-6"), schedule.quartzExpressions());
        assertEquals(List.of(utc("2026-11-30T09:00:00Z"), utc("2026-12-01T09:00:00Z"), utc("2026-12-02T09:00:00Z"),
                        utc("2026-12-03T09:00:00Z"), utc("2026-12-04T09:00:00Z"), utc("2026-12-07T09:00:00Z")),
                schedule.fireTimesBetween(NOW, utc("2026-12-07T23:00:00Z"), 10));
    }

    @Test
    void zeroAndSevenAreBothSunday() {
        CronSchedule zero = CronSchedule.parse("0 0 * * 0", "UTC");
        CronSchedule seven = CronSchedule.parse("0 0 * * 7", "UTC");
        assertEquals(List.of("0 0 0 ? * 1"), zero.quartzExpressions());
        assertEquals(zero.quartzExpressions(), seven.quartzExpressions());
        assertEquals(Optional.of(utc("2026-12-06T00:00:00Z")), seven.nextAfter(NOW));
    }

    @Test
    void everyDayOfWeekNumberIsConverted() {
        // Friday to Sunday: quartz numbers them 6, 7 and 1.
        assertEquals(List.of("0 0 0 ? * 1,6-7"), CronSchedule.parse("0 0 * * 5-7", "UTC").quartzExpressions());
        assertEquals(List.of("0 0 0 ? * 1-2,4"), CronSchedule.parse("0 0 * * 0,1,3", "UTC").quartzExpressions());
        assertEquals(List.of("0 0 0 ? * 1,3,5,7"), CronSchedule.parse("0 0 * * */2", "UTC").quartzExpressions());
    }

    @Test
    void dayOfMonthOrDayOfWeekWhenBothAreRestricted() {
        CronSchedule schedule = CronSchedule.parse("0 0 1,15 * MON", "UTC");
        assertEquals(List.of("0 0 0 1,15 * ?", "0 0 0 ? * 2"), schedule.quartzExpressions());
        // Every Monday, and the 1st and the 15th (both Tuesdays in December 2026).
        assertEquals(List.of(utc("2026-11-30T00:00:00Z"), utc("2026-12-01T00:00:00Z"), utc("2026-12-07T00:00:00Z"),
                        utc("2026-12-14T00:00:00Z"), utc("2026-12-15T00:00:00Z"), utc("2026-12-21T00:00:00Z"),
                        utc("2026-12-28T00:00:00Z")),
                schedule.fireTimesBetween(NOW, utc("2026-12-31T00:00:00Z"), 10));
    }

    @Test
    void aStepCountsAsARestrictionButAStarDoesNot() {
        assertEquals(List.of("0 0 0 1,3,5,7,9,11,13,15,17,19,21,23,25,27,29,31 * ?", "0 0 0 ? * 2"),
                CronSchedule.parse("0 0 */2 * 1", "UTC").quartzExpressions());
        assertEquals(List.of("0 0 0 15 * ?"), CronSchedule.parse("0 0 15 * *", "UTC").quartzExpressions());
        assertEquals(List.of("0 0 0 ? * 2"), CronSchedule.parse("0 0 ? * 1", "UTC").quartzExpressions());
    }

    @Test
    void monthAndDayNamesInAnyCase() {
        CronSchedule schedule = CronSchedule.parse("0 12 * JAN-mar,Dec sat", "UTC");
        assertEquals(List.of("0 0 12 ? 1-3,12 7"), schedule.quartzExpressions());
        assertEquals(Optional.of(utc("2026-12-05T12:00:00Z")), schedule.nextAfter(NOW));
        assertEquals(List.of("0 0 0 ? * 2-6"), CronSchedule.parse("0 0 * * MON-FRI", "UTC").quartzExpressions());
    }

    @ParameterizedTest
    @CsvSource({
            "@yearly,   2027-01-01T00:00:00Z",
            "@annually, 2027-01-01T00:00:00Z",
            "@monthly,  2026-12-01T00:00:00Z",
            "@weekly,   2026-12-06T00:00:00Z",
            "@daily,    2026-11-30T00:00:00Z",
            "@midnight, 2026-11-30T00:00:00Z",
            "@hourly,   2026-11-29T11:00:00Z"})
    void macros(String macro, String next) {
        assertEquals(Optional.of(utc(next)), CronSchedule.parse(macro, "UTC").nextAfter(NOW));
    }

    @Test
    void timeZone() {
        CronSchedule schedule = CronSchedule.parse("0 9 * * *", "America/New_York");
        assertEquals(ZoneId.of("America/New_York"), schedule.zone());
        assertEquals("0 9 * * *", schedule.schedule());
        ZonedDateTime next = schedule.nextAfter(NOW).orElseThrow();
        assertEquals(utc("2026-11-29T14:00:00Z").toInstant(), next.toInstant());
        assertEquals(schedule.zone(), next.getZone());
        assertEquals(ZoneId.systemDefault(), CronSchedule.parse("0 9 * * *", null).zone());
    }

    /** On 2026-03-29 Berlin skips from 02:00 to 03:00: quartz does not run a 02:30 job at all that day. */
    @Test
    void springForwardSkipsTheMissingTime() {
        CronSchedule schedule = CronSchedule.parse("30 2 * * *", "Europe/Berlin");
        assertEquals(List.of(berlin("2026-03-28T02:30+01:00"), berlin("2026-03-30T02:30+02:00")),
                schedule.fireTimesBetween(berlin("2026-03-27T12:00+01:00"), berlin("2026-03-30T12:00+02:00"), 10));
    }

    /**
     * On 2026-10-25 Berlin lives 02:00-03:00 twice; quartz only sees the second time (standard time), so an hourly
     * job does not run at 02:00 summer time: two hours pass between runs.
     */
    @Test
    void fallBackSkipsTheFirstPassOfTheRepeatedHour() {
        CronSchedule schedule = CronSchedule.parse("0 * * * *", "Europe/Berlin");
        assertEquals(List.of(berlin("2026-10-25T01:00+02:00"), berlin("2026-10-25T02:00+01:00"),
                        berlin("2026-10-25T03:00+01:00")),
                schedule.fireTimesBetween(berlin("2026-10-25T00:30+02:00"), berlin("2026-10-25T03:30+01:00"), 10));
    }

    @Test
    void fireTimesBetweenExcludesFromIncludesToAndStopsAtMax() {
        CronSchedule schedule = CronSchedule.parse("*/15 * * * *", "UTC");
        ZonedDateTime from = utc("2026-11-29T10:15:00Z");
        assertEquals(List.of(utc("2026-11-29T10:30:00Z"), utc("2026-11-29T10:45:00Z")),
                schedule.fireTimesBetween(from, utc("2026-11-29T10:45:00Z"), 10));
        assertEquals(101, schedule.fireTimesBetween(from, from.plusDays(7), 101).size());
        assertEquals(List.of(), schedule.fireTimesBetween(from, from.plusDays(7), 0));
        assertThrows(IllegalArgumentException.class, () -> schedule.fireTimesBetween(from, from, -1));
    }

    @Test
    void nextAfterIsStrictlyAfter() {
        CronSchedule schedule = CronSchedule.parse("*/15 * * * *", "UTC");
        assertEquals(Optional.of(utc("2026-11-29T10:45:00Z")), schedule.nextAfter(utc("2026-11-29T10:30:00Z")));
        assertEquals(Optional.of(utc("2026-11-29T10:30:00Z")), schedule.nextAfter(utc("2026-11-29T10:29:59.999Z")));
    }

    /** Kubernetes accepts a schedule for 30 February; it never runs. */
    @Test
    void aScheduleThatNeverFires() {
        assertEquals(Optional.empty(), CronSchedule.parse("0 0 30 2 *", "UTC").nextAfter(NOW));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "61 * * * *        | schedule \"61 * * * *\": minute 61 is out of range 0-59",
            "0 24 * * *        | schedule \"0 24 * * *\": hour 24 is out of range 0-23",
            "0 0 0 * *         | schedule \"0 0 0 * *\": day-of-month 0 is out of range 1-31",
            "0 0 * 13 *        | schedule \"0 0 * 13 *\": month 13 is out of range 1-12",
            "0 0 * * 8         | schedule \"0 0 * * 8\": day-of-week 8 is out of range 0-7",
            "0 0 * * 1-9       | schedule \"0 0 * * 1-9\": day-of-week 9 is out of range 0-7",
            "0 0 1 * * *       | schedule \"0 0 1 * * *\": expected 5 fields (minute hour day-of-month month day-of-week), got 6",
            "0 0 1 *           | schedule \"0 0 1 *\": expected 5 fields (minute hour day-of-month month day-of-week), got 4",
            "0 0 * FOO *       | schedule \"0 0 * FOO *\": month FOO is not a number or a name (JAN-DEC)",
            "0 0 * * SUNDAY    | schedule \"0 0 * * SUNDAY\": day-of-week SUNDAY is not a number or a name (SUN-SAT)",
            "0 0 * * MON#2     | schedule \"0 0 * * MON#2\": day-of-week MON#2 is not a number or a name (SUN-SAT)",
            "L * * * *         | schedule \"L * * * *\": minute L is not a number",
            "? * * * *         | schedule \"? * * * *\": minute ? is not a number",
            "5-1 * * * *       | schedule \"5-1 * * * *\": minute range 5-1 starts after it ends",
            "*/0 * * * *       | schedule \"*/0 * * * *\": minute step in */0 must be a positive number",
            "1/2/3 * * * *     | schedule \"1/2/3 * * * *\": minute 1/2/3 has more than one step",
            "TZ=UTC 0 * * * *  | schedule \"TZ=UTC 0 * * * *\": TZ= and CRON_TZ= are not allowed in the schedule, use timeZone",
            "CRON_TZ=UTC @daily| schedule \"CRON_TZ=UTC @daily\": TZ= and CRON_TZ= are not allowed in the schedule, use timeZone",
            "@every 5m         | schedule \"@every 5m\": unknown macro @every 5m, expected @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly"})
    void badSchedules(String schedule, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CronSchedule.parse(schedule, "UTC"));
        assertEquals(message, e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"Mars/Olympus", "+02:00", "''"})
    void unknownZones(String zone) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CronSchedule.parse("0 * * * *", zone));
        assertEquals("timeZone \"" + zone + "\" is not a known IANA time zone", e.getMessage());
    }

    private static ZonedDateTime utc(String instant) {
        return ZonedDateTime.parse(instant).withZoneSameInstant(ZoneId.of("UTC"));
    }

    private static ZonedDateTime berlin(String offsetTime) {
        return ZonedDateTime.parse(offsetTime + "[Europe/Berlin]");
    }
}
