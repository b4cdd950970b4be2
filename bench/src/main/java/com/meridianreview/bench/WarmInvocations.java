package com.meridianreview.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.meridianreview.local.LocalRunner;
import com.meridianreview.page.PageHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Map;

/**
 * A warm page function called in-process, as Lambda calls a warm environment: one invocation at a
 * time, each timed whole and split into time inside DynamoDB requests and the handler's own.
 */
final class WarmInvocations {

    record Result(String route, double invocationsPerSecond, Stats totalUs, Stats handlerOnlyUs, double requestsPerInvocation, double readUnitsPerInvocation) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PageHandler handler;

    WarmInvocations(LocalRunner.HostedFunction function) {
        this.handler = com.meridianreview.page.InProcessPageHandler.create(function.environment());
    }

    Result measure(String routeKey, String path, Map<String, String> pathParameters, int warmup, int measured) throws Exception {
        byte[] event = event(routeKey, path, pathParameters);
        for (int i = 0; i < warmup; i++) {
            invoke(event);
        }
        double[] total = new double[measured];
        double[] own = new double[measured];
        long requests = 0;
        double readUnits = 0;
        long began = System.nanoTime();
        for (int i = 0; i < measured; i++) {
            SdkTimer.reset();
            long start = System.nanoTime();
            invoke(event);
            long elapsed = System.nanoTime() - start;
            total[i] = elapsed / 1e3;
            own[i] = (elapsed - SdkTimer.nanos()) / 1e3;
            requests += SdkTimer.requests();
            readUnits += SdkTimer.readUnits();
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        return new Result(routeKey, measured / seconds, Stats.of(total), Stats.of(own), requests / (double) measured, readUnits / measured);
    }

    private void invoke(byte[] event) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream(32 * 1024);
        handler.handleRequest(new ByteArrayInputStream(event), out, null);
        if (out.size() < 100) {
            throw new IllegalStateException("unexpected response: " + out);
        }
    }

    static byte[] event(String routeKey, String path, Map<String, String> pathParameters) throws Exception {
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "2.0");
        event.put("routeKey", routeKey);
        event.put("rawPath", path);
        event.put("rawQueryString", "");
        event.putObject("headers").put("accept", "text/html").put("host", "www.example.org");
        if (!pathParameters.isEmpty()) {
            ObjectNode parameters = event.putObject("pathParameters");
            pathParameters.forEach(parameters::put);
        }
        ObjectNode context = event.putObject("requestContext");
        context.put("requestId", "bench");
        context.put("routeKey", routeKey);
        context.putObject("http").put("method", "GET").put("path", path).put("sourceIp", "127.0.0.1");
        event.put("isBase64Encoded", false);
        return JSON.writeValueAsBytes(event);
    }
}
