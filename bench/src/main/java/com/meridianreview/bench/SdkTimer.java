package com.meridianreview.bench;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Installed in every SDK client of the benchmark JVM (through the SDK's global interceptor list):
 * counts the AWS requests made on the measuring thread and the time spent inside them, so the
 * handler's own time can be told apart from the table's.
 */
public final class SdkTimer implements ExecutionInterceptor {

    private static final ExecutionAttribute<Long> STARTED = new ExecutionAttribute<>("bench.started");
    private static final ThreadLocal<long[]> TOTALS = ThreadLocal.withInitial(() -> new long[2]);

    /** Zeroes this thread's request count and SDK time. */
    static void reset() {
        long[] totals = TOTALS.get();
        totals[0] = 0;
        totals[1] = 0;
    }

    static long requests() {
        return TOTALS.get()[0];
    }

    static long nanos() {
        return TOTALS.get()[1];
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        attributes.putAttribute(STARTED, System.nanoTime());
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        record(attributes);
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        record(attributes);
    }

    private static void record(ExecutionAttributes attributes) {
        Long started = attributes.getAttribute(STARTED);
        if (started != null) {
            long[] totals = TOTALS.get();
            totals[0]++;
            totals[1] += System.nanoTime() - started;
        }
    }
}
