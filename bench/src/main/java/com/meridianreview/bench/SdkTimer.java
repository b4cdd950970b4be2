package com.meridianreview.bench;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * Installed in every SDK client of the benchmark JVM (through the SDK's global interceptor list):
 * counts the AWS requests made on the measuring thread, the time spent inside them and the read
 * capacity they consume, so the handler's own time and the table's cost can be told apart.
 */
public final class SdkTimer implements ExecutionInterceptor {

    private static final ExecutionAttribute<Long> STARTED = new ExecutionAttribute<>("bench.started");
    private static final ThreadLocal<double[]> TOTALS = ThreadLocal.withInitial(() -> new double[3]);
    private static final ThreadLocal<Map<String, Long>> OPERATIONS = ThreadLocal.withInitial(java.util.TreeMap::new);
    private static final ThreadLocal<Map<String, Long>> SERVICES = ThreadLocal.withInitial(java.util.TreeMap::new);

    /** Zeroes this thread's request count, SDK time, read capacity and requests by operation and by service. */
    static void reset() {
        java.util.Arrays.fill(TOTALS.get(), 0);
        OPERATIONS.get().clear();
        SERVICES.get().clear();
    }

    /**
     * This thread's requests since the last reset by service, named as the SDK's model packages
     * are ("dynamodb", "sesv2"): a function with two clients has its table's requests told apart
     * from its mail.
     */
    static Map<String, Long> services() {
        return new java.util.TreeMap<>(SERVICES.get());
    }

    /**
     * This thread's requests since the last reset by operation name; a Query that only counts is
     * told apart, as it is the one whose number of pages grows with a listing's length.
     */
    static Map<String, Long> operations() {
        return new java.util.TreeMap<>(OPERATIONS.get());
    }

    static long requests() {
        return (long) TOTALS.get()[0];
    }

    static long nanos() {
        return (long) TOTALS.get()[1];
    }

    static double readUnits() {
        return TOTALS.get()[2];
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        attributes.putAttribute(STARTED, System.nanoTime());
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        if (context.request() instanceof QueryRequest query) {
            return query.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        }
        return context.request();
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        record(attributes);
        countOperation(context.request(), attributes);
        double[] totals = TOTALS.get();
        if (context.response() instanceof QueryResponse query && query.consumedCapacity() != null) {
            totals[2] += query.consumedCapacity().capacityUnits();
        } else if (context.response() instanceof GetItemResponse get && context.request() instanceof GetItemRequest request) {
            // DynamoDB charges an eventually consistent GetItem half a unit per started 4 KB of the
            // whole item; the emulator reports a flat half unit, so the size is counted here.
            double units = Math.ceil(Math.max(1, itemBytes(get.item())) / 4096.0);
            totals[2] += Boolean.TRUE.equals(request.consistentRead()) ? units : units / 2;
        }
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        record(attributes);
        countOperation(context.request(), attributes);
    }

    private static void countOperation(SdkRequest request, ExecutionAttributes attributes) {
        if (attributes.getAttribute(STARTED) == null) {
            return;
        }
        String name = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        if (request instanceof QueryRequest query && query.select() == Select.COUNT) {
            name += " (COUNT)";
        }
        OPERATIONS.get().merge(name == null ? "?" : name, 1L, Long::sum);
        SERVICES.get().merge(service(request), 1L, Long::sum);
    }

    private static String service(SdkRequest request) {
        String model = request.getClass().getPackageName();
        int at = model.indexOf(".services.");
        if (at < 0) {
            return "?";
        }
        String rest = model.substring(at + ".services.".length());
        return rest.contains(".") ? rest.substring(0, rest.indexOf('.')) : rest;
    }

    private static void record(ExecutionAttributes attributes) {
        Long started = attributes.getAttribute(STARTED);
        if (started != null) {
            double[] totals = TOTALS.get();
            totals[0]++;
            totals[1] += System.nanoTime() - started;
        }
    }

    /** An item's size as DynamoDB counts it: attribute names plus values, with small overheads for lists and maps. */
    static long itemBytes(Map<String, AttributeValue> item) {
        long bytes = 0;
        if (item == null) {
            return 0;
        }
        for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
            bytes += attribute.getKey().getBytes(StandardCharsets.UTF_8).length + valueBytes(attribute.getValue());
        }
        return bytes;
    }

    private static long valueBytes(AttributeValue value) {
        if (value.s() != null) {
            return value.s().getBytes(StandardCharsets.UTF_8).length;
        }
        if (value.n() != null) {
            return (value.n().length() + 1) / 2 + 1;
        }
        if (value.bool() != null || Boolean.TRUE.equals(value.nul())) {
            return 1;
        }
        if (value.hasL()) {
            long bytes = 3;
            for (AttributeValue element : value.l()) {
                bytes += 1 + valueBytes(element);
            }
            return bytes;
        }
        if (value.hasM()) {
            return 3 + itemBytes(value.m()) + value.m().size();
        }
        return value.b() == null ? 0 : value.b().asByteArray().length;
    }
}
