package com.meridianreview.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;

/**
 * The Lambda Runtime API on a loopback port, for one invocation: the first "next" hands out the
 * event, the response completes the run, and any later "next" is left waiting, as Lambda leaves
 * an idle environment. Timestamps are taken as the requests arrive.
 */
final class RuntimeApi implements AutoCloseable {

    private static final String PREFIX = "/2018-06-01/runtime/";

    private final HttpServer server;
    private final byte[] event;
    private final CompletableFuture<Long> firstNext = new CompletableFuture<>();
    private final CompletableFuture<Long> responded = new CompletableFuture<>();
    private volatile String response = "";

    RuntimeApi(byte[] event) throws IOException {
        this.event = event;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "runtime-api");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
    }

    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    CompletableFuture<Long> firstNext() {
        return firstNext;
    }

    CompletableFuture<Long> responded() {
        return responded;
    }

    String response() {
        return response;
    }

    private void handle(HttpExchange exchange) throws IOException {
        long now = System.nanoTime();
        String path = exchange.getRequestURI().getPath();
        if (path.equals(PREFIX + "invocation/next")) {
            if (!firstNext.complete(now)) {
                return; // a second invocation never comes: the environment idles until killed
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("Lambda-Runtime-Aws-Request-Id", "bench-request-1");
            exchange.getResponseHeaders().set("Lambda-Runtime-Deadline-Ms", Long.toString(System.currentTimeMillis() + 30_000));
            exchange.getResponseHeaders().set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:000000000000:function:bench");
            exchange.getResponseHeaders().set("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000");
            exchange.sendResponseHeaders(200, event.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(event);
            }
            return;
        }
        byte[] body = exchange.getRequestBody().readAllBytes();
        if (path.endsWith("/response")) {
            response = new String(body, java.nio.charset.StandardCharsets.UTF_8);
            responded.complete(now);
        } else if (path.endsWith("/error")) {
            response = new String(body, java.nio.charset.StandardCharsets.UTF_8);
            responded.completeExceptionally(new IllegalStateException("the function reported an error: " + response));
        }
        exchange.sendResponseHeaders(202, -1);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
