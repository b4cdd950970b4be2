package com.meridianreview.local;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The execution environments of one function, as the Lambda service keeps them: the first
 * invocation starts one (a cold start), finished ones wait warm for the next, concurrent
 * invocations start more up to a cap, and environments idle for too long are stopped.
 */
final class FunctionPool implements AutoCloseable {

    /** What one invocation came to, and whether it paid for a cold start. */
    record Result(FunctionInstance.Outcome outcome, long coldStartMillis, long durationMillis) {
    }

    private final SamApplication.Function function;
    private final LambdaLaunch launch;
    private final int maxInstances;
    private final Duration idleLimit;
    private final Consumer<String> output;
    private final Consumer<ProcessHandle> started;
    private final java.util.concurrent.Semaphore launches;
    private final Deque<FunctionInstance> idle = new ArrayDeque<>();
    private final List<FunctionInstance> all = new ArrayList<>();
    private int starting;
    private boolean closed;

    FunctionPool(SamApplication.Function function, LambdaLaunch launch, int maxInstances, Duration idleLimit,
                 Consumer<String> output, Consumer<ProcessHandle> started, java.util.concurrent.Semaphore launches) {
        this.function = function;
        this.launch = launch;
        this.maxInstances = maxInstances;
        this.idleLimit = idleLimit;
        this.output = output;
        this.started = started;
        this.launches = launches;
    }

    SamApplication.Function function() {
        return function;
    }

    LambdaLaunch launch() {
        return launch;
    }

    Duration timeout() {
        return Duration.ofSeconds(Long.parseLong(function.timeout()));
    }

    /**
     * Runs one event in a free environment, starting one if none is free and the cap allows;
     * otherwise waits for one, for at most the function's timeout.
     */
    Result invoke(String requestId, byte[] event) throws InterruptedException {
        long begin = System.nanoTime();
        while (true) {
            Result result = invokeOnce(requestId, event, begin);
            if (result.outcome() != FunctionInstance.Outcome.UNDELIVERED) {
                return result;
            }
        }
    }

    private Result invokeOnce(String requestId, byte[] event, long begin) throws InterruptedException {
        FunctionInstance instance;
        boolean cold = false;
        synchronized (this) {
            long waitUntil = System.nanoTime() + timeout().toNanos();
            while (true) {
                if (closed) {
                    return new Result(FunctionInstance.Outcome.failure("the runner is stopping", false), -1, 0);
                }
                instance = idle.pollFirst();
                if (instance != null && instance.isAlive()) {
                    break;
                }
                if (instance != null) {
                    // A dead environment: its process has ended, so closing it does not block.
                    retire(instance);
                    continue;
                }
                if (all.size() + starting < maxInstances) {
                    starting++;
                    cold = true;
                    break;
                }
                long left = waitUntil - System.nanoTime();
                if (left <= 0) {
                    return new Result(FunctionInstance.Outcome.failure("Rate Exceeded: all " + maxInstances
                            + " environments stayed busy for the function's timeout", false), -1, 0);
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
        if (cold) {
            try {
                instance = FunctionInstance.start(launch, output, started, launches);
            } catch (RuntimeException e) {
                synchronized (this) {
                    starting--;
                    notifyAll();
                }
                return new Result(FunctionInstance.Outcome.failure(e.getMessage(), true), -1, 0);
            }
            boolean stale;
            synchronized (this) {
                starting--;
                stale = closed;
                if (!stale) {
                    all.add(instance);
                }
                notifyAll();
            }
            if (stale) {
                // The runner stopped while this environment started: it must not outlive it.
                instance.close();
                return new Result(FunctionInstance.Outcome.failure("the runner is stopping", false), -1, 0);
            }
        }
        FunctionInstance.Outcome outcome = instance.invoke(requestId, event, timeout());
        boolean keep;
        synchronized (this) {
            keep = instance.isAlive() && !closed;
            if (keep) {
                // Most recently used first: the others age towards their idle limit, as on Lambda.
                idle.addFirst(instance);
            } else {
                all.remove(instance);
            }
            notifyAll();
        }
        if (!keep) {
            // Stopping a JVM can take seconds: never while holding the pool.
            instance.close();
        }
        long total = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
        return new Result(outcome, cold ? instance.initMillis() : -1, total);
    }

    /**
     * Starts one environment ahead of its first event, in the background, as provisioned
     * concurrency does; the runner uses it for the function that will ingest the sample content,
     * so that its start overlaps the runner's own.
     */
    void prestart() {
        synchronized (this) {
            if (closed || all.size() + starting >= maxInstances) {
                return;
            }
            starting++;
        }
        Thread starter = new Thread(() -> {
            FunctionInstance instance = null;
            try {
                instance = FunctionInstance.start(launch, output, started, launches);
            } catch (RuntimeException e) {
                output.accept(function.logicalId() + " could not be started ahead: " + e.getMessage());
            }
            boolean stale;
            synchronized (this) {
                starting--;
                stale = closed;
                if (instance != null && !closed) {
                    all.add(instance);
                    idle.addFirst(instance);
                }
                notifyAll();
            }
            if (stale && instance != null) {
                instance.close();
            }
        }, "prestart-" + function.logicalId());
        starter.setDaemon(true);
        starter.start();
    }

    /** Stops environments that have been idle longer than the limit. */
    void stopIdle() {
        List<FunctionInstance> stale = new ArrayList<>();
        synchronized (this) {
            for (FunctionInstance instance : List.copyOf(idle)) {
                if (instance.idleFor().compareTo(idleLimit) > 0 || !instance.isAlive()) {
                    idle.remove(instance);
                    all.remove(instance);
                    stale.add(instance);
                }
            }
        }
        stale.forEach(FunctionInstance::close);
    }

    synchronized List<ProcessHandle> processes() {
        return all.stream().map(FunctionInstance::process).toList();
    }

    @Override
    public void close() {
        List<FunctionInstance> instances;
        synchronized (this) {
            closed = true;
            instances = List.copyOf(all);
            all.clear();
            idle.clear();
            notifyAll();
        }
        instances.forEach(FunctionInstance::close);
    }

    private void retire(FunctionInstance instance) {
        all.remove(instance);
        instance.close();
    }
}
