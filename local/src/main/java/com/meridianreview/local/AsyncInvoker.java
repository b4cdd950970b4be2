package com.meridianreview.local;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Asynchronous invocation as Lambda performs it for S3 and SNS events and schedules: the event is queued, the caller
 * does not wait, and a failed attempt (the function's error, a timeout, a crash) is retried twice
 * with growing delays before the event is dropped with an error line. Lambda waits about one and
 * then two minutes; locally the delays are shorter so that a run does not stall.
 */
final class AsyncInvoker implements AutoCloseable {

    static final List<Duration> RETRY_DELAYS = List.of(Duration.ofSeconds(1), Duration.ofSeconds(2));

    private final java.util.Map<FunctionPool, ExecutorService> queues = new java.util.concurrent.ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "async-retry");
        thread.setDaemon(true);
        return thread;
    });
    private final RunnerOutput out;
    private int pending;
    private boolean closed;

    AsyncInvoker(RunnerOutput out) {
        this.out = out;
    }

    void submit(FunctionPool function, byte[] event, String source) {
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the runner is stopping: no more events");
            }
            pending++;
        }
        String requestId = UUID.randomUUID().toString();
        queue(function).execute(() -> attempt(function, event, source, requestId, 0));
    }

    /** Waits until every queued event has been delivered or given up on; false on timeout. */
    synchronized boolean awaitIdle(Duration limit) throws InterruptedException {
        long until = System.nanoTime() + limit.toNanos();
        while (pending > 0) {
            long left = until - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    private void attempt(FunctionPool function, byte[] event, String source, String requestId, int retry) {
        FunctionPool.Result result;
        try {
            result = function.invoke(requestId, event);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done();
            return;
        }
        String id = function.function().logicalId();
        String cold = result.coldStartMillis() >= 0 ? " (cold start, init " + result.coldStartMillis() + " ms)" : "";
        if (result.outcome().succeeded()) {
            out.println(id + " event " + source + " handled in " + result.durationMillis() + " ms" + cold + " [" + requestId + "]");
            done();
            return;
        }
        if (retry < RETRY_DELAYS.size() && !timer.isShutdown()) {
            Duration delay = RETRY_DELAYS.get(retry);
            out.println(id + " event " + source + " failed: " + result.outcome().error() + cold + " [" + requestId + "]; retrying in " + delay.toSeconds() + " s");
            try {
                timer.schedule(() -> queue(function).execute(() -> attempt(function, event, source, requestId, retry + 1)),
                        delay.toMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                // the runner is stopping; the event goes with it, as it would with its bucket
            }
        }
        out.println(id + " event " + source + " failed: " + result.outcome().error() + cold + " [" + requestId + "]; dropped after " + (retry + 1) + " attempts");
        done();
    }

    /**
     * Events for one function are delivered at most as many at a time as the machine has cores:
     * starting an environment per queued event, as Lambda would, makes each of them slower on a
     * laptop, and more than one keeps a burst of uploads (the sample images) from queueing behind
     * each other.
     */
    private ExecutorService queue(FunctionPool function) {
        int parallel = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), 4));
        return queues.computeIfAbsent(function, f -> Executors.newFixedThreadPool(parallel, runnable -> {
            Thread thread = new Thread(runnable, "async-" + f.function().logicalId());
            thread.setDaemon(true);
            return thread;
        }));
    }

    private synchronized void done() {
        pending--;
        notifyAll();
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        timer.shutdownNow();
        queues.values().forEach(ExecutorService::shutdownNow);
    }
}
