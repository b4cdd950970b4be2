package com.meridianreview.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The runner's EventBridge Scheduler: its timetable, what a firing sends, and firing on demand. */
class SchedulesTest {

    private static final ZoneId LONDON = ZoneId.of("Europe/London");
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final String INPUT = "{\"at\":\"<aws.scheduler.scheduled-time>\",\"id\":\"<aws.scheduler.execution-id>\","
            + "\"arn\":\"<aws.scheduler.schedule-arn>\",\"attempt\":<aws.scheduler.attempt-number>}";

    private record Delivered(String function, String event, String source) {
    }

    private final List<Delivered> delivered = new CopyOnWriteArrayList<>();
    private final EventDelivery delivery = (function, event, source) -> delivered.add(new Delivered(function, new String(event, StandardCharsets.UTF_8), source));
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final RunnerOutput out = new RunnerOutput(new PrintStream(output, true, StandardCharsets.UTF_8));

    @Test
    void theInputCarriesTheSchedulersContextAttributes() {
        SamApplication.Schedule digest = schedule("WeeklyDigest", "cron(0 8 ? * SAT *)", LONDON, INPUT, true);
        assertEquals("{\"at\":\"2026-11-28T08:00:00Z\",\"id\":\"e-1\",\"arn\":\"arn:aws:scheduler:us-east-1:000000000000:schedule/default/WeeklyDigest\","
                + "\"attempt\":1}", Schedules.payload(digest, Instant.parse("2026-11-28T08:00:00Z"), "e-1"));
        assertEquals("{}", Schedules.payload(schedule("Bare", "rate(1 day)", UTC, null, true), Instant.EPOCH, "e-2"), "no Input: an empty object");
    }

    @Test
    void atStartEachScheduleSaysWhenItIsNextDue() {
        Clock friday = Clock.fixed(Instant.parse("2026-11-27T12:00:30.250Z"), ZoneOffset.UTC);
        try (Schedules schedules = new Schedules(List.of(
                schedule("WeeklyDigest", "cron(0 8 ? * SAT *)", LONDON, INPUT, true),
                schedule("Hourly", "rate(1 hour)", UTC, null, true),
                schedule("Paused", "rate(5 minutes)", UTC, null, false),
                schedule("LastFriday", "cron(0 9 ? * 6L *)", UTC, null, true),
                schedule("Launch", "at(2026-01-01T00:00:00)", UTC, null, true)), delivery, friday, out)) {
            schedules.start();
            assertEquals("""
                    Schedule WeeklyDigest: cron(0 8 ? * SAT *) Europe/London, next 2026-11-28T08:00:00Z -> Fn
                    Schedule Hourly: rate(1 hour) UTC, next 2026-11-27T13:00:30Z -> Fn
                    Schedule Paused: rate(5 minutes) UTC, disabled, fires only on demand -> Fn
                    Schedule LastFriday: cron(0 9 ? * 6L *) UTC, fires only on demand (L, W and # are not evaluated locally) -> Fn
                    Schedule Launch: at(2026-01-01T00:00:00) UTC, not due again, fires only on demand -> Fn
                    """, output.toString(StandardCharsets.UTF_8));
            List<Schedules.Status> list = schedules.list();
            assertEquals(Instant.parse("2026-11-28T08:00:00Z"), list.get(0).next());
            assertNull(list.get(0).note());
            assertNull(list.get(2).next());
            assertTrue(delivered.isEmpty(), "nothing is due yet");
        }
    }

    @Test
    void onDemandTheSameOccurrenceCanBeSentAgainWithAFreshExecutionId() {
        Clock clock = Clock.fixed(Instant.parse("2026-11-27T12:00:30.250Z"), ZoneOffset.UTC);
        try (Schedules schedules = new Schedules(List.of(schedule("WeeklyDigest", "cron(0 8 ? * SAT *)", LONDON, INPUT, true),
                schedule("Paused", "rate(5 minutes)", UTC, null, false)), delivery, clock, out)) {
            Instant saturday = Instant.parse("2026-11-28T08:00:00Z");
            Schedules.Fired first = schedules.fire("WeeklyDigest", saturday).orElseThrow();
            Schedules.Fired again = schedules.fire("WeeklyDigest", saturday).orElseThrow();
            assertEquals(saturday, first.scheduledTime());
            assertNotEquals(first.executionId(), again.executionId());
            assertEquals(List.of(
                    new Delivered("Fn", Schedules.payload(schedules.list().get(0).schedule(), saturday, first.executionId()), "schedule WeeklyDigest"),
                    new Delivered("Fn", Schedules.payload(schedules.list().get(0).schedule(), saturday, again.executionId()), "schedule WeeklyDigest")),
                    delivered);

            Schedules.Fired now = schedules.fire("Paused", null).orElseThrow();
            assertEquals(Instant.parse("2026-11-27T12:00:30Z"), now.scheduledTime(), "now, in whole seconds; a disabled schedule fires on demand");
            assertEquals(new Delivered("Fn", "{}", "schedule Paused"), delivered.get(2));
            assertEquals(Optional.empty(), schedules.fire("Nope", null));
        }
    }

    @Test
    void occurrencesMissedWhileTheMachineSleptAreSkipped() {
        ScheduleExpression hourly = ScheduleExpression.parse("cron(0 * * * ? *)", UTC);
        assertEquals(Optional.of(Instant.parse("2026-11-28T09:00:00Z")),
                Schedules.following(hourly, Instant.parse("2026-11-28T08:00:00Z"), Instant.parse("2026-11-28T08:00:00.020Z")));
        assertEquals(Optional.of(Instant.parse("2026-11-28T12:00:00Z")),
                Schedules.following(hourly, Instant.parse("2026-11-28T08:00:00Z"), Instant.parse("2026-11-28T11:20:00Z")));
        ScheduleExpression rate = ScheduleExpression.parse("rate(1 hour)", UTC);
        assertEquals(Optional.of(Instant.parse("2026-11-28T09:00:00Z")),
                Schedules.following(rate, Instant.parse("2026-11-28T08:00:00Z"), Instant.parse("2026-11-28T08:00:00.020Z")), "on time: the rate keeps its step");
        assertEquals(Optional.of(Instant.parse("2026-11-28T12:20:00Z")),
                Schedules.following(rate, Instant.parse("2026-11-28T08:00:00Z"), Instant.parse("2026-11-28T11:20:00Z")));
    }

    @Test
    void aScheduleFiresOnItsOwnWhenDueAndIsPlannedAgain() throws Exception {
        // One second before the digest is due: it fires about a second after start.
        Clock clock = new ClockStartingAt(Instant.parse("2026-11-28T07:59:59Z"));
        try (Schedules schedules = new Schedules(List.of(schedule("WeeklyDigest", "cron(0 8 ? * SAT *)", LONDON, INPUT, true)), delivery, clock, out)) {
            schedules.start();
            while (clock.instant().isBefore(Instant.parse("2026-11-28T08:00:00Z"))) {
                Thread.sleep(50);
            }
            assertTrue(schedules.awaitDue(Duration.ofSeconds(30)), "waits for what is due by now");
            assertEquals(1, delivered.size());
            assertTrue(delivered.get(0).event().startsWith("{\"at\":\"2026-11-28T08:00:00Z\""), delivered.get(0).event());
            assertEquals(Instant.parse("2026-12-05T08:00:00Z"), schedules.list().get(0).next());
        }
    }

    @Test
    void withoutStartNothingIsPlannedAndAwaitingReturnsAtOnce() throws Exception {
        try (Schedules schedules = new Schedules(List.of(schedule("WeeklyDigest", "cron(0 8 ? * SAT *)", LONDON, INPUT, true)), delivery,
                Clock.systemUTC(), out)) {
            assertTrue(schedules.awaitDue(Duration.ZERO));
            assertNull(schedules.list().get(0).next());
            assertEquals("fires only on demand (the timetable is not running)", schedules.list().get(0).note());
        }
    }

    private static SamApplication.Schedule schedule(String name, String expression, ZoneId zone, String input, boolean enabled) {
        return new SamApplication.Schedule("Fn", name, name, expression, zone, input, enabled);
    }
}
