package com.meridianreview.digest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * The SES emulator behind a door that can fail: each SendEmail request takes the next planned
 * outcome (by default it passes through to the emulator unchanged), so that the sender meets the
 * answers a real SES account gives under load or misconfiguration, with the emulator keeping
 * whatever was really sent.
 */
final class SesWithFaults implements AutoCloseable {

    enum Outcome {
        PASS,
        /** 429 TooManyRequestsException: the account's rate, nothing sent. */
        THROTTLE,
        /** 400 MessageRejected: this message or address refused, nothing sent. */
        REJECT,
        /** 403 AccessDeniedException: the function may not send (a policy or identity mistake), nothing sent. */
        DENY,
        /** Sent (the emulator has it), then the connection drops before the answer. */
        SEND_THEN_DROP
    }

    private final HttpServer server;
    private final URI emulator;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Deque<Outcome> plan = new ArrayDeque<>();

    SesWithFaults(URI emulator) throws IOException {
        this.emulator = emulator;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The outcomes of the next sends, in order; after them every send passes. */
    synchronized void plan(List<Outcome> outcomes) {
        plan.clear();
        plan.addAll(outcomes);
    }

    private synchronized Outcome next() {
        return plan.isEmpty() ? Outcome.PASS : plan.removeFirst();
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        Outcome outcome = exchange.getRequestURI().getPath().endsWith("/outbound-emails") ? next() : Outcome.PASS;
        switch (outcome) {
            case THROTTLE -> error(exchange, 429, "TooManyRequestsException", "Maximum sending rate exceeded.");
            case REJECT -> error(exchange, 400, "MessageRejected", "Email address is not verified.");
            case DENY -> error(exchange, 403, "AccessDeniedException", "not authorized to perform: ses:SendEmail");
            case PASS, SEND_THEN_DROP -> {
                HttpResponse<byte[]> answer = forward(exchange, body);
                if (outcome == Outcome.SEND_THEN_DROP) {
                    // The emulator took the message; the caller never hears so.
                    exchange.close();
                    return;
                }
                answer.headers().firstValue("content-type").ifPresent(type -> exchange.getResponseHeaders().set("Content-Type", type));
                exchange.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer.body());
                }
            }
        }
    }

    private HttpResponse<byte[]> forward(HttpExchange exchange, byte[] body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(emulator.resolve(exchange.getRequestURI().toString()))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
            String name = header.getKey().toLowerCase(java.util.Locale.ROOT);
            if (!List.of("host", "content-length", "connection", "expect", "transfer-encoding").contains(name)) {
                header.getValue().forEach(value -> request.header(header.getKey(), value));
            }
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static void error(HttpExchange exchange, int status, String type, String message) throws IOException {
        byte[] body = ("{\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("x-amzn-ErrorType", type);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
