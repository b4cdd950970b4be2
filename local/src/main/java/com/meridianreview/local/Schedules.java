package com.meridianreview.local;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * EventBridge Scheduler for the template's ScheduleV2 events: once started, each enabled schedule
 * invokes its function asynchronously whenever its expression is due, with the schedule's Input
 * (its context attributes filled in); any schedule can also be fired on demand. A disabled
 * schedule, or one whose expression the runner does not evaluate, fires only on demand.
 */
final class Schedules implements AutoCloseable {

    /**
     * The timer sleeps at most this long before looking at the clock again, so that a laptop's
     * suspend or a changed clock delays a firing by no more than this.
     */
    static final Duration LONGEST_SLEEP = Duration.ofSeconds(30);

    /** A schedule with its evaluated expression, or null and the reason the runner cannot evaluate it. */
    record Entry(SamApplication.Schedule schedule, ScheduleExpression expression, String unevaluated) {
    }

    /** One invocation a schedule made: the occurrence it stands for and its execution id. */
    record Fired(String schedule, Instant scheduledTime, String executionId) {
    }

    /** A schedule and when it is next due (null: only on demand), with why not when it is not. */
    record Status(SamApplication.Schedule schedule, Instant next, String note) {
    }

    private final Map<String, Entry> entries;
    private final EventDelivery delivery;
    private final Clock clock;
    private final RunnerOutput out;
    private final Map<String, Instant> planned = new HashMap<>();
    private ScheduledExecutorService timer;

    Schedules(List<SamApplication.Schedule> schedules, EventDelivery delivery, Clock clock, RunnerOutput out) {
        Map<String, Entry> byName = new LinkedHashMap<>();
        for (SamApplication.Schedule schedule : schedules) {
            byName.put(schedule.name(), entry(schedule));
        }
        this.entries = Collections.unmodifiableMap(byName);
        this.delivery = delivery;
        this.clock = clock;
        this.out = out;
    }

    private static Entry entry(SamApplication.Schedule schedule) {
        try {
            return new Entry(schedule, ScheduleExpression.parse(schedule.expression(), schedule.zone()), null);
        } catch (ScheduleExpression.Unsupported e) {
            return new Entry(schedule, null, "L, W and # are not evaluated locally");
        }
    }

    /** Plans every enabled schedule from now on, says so in one line each, and starts the timer. */
    synchronized void start() {
        if (timer != null) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "schedules");
            thread.setDaemon(true);
            return thread;
        });
        // Whole seconds, so that a rate schedule's times (and the scheduled-time it sends) are too.
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        for (Entry entry : entries.values()) {
            if (entry.schedule().enabled() && entry.expression() != null) {
                plan(entry, entry.expression().next(now));
            }
        }
        for (Status status : list()) {
            SamApplication.Schedule schedule = status.schedule();
            out.println("Schedule " + schedule.name() + ": " + schedule.expression() + " " + schedule.zone().getId() + ", "
                    + (status.next() != null ? "next " + status.next() : status.note()) + " -> " + schedule.functionLogicalId());
        }
    }

    /**
     * Invokes the named schedule's function now, as the occurrence due at {@code scheduledTime}
     * (now when null); empty when there is no such schedule.
     */
    Optional<Fired> fire(String name, Instant scheduledTime) {
        Entry entry = entries.get(name);
        if (entry == null) {
            return Optional.empty();
        }
        return Optional.of(deliver(entry.schedule(), scheduledTime == null ? clock.instant().truncatedTo(ChronoUnit.SECONDS) : scheduledTime));
    }

    List<Status> list() {
        synchronized (this) {
            return entries.values().stream().map(entry -> new Status(entry.schedule(), planned.get(entry.schedule().name()), note(entry))).toList();
        }
    }

    private String note(Entry entry) {
        if (!entry.schedule().enabled()) {
            return "disabled, fires only on demand";
        }
        if (entry.expression() == null) {
            return "fires only on demand (" + entry.unevaluated() + ")";
        }
        if (timer == null) {
            return "fires only on demand (the timetable is not running)";
        }
        return planned.containsKey(entry.schedule().name()) ? null : "not due again, fires only on demand";
    }

    /**
     * Waits until every schedule due by now has been handed to its function; false if that took
     * longer than {@code limit}.
     */
    synchronized boolean awaitDue(Duration limit) throws InterruptedException {
        Instant now = clock.instant();
        long until = System.nanoTime() + limit.toNanos();
        while (planned.values().stream().anyMatch(at -> !at.isAfter(now))) {
            long left = until - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** What the function receives: the Input (an empty object without one) with its context attributes filled in. */
    static String payload(SamApplication.Schedule schedule, Instant scheduledTime, String executionId) {
        String input = schedule.input() == null ? "{}" : schedule.input();
        return input.replace("<aws.scheduler.scheduled-time>", scheduledTime.toString())
                .replace("<aws.scheduler.execution-id>", executionId)
                .replace("<aws.scheduler.schedule-arn>", schedule.arn())
                .replace("<aws.scheduler.attempt-number>", "1");
    }

    /**
     * The occurrence after the one due at {@code due}, when the timer got to it at {@code now}:
     * any that fell due meanwhile (the machine slept) are skipped rather than sent in a burst.
     */
    static Optional<Instant> following(ScheduleExpression expression, Instant due, Instant now) {
        Optional<Instant> next = expression.next(due);
        return next.isPresent() && !next.get().isAfter(now) ? expression.next(now) : next;
    }

    private Fired deliver(SamApplication.Schedule schedule, Instant scheduledTime) {
        String executionId = UUID.randomUUID().toString();
        delivery.deliver(schedule.functionLogicalId(), payload(schedule, scheduledTime, executionId).getBytes(StandardCharsets.UTF_8),
                "schedule " + schedule.name());
        return new Fired(schedule.name(), scheduledTime, executionId);
    }

    private void plan(Entry entry, Optional<Instant> next) {
        synchronized (this) {
            if (next.isPresent()) {
                planned.put(entry.schedule().name(), next.get());
            } else {
                planned.remove(entry.schedule().name());
            }
            notifyAll();
        }
        next.ifPresent(at -> wake(entry, at));
    }

    private void wake(Entry entry, Instant due) {
        long millis = Math.max(0, Duration.between(clock.instant(), due).toMillis());
        try {
            timer.schedule(() -> due(entry, due), Math.min(millis, LONGEST_SLEEP.toMillis()), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            // the runner is stopping, and its schedules with it
        }
    }

    private void due(Entry entry, Instant due) {
        if (timer.isShutdown()) {
            return;
        }
        Instant now = clock.instant();
        if (now.isBefore(due)) {
            wake(entry, due);
            return;
        }
        try {
            deliver(entry.schedule(), due);
        } catch (RuntimeException e) {
            // One failed delivery must not end the schedule: it says so and keeps its timetable.
            out.println("Schedule " + entry.schedule().name() + " could not be delivered: " + e);
        } finally {
            plan(entry, following(entry.expression(), due, now));
        }
    }

    @Override
    public void close() {
        ScheduledExecutorService stopping;
        synchronized (this) {
            stopping = timer;
            if (stopping != null) {
                stopping.shutdownNow();
            }
            planned.clear();
            notifyAll();
        }
        if (stopping != null) {
            try {
                // A firing under way ends before the invoker behind it closes.
                stopping.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
