package com.meridianreview.local;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that reads {@code start} the first time it is read and runs on in real time from
 * there: whatever a runner does before it first looks at the time, a schedule due just after
 * {@code start} is then due a known, short while later.
 */
final class ClockStartingAt extends Clock {

    private final Instant start;
    private long startedNanos;
    private boolean started;

    ClockStartingAt(Instant start) {
        this.start = start;
    }

    @Override
    public synchronized Instant instant() {
        if (!started) {
            started = true;
            startedNanos = System.nanoTime();
        }
        return start.plus(Duration.ofNanos(System.nanoTime() - startedNanos));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("only UTC");
    }
}
