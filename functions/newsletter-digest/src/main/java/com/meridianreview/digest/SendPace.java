package com.meridianreview.digest;

/**
 * Spaces sends evenly at no more than the configured rate, so that a run stays under the SES
 * account's maximum send rate (14 a second for a new production account; raise the setting
 * when AWS raises the quota).
 */
final class SendPace {

    interface Sleeper {
        void sleepNanos(long nanos) throws InterruptedException;
    }

    private final long intervalNanos;
    private final Sleeper sleeper;
    private long next;
    private boolean started;

    SendPace(double perSecond, Sleeper sleeper) {
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("the send rate must be above 0 a second");
        }
        this.intervalNanos = (long) (1_000_000_000L / perSecond);
        this.sleeper = sleeper;
    }

    static SendPace realTime(double perSecond) {
        return new SendPace(perSecond, nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)));
    }

    /** Waits until the next send may start. */
    void await() throws InterruptedException {
        long now = System.nanoTime();
        if (started && now < next) {
            sleeper.sleepNanos(next - now);
            now = next;
        }
        started = true;
        next = now + intervalNanos;
    }
}
