package com.meridianreview.local;

/**
 * Hands an event to a function for asynchronous invocation, as Lambda's event queue does; the
 * runner delivers through {@link AsyncInvoker}, tests through whatever records what was sent.
 */
@FunctionalInterface
interface EventDelivery {

    /** {@code source} names where the event came from in the runner's output. */
    void deliver(String functionLogicalId, byte[] event, String source);
}
