package com.meridianreview.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** EventBridge Scheduler's rate, at and cron expressions, and when each is next due in its zone. */
class ScheduleExpressionTest {

    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final ZoneId LONDON = ZoneId.of("Europe/London");

    // ---- rate

    @Test
    void aRateIsAFixedDurationFromTheTimeItWasLastDue() {
        ScheduleExpression every = ScheduleExpression.parse("rate(5 minutes)", UTC);
        assertEquals(new ScheduleExpression.Rate("rate(5 minutes)", Duration.ofMinutes(5)), every);
        assertEquals(at("2026-11-28T08:05:00Z"), every.next(instant("2026-11-28T08:00:00Z")));
        assertEquals(Duration.ofMinutes(1), rate("rate(1 minute)"));
        assertEquals(Duration.ofHours(1), rate("rate(1 hour)"));
        assertEquals(Duration.ofHours(12), rate("rate(12 hours)"));
        assertEquals(Duration.ofDays(1), rate("rate(1 day)"));
        assertEquals(Duration.ofDays(7), rate("rate(7 days)"));
    }

    @Test
    void aDayOfARateIs24HoursEvenWhenTheClocksChange() {
        ScheduleExpression daily = ScheduleExpression.parse("rate(1 day)", LONDON);
        // 08:00 GMT on the Saturday before the clocks go forward; 24 hours on it is 09:00 BST.
        assertEquals(at("2026-03-29T08:00:00Z"), daily.next(instant("2026-03-28T08:00:00Z")));
    }

    // ---- at

    @Test
    void atIsOnceAtThatWallClockTimeInTheSchedulesZone() {
        ScheduleExpression once = ScheduleExpression.parse("at(2026-07-04T09:30:00)", LONDON);
        assertEquals(at("2026-07-04T08:30:00Z"), once.next(instant("2026-01-01T00:00:00Z")), "09:30 BST");
        assertEquals(Optional.empty(), once.next(instant("2026-07-04T08:30:00Z")), "strictly after: not again");
        assertEquals(at("2026-07-04T13:30:00Z"), ScheduleExpression.parse("at(2026-07-04T09:30:00)", ZoneId.of("America/New_York"))
                .next(instant("2026-01-01T00:00:00Z")));
        assertEquals(at("2026-11-28T08:00:00Z"), ScheduleExpression.parse("at(2026-11-28T08:00:00)", UTC).next(instant("2026-11-28T07:59:59Z")));
    }

    @Test
    void atAcceptsALeapDayOnlyInALeapYear() {
        assertEquals(at("2028-02-29T12:00:00Z"), ScheduleExpression.parse("at(2028-02-29T12:00:00)", UTC).next(instant("2028-01-01T00:00:00Z")));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> ScheduleExpression.parse("at(2027-02-29T12:00:00)", UTC));
        assertEquals("\"at(2027-02-29T12:00:00)\": a one-time schedule is at(yyyy-mm-ddThh:mm:ss), a date and time that exist", refused.getMessage());
    }

    // ---- cron

    @Test
    void cronIsEvaluatedOnTheZonesWallClockBeforeAndAfterTheClocksChange() {
        ScheduleExpression saturdays = ScheduleExpression.parse("cron(0 8 ? * SAT *)", LONDON);
        // Spring: the clocks go forward on Sunday 29 March 2026; 08:00 stays 08:00 in London.
        assertEquals(List.of(instant("2026-03-21T08:00:00Z"), instant("2026-03-28T08:00:00Z"), instant("2026-04-04T07:00:00Z")),
                times(saturdays, instant("2026-03-15T00:00:00Z"), 3));
        // Autumn: back on Sunday 25 October 2026.
        assertEquals(List.of(instant("2026-10-24T07:00:00Z"), instant("2026-10-31T08:00:00Z"), instant("2026-11-07T08:00:00Z")),
                times(saturdays, instant("2026-10-18T00:00:00Z"), 3));
        assertEquals(at("2026-11-28T08:00:00Z"), saturdays.next(instant("2026-11-27T12:00:00Z")));
        assertEquals(at("2026-11-28T08:00:00Z"), saturdays.next(instant("2026-11-28T07:59:58Z")), "the next whole minute that matches");
        assertEquals(at("2026-12-05T08:00:00Z"), saturdays.next(instant("2026-11-28T08:00:00Z")), "strictly after");
    }

    @Test
    void aTimeTheClocksSkipIsNotDueAndARepeatedOneIsDueOnce() {
        ScheduleExpression halfPastOne = ScheduleExpression.parse("cron(30 1 * * ? *)", LONDON);
        // 01:30 does not happen in London on 29 March 2026 (01:00 GMT becomes 02:00 BST).
        assertEquals(List.of(instant("2026-03-28T01:30:00Z"), instant("2026-03-30T00:30:00Z")),
                times(halfPastOne, instant("2026-03-28T00:00:00Z"), 2));
        // 01:30 happens twice on 25 October 2026, first in BST; only that one is due.
        assertEquals(List.of(instant("2026-10-25T00:30:00Z"), instant("2026-10-26T01:30:00Z")),
                times(halfPastOne, instant("2026-10-24T12:00:00Z"), 2));
        assertEquals(at("2026-10-26T01:30:00Z"), halfPastOne.next(instant("2026-10-25T01:10:00Z")),
                "from within the repeated hour, the second 01:30 is not another occurrence");
    }

    @Test
    void listsRangesStepsAndNames() {
        ScheduleExpression workingHours = ScheduleExpression.parse("cron(0/15 9-17 ? * MON-FRI *)", UTC);
        // Friday 27 November 2026, 17:50: the last one that day was 17:45; then Monday 09:00.
        assertEquals(List.of(instant("2026-11-30T09:00:00Z"), instant("2026-11-30T09:15:00Z")),
                times(workingHours, instant("2026-11-27T17:50:00Z"), 2));
        assertEquals(at("2026-11-27T17:45:00Z"), workingHours.next(instant("2026-11-27T17:31:00Z")));

        ScheduleExpression twice = ScheduleExpression.parse("cron(5,35 */6 ? JAN,JUL 2 2027)", UTC);
        // Mondays (2) of January and July 2027, at 00, 06, 12 and 18 hours, minutes 5 and 35.
        assertEquals(List.of(instant("2027-01-04T00:05:00Z"), instant("2027-01-04T00:35:00Z"), instant("2027-01-04T06:05:00Z")),
                times(twice, instant("2026-06-01T00:00:00Z"), 3));
        assertEquals(at("2027-07-05T00:05:00Z"), twice.next(instant("2027-01-25T18:35:00Z")));
        assertEquals(Optional.empty(), twice.next(instant("2027-07-26T18:35:00Z")), "the year 2027 only");

        ScheduleExpression monthly = ScheduleExpression.parse("cron(0 6 1,15 * ? *)", UTC);
        assertEquals(List.of(instant("2026-12-01T06:00:00Z"), instant("2026-12-15T06:00:00Z"), instant("2027-01-01T06:00:00Z")),
                times(monthly, instant("2026-11-15T06:00:00Z"), 3));

        assertEquals(at("2026-12-06T10:00:00Z"), ScheduleExpression.parse("cron(0 10 ? * 1 *)", UTC).next(instant("2026-11-30T00:00:00Z")),
                "day-of-week 1 is Sunday");
        assertEquals(at("2026-12-05T10:00:00Z"), ScheduleExpression.parse("cron(0 10 ? * sat *)", UTC).next(instant("2026-11-30T00:00:00Z")),
                "names in any case");
        assertEquals(at("2026-11-30T10:30:00Z"), ScheduleExpression.parse("cron(30 10-14/2 * NOV-DEC ? *)", UTC)
                .next(instant("2026-11-30T00:00:00Z")));
        assertEquals(at("2026-11-30T12:30:00Z"), ScheduleExpression.parse("cron(30 10-14/2 * NOV-DEC ? *)", UTC)
                .next(instant("2026-11-30T10:30:00Z")));
        assertEquals(at("2026-11-30T00:01:00Z"), ScheduleExpression.parse("cron(* * * * ? *)", UTC).next(instant("2026-11-30T00:00:00Z")));
    }

    @Test
    void leapDaysComeEveryFourYearsAndDatesThatNeverComeAreNeverDue() {
        assertEquals(List.of(instant("2028-02-29T12:00:00Z"), instant("2032-02-29T12:00:00Z")),
                times(ScheduleExpression.parse("cron(0 12 29 FEB ? *)", UTC), instant("2026-03-01T00:00:00Z"), 2));
        assertEquals(at("2104-02-29T00:00:00Z"), ScheduleExpression.parse("cron(0 0 29 2 ? *)", UTC).next(instant("2096-03-01T00:00:00Z")),
                "2100 is not a leap year");
        assertEquals(Optional.empty(), ScheduleExpression.parse("cron(0 0 31 FEB ? *)", UTC).next(instant("2026-01-01T00:00:00Z")));
        assertEquals(Optional.empty(), ScheduleExpression.parse("cron(0 0 1 1 ? 2199)", UTC).next(instant("2199-01-01T00:00:00Z")));
    }

    // ---- refusals

    @Test
    void invalidExpressionsAreRefusedSayingWhatIsWrong() {
        assertEquals("\"every day\" is not rate(...), at(...) or cron(...)", refusal("every day"));
        assertEquals("\"every(5 minutes)\" is not rate(...), at(...) or cron(...)", refusal("every(5 minutes)"));
        assertEquals("a schedule expression is empty", refusal(" "));
        assertEquals("\"rate(1 minutes)\": write 1 minute", refusal("rate(1 minutes)"));
        assertEquals("\"rate(5 minute)\": write 5 minutes", refusal("rate(5 minute)"));
        assertEquals("\"rate(0 minutes)\": a rate must be at least 1", refusal("rate(0 minutes)"));
        assertEquals("\"rate(2 weeks)\": the unit must be minute(s), hour(s) or day(s), not weeks", refusal("rate(2 weeks)"));
        assertEquals("\"rate(five minutes)\": a rate is rate(N minutes|hours|days), N a whole number", refusal("rate(five minutes)"));
        assertEquals("\"at(2026-11-28 08:00)\": a one-time schedule is at(yyyy-mm-ddThh:mm:ss), a date and time that exist",
                refusal("at(2026-11-28 08:00)"));
        assertEquals("\"cron(0 8 ? * SAT)\": a cron expression has six fields (minutes hours day-of-month month day-of-week year), this has 5",
                refusal("cron(0 8 ? * SAT)"));
        assertEquals("\"cron(0 8 * * SAT *)\": exactly one of day-of-month and day-of-week must be ?, the other gives the days",
                refusal("cron(0 8 * * SAT *)"));
        assertEquals("\"cron(0 8 ? * ? *)\": exactly one of day-of-month and day-of-week must be ?, the other gives the days",
                refusal("cron(0 8 ? * ? *)"));
        assertEquals("\"cron(60 8 ? * SAT *)\": minutes \"60\": 60 is outside 0-59", refusal("cron(60 8 ? * SAT *)"));
        assertEquals("\"cron(0 24 ? * SAT *)\": hours \"24\": 24 is outside 0-23", refusal("cron(0 24 ? * SAT *)"));
        assertEquals("\"cron(0 8 0 * ? *)\": day-of-month \"0\": 0 is outside 1-31", refusal("cron(0 8 0 * ? *)"));
        assertEquals("\"cron(0 8 ? * 8 *)\": day-of-week \"8\": 8 is outside 1-7", refusal("cron(0 8 ? * 8 *)"));
        assertEquals("\"cron(0 8 ? * FOO *)\": day-of-week \"FOO\": \"FOO\" is not a value (use 1-7 or SUN, MON, TUE, WED, THU, FRI, SAT)",
                refusal("cron(0 8 ? * FOO *)"));
        assertEquals("\"cron(0 8 1 JANUARY ? *)\": month \"JANUARY\": \"JANUARY\" is not a value (use 1-12 or JAN, FEB, MAR, APR, MAY, JUN, JUL, AUG, SEP, OCT, NOV, DEC)",
                refusal("cron(0 8 1 JANUARY ? *)"));
        assertEquals("\"cron(0 8 ? * FRI-MON *)\": day-of-week \"FRI-MON\": a range runs from the lower value to the higher",
                refusal("cron(0 8 ? * FRI-MON *)"));
        assertEquals("\"cron(*/0 8 ? * SAT *)\": minutes \"*/0\": a step is a whole number of at least 1", refusal("cron(*/0 8 ? * SAT *)"));
        assertEquals("\"cron(0 8 ? * SAT 1969)\": year \"1969\": 1969 is outside 1970-2199", refusal("cron(0 8 ? * SAT 1969)"));
        assertEquals("\"cron(0 ? 1 * ? *)\": hours \"?\": ? is only for day-of-month or day-of-week", refusal("cron(0 ? 1 * ? *)"));
        assertEquals("\"cron(0,,5 8 ? * SAT *)\": minutes \"\": a value is missing", refusal("cron(0,,5 8 ? * SAT *)"));
    }

    @Test
    void lastNearestWeekdayAndNthDaysAreValidInAwsButNotEvaluatedHere() {
        for (String expression : List.of("cron(0 9 L * ? *)", "cron(0 9 15W * ? *)", "cron(0 9 LW * ? *)", "cron(0 9 ? * 6L *)", "cron(0 9 ? * 6#3 *)")) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> ScheduleExpression.parse(expression, UTC));
            assertInstanceOf(ScheduleExpression.Unsupported.class, refused, expression);
            assertEquals("\"" + expression + "\": the local runner does not evaluate L, W or # in the day fields", refused.getMessage());
        }
        assertFalse(ScheduleExpression.parse("cron(0 9 ? * WED *)", UTC).next(instant("2026-01-01T00:00:00Z")).isEmpty(),
                "WED is a name, not W");
        assertTrue(ScheduleExpression.parse("cron(0 9 1 JUL ? *)", UTC).next(instant("2026-01-01T00:00:00Z")).isPresent(), "JUL is a name, not L");
    }

    // ---- helpers

    private static Duration rate(String expression) {
        return ((ScheduleExpression.Rate) ScheduleExpression.parse(expression, UTC)).period();
    }

    private static String refusal(String expression) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> ScheduleExpression.parse(expression, UTC));
        assertFalse(refused instanceof ScheduleExpression.Unsupported, expression + " is invalid, not merely unsupported");
        return refused.getMessage();
    }

    private static List<Instant> times(ScheduleExpression expression, Instant after, int count) {
        List<Instant> times = new ArrayList<>();
        Instant last = after;
        for (int i = 0; i < count; i++) {
            last = expression.next(last).orElseThrow();
            times.add(last);
        }
        return times;
    }

    private static Optional<Instant> at(String instant) {
        return Optional.of(instant(instant));
    }

    private static Instant instant(String text) {
        return Instant.parse(text);
    }
}
