package com.meridianreview.core;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/** Counts the DynamoDB requests a piece of code makes, by operation, as they go over the wire. */
public final class RequestCounter implements ExecutionInterceptor {

    private final List<String> operations = new ArrayList<>();

    @Override
    public synchronized void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        operations.add(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
    }

    public synchronized List<String> operations() {
        return List.copyOf(operations);
    }

    public synchronized void reset() {
        operations.clear();
    }
}
