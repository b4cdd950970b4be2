package com.meridianreview.bench;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.meridianreview.local.LocalRunner;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * A warm function called in-process, as Lambda calls a warm environment: one invocation at a
 * time, each timed whole and split into time inside AWS requests (DynamoDB, and SES where a
 * function mails) and the handler's own.
 */
final class WarmInvocations {

    /** Requests per invocation: in all, by service ("dynamodb", "sesv2") and by operation. */
    record Result(String route, double invocationsPerSecond, Stats totalUs, Stats handlerOnlyUs, double requestsPerInvocation, double readUnitsPerInvocation,
                  Map<String, Double> requestsByService, Map<String, Double> requestsByOperation) {

        double requestsTo(String service) {
            return requestsByService.getOrDefault(service, 0.0);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RequestStreamHandler handler;

    /** render-page, built as the runner's environment for it says. */
    WarmInvocations(LocalRunner.HostedFunction function) {
        this(com.meridianreview.page.InProcessPageHandler.create(function.environment()));
    }

    WarmInvocations(RequestStreamHandler handler) {
        this.handler = handler;
    }

    Result measure(String routeKey, String path, Map<String, String> pathParameters, int warmup, int measured) throws Exception {
        return measure(routeKey, event(routeKey, path, pathParameters), 200, warmup, measured);
    }

    /** {@code status}: what every invocation must answer, so that a run of quick refusals is never reported as a route's speed. */
    Result measure(String routeKey, byte[] event, int status, int warmup, int measured) throws Exception {
        return measure(routeKey, i -> event, status, warmup, measured);
    }

    /**
     * For routes where no two calls may be alike (a signup is limited per address, a confirmation
     * link works once): call {@code i} (warm-up first, from 0) sends {@code events.apply(i)}, made
     * before the clock starts.
     */
    Result measure(String routeKey, IntFunction<byte[]> events, int status, int warmup, int measured) throws Exception {
        byte[] expected = ("{\"statusCode\":" + status + ",").getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < warmup; i++) {
            check(invoke(events.apply(i)), expected);
        }
        double[] total = new double[measured];
        double[] own = new double[measured];
        long requests = 0;
        double readUnits = 0;
        Map<String, Long> services = new TreeMap<>();
        Map<String, Long> operations = new TreeMap<>();
        long began = System.nanoTime();
        for (int i = 0; i < measured; i++) {
            byte[] event = events.apply(warmup + i);
            SdkTimer.reset();
            long start = System.nanoTime();
            ByteArrayOutputStream out = invoke(event);
            long elapsed = System.nanoTime() - start;
            check(out, expected);
            total[i] = elapsed / 1e3;
            own[i] = (elapsed - SdkTimer.nanos()) / 1e3;
            requests += SdkTimer.requests();
            readUnits += SdkTimer.readUnits();
            SdkTimer.services().forEach((name, n) -> services.merge(name, n, Long::sum));
            SdkTimer.operations().forEach((name, n) -> operations.merge(name, n, Long::sum));
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        return new Result(routeKey, measured / seconds, Stats.of(total), Stats.of(own), requests / (double) measured, readUnits / measured,
                perInvocation(services, measured), perInvocation(operations, measured));
    }

    private static Map<String, Double> perInvocation(Map<String, Long> counts, int invocations) {
        Map<String, Double> means = new TreeMap<>();
        counts.forEach((name, n) -> means.put(name, n / (double) invocations));
        return means;
    }

    /** One invocation, untimed and unchecked: for callers that time and read the answer themselves. */
    ByteArrayOutputStream invoke(byte[] event) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream(32 * 1024);
        handler.handleRequest(new ByteArrayInputStream(event), out, null);
        return out;
    }

    // The codec writes the status first, so the answer's opening bytes tell it without parsing the whole response.
    private static void check(ByteArrayOutputStream out, byte[] expected) {
        byte[] answer = out.toByteArray();
        if (!java.util.Arrays.equals(answer, 0, Math.min(answer.length, expected.length), expected, 0, expected.length)) {
            throw new IllegalStateException("unexpected response: " + out.toString(StandardCharsets.UTF_8));
        }
    }

    /** A reader's page request. */
    static byte[] event(String routeKey, String path, Map<String, String> pathParameters) throws Exception {
        return event(routeKey, path, pathParameters, Map.of(), null, Map.of(), "text/html");
    }

    /**
     * An HTTP API (payload 2.0) event for {@code routeKey} ("METHOD /path"), with a query string,
     * a JSON body and the claims a JWT authorizer would have verified, where given.
     */
    static byte[] event(String routeKey, String path, Map<String, String> pathParameters, Map<String, String> query, String body,
                        Map<String, String> claims, String accept) throws Exception {
        return event(routeKey, path, pathParameters, query, body, claims, accept, Map.of(), "127.0.0.1");
    }

    /** The same, with {@code headers} added last (a form's content type replaces the JSON one) and the connection's address. */
    static byte[] event(String routeKey, String path, Map<String, String> pathParameters, Map<String, String> query, String body,
                        Map<String, String> claims, String accept, Map<String, String> headers, String sourceIp) throws Exception {
        String method = routeKey.substring(0, routeKey.indexOf(' '));
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "2.0");
        event.put("routeKey", routeKey);
        event.put("rawPath", path);
        event.put("rawQueryString", query.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&")));
        ObjectNode sent = event.putObject("headers").put("accept", accept).put("host", "www.example.org");
        if (body != null) {
            sent.put("content-type", "application/json");
        }
        headers.forEach(sent::put);
        if (!query.isEmpty()) {
            ObjectNode parameters = event.putObject("queryStringParameters");
            query.forEach(parameters::put);
        }
        if (!pathParameters.isEmpty()) {
            ObjectNode parameters = event.putObject("pathParameters");
            pathParameters.forEach(parameters::put);
        }
        ObjectNode context = event.putObject("requestContext");
        context.put("requestId", "bench");
        context.put("routeKey", routeKey);
        if (!claims.isEmpty()) {
            ObjectNode verified = context.putObject("authorizer").putObject("jwt").putObject("claims");
            claims.forEach(verified::put);
        }
        context.putObject("http").put("method", method).put("path", path).put("sourceIp", sourceIp);
        if (body != null) {
            event.put("body", body);
        }
        event.put("isBase64Encoded", false);
        return JSON.writeValueAsBytes(event);
    }
}
