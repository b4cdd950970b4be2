package com.meridianreview.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP API and CDN in front of the functions, on a loopback port: each request becomes a
 * payload-format-2.0 event for the function whose route matches, and its response becomes HTTP.
 * Paths the CDN serves from a bucket (images) are read from the S3 emulator.
 */
final class HttpApiGateway implements AutoCloseable {

    private static final DateTimeFormatter REQUEST_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);
    private static final int MAX_BODY_BYTES = 10 * 1024 * 1024;

    private final HttpServer server;
    private final ExecutorService workers;
    private final RouteTable routes;
    private volatile BucketFiles bucketFiles;
    private final ObjectMapper json;
    private final RunnerOutput out;

    private HttpApiGateway(HttpServer server, ExecutorService workers, RouteTable routes, BucketFiles bucketFiles, ObjectMapper json, RunnerOutput out) {
        this.server = server;
        this.workers = workers;
        this.routes = routes;
        this.bucketFiles = bucketFiles;
        this.json = json;
        this.out = out;
    }

    static HttpApiGateway start(int port, RouteTable routes, BucketFiles bucketFiles, ObjectMapper json, RunnerOutput out) {
        // The JDK server writes a response's head and body separately; without TCP_NODELAY the body
        // waits for the client's delayed ACK (about 40 ms on Linux) on every kept-alive request.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
        } catch (BindException e) {
            throw new TemplateException("port " + port + " on 127.0.0.1 is in use; choose another with --port");
        } catch (IOException e) {
            throw new TemplateException("cannot listen on 127.0.0.1:" + port + ": " + e.getMessage());
        }
        ExecutorService workers = Executors.newFixedThreadPool(16, runnable -> {
            Thread thread = new Thread(runnable, "http-api");
            thread.setDaemon(true);
            return thread;
        });
        HttpApiGateway gateway = new HttpApiGateway(server, workers, routes, bucketFiles, json, out);
        server.createContext("/", gateway::handle);
        server.setExecutor(workers);
        server.start();
        return gateway;
    }

    /** The bucket paths are known only once the template is read, after the port is taken. */
    void replaceBucketFiles(BucketFiles files) {
        this.bucketFiles = files;
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(HttpExchange exchange) {
        try {
            serve(exchange);
        } catch (RuntimeException | IOException e) {
            // The JDK server has already refused malformed requests with a 400; what is left is ours.
            System.err.println("local runner: " + exchange.getRequestURI() + " failed: " + e);
            trySend(exchange, 500, "{\"message\":\"Internal Server Error\"}");
        } finally {
            exchange.close();
        }
    }

    private static void trySend(HttpExchange exchange, int status, String body) {
        try {
            sendJson(exchange, status, body);
        } catch (IOException | RuntimeException e) {
            // the response had already begun, or the client has gone; closing is all that is left
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        String path = exchange.getRequestURI().getRawPath();
        Optional<BucketFiles.File> file = bucketFiles.find(URLDecoder.decode(path, StandardCharsets.UTF_8));
        if (file.isPresent() && (method.equals("GET") || method.equals("HEAD"))) {
            sendFile(exchange, file.get(), method.equals("HEAD"));
            return;
        }
        Optional<RouteTable.Match> match = routes.match(method, path);
        if (match.isEmpty()) {
            sendJson(exchange, 404, "{\"message\":\"Not Found\"}");
            return;
        }
        byte[] body = readBody(exchange);
        if (body == null) {
            sendJson(exchange, 413, "{\"message\":\"Request Entity Too Large\"}");
            return;
        }
        String requestId = UUID.randomUUID().toString();
        byte[] event = json.writeValueAsBytes(event(exchange, match.get(), body, requestId));
        FunctionPool function = match.get().function();
        FunctionPool.Result result;
        try {
            result = function.invoke(requestId, event);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sendJson(exchange, 503, "{\"message\":\"Service Unavailable\"}");
            return;
        }
        String id = function.function().logicalId();
        String cold = result.coldStartMillis() >= 0 ? " (cold start, init " + result.coldStartMillis() + " ms)" : "";
        String line = id + " " + method + " " + exchange.getRequestURI().getRawPath() + " ";
        if (!result.outcome().succeeded()) {
            // As API Gateway answers when the function fails, times out or cannot start: no detail
            // for the client; the reason, with the request id, in the log.
            out.println(line + "500 in " + result.durationMillis() + " ms" + cold + ": " + result.outcome().error() + " [" + requestId + "]");
            sendJson(exchange, 500, "{\"message\":\"Internal Server Error\"}");
            return;
        }
        int status = sendResult(exchange, result.outcome().payload(), method.equals("HEAD"));
        out.println(line + status + " in " + result.durationMillis() + " ms" + cold + " [" + requestId + "]");
    }

    private ObjectNode event(HttpExchange exchange, RouteTable.Match match, byte[] body, String requestId) {
        ObjectNode event = json.createObjectNode();
        event.put("version", "2.0");
        event.put("routeKey", match.route().routeKey());
        event.put("rawPath", exchange.getRequestURI().getRawPath());
        String rawQuery = exchange.getRequestURI().getRawQuery();
        event.put("rawQueryString", rawQuery == null ? "" : rawQuery);
        ArrayNode cookies = json.createArrayNode();
        ObjectNode headers = json.createObjectNode();
        for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (name.equals("cookie")) {
                for (String value : header.getValue()) {
                    for (String cookie : value.split(";")) {
                        if (!cookie.isBlank()) {
                            cookies.add(cookie.trim());
                        }
                    }
                }
            } else {
                headers.put(name, String.join(",", header.getValue()));
            }
        }
        headers.put("x-forwarded-proto", "http");
        headers.put("x-forwarded-for", exchange.getRemoteAddress().getAddress().getHostAddress());
        if (!cookies.isEmpty()) {
            event.set("cookies", cookies);
        }
        event.set("headers", headers);
        if (rawQuery != null && !rawQuery.isEmpty()) {
            event.set("queryStringParameters", queryParameters(rawQuery));
        }
        if (!match.pathParameters().isEmpty()) {
            ObjectNode parameters = json.createObjectNode();
            match.pathParameters().forEach(parameters::put);
            event.set("pathParameters", parameters);
        }
        ObjectNode context = event.putObject("requestContext");
        context.put("accountId", SamApplication.ACCOUNT);
        context.put("apiId", "local");
        context.put("domainName", exchange.getRequestHeaders().getFirst("Host") == null ? "127.0.0.1" : exchange.getRequestHeaders().getFirst("Host"));
        context.put("domainPrefix", "local");
        ObjectNode http = context.putObject("http");
        http.put("method", exchange.getRequestMethod().toUpperCase(Locale.ROOT));
        http.put("path", exchange.getRequestURI().getRawPath());
        http.put("protocol", exchange.getProtocol());
        http.put("sourceIp", exchange.getRemoteAddress().getAddress().getHostAddress());
        http.put("userAgent", Optional.ofNullable(exchange.getRequestHeaders().getFirst("User-Agent")).orElse(""));
        context.put("requestId", requestId);
        context.put("routeKey", match.route().routeKey());
        context.put("stage", "$default");
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        context.put("time", REQUEST_TIME.format(now));
        context.put("timeEpochMilli", now.toInstant().toEpochMilli());
        if (body.length > 0) {
            String contentType = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Content-Type")).orElse("");
            if (isText(contentType)) {
                event.put("body", new String(body, StandardCharsets.UTF_8));
                event.put("isBase64Encoded", false);
            } else {
                event.put("body", Base64.getEncoder().encodeToString(body));
                event.put("isBase64Encoded", true);
            }
        } else {
            event.put("isBase64Encoded", false);
        }
        return event;
    }

    private ObjectNode queryParameters(String rawQuery) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            // API Gateway joins repeated parameters with commas
            values.merge(name, value, (a, b) -> a + "," + b);
        }
        ObjectNode node = json.createObjectNode();
        values.forEach(node::put);
        return node;
    }

    /** Sends what the function returned as API Gateway would, and gives the status sent. */
    private int sendResult(HttpExchange exchange, byte[] result, boolean head) throws IOException {
        JsonNode response;
        try {
            response = json.readTree(result);
        } catch (IOException e) {
            response = null;
        }
        Headers headers = exchange.getResponseHeaders();
        if (response == null || !response.isObject() || !response.has("statusCode")) {
            // Without a statusCode, API Gateway treats the whole result as a JSON body.
            headers.set("Content-Type", "application/json");
            send(exchange, 200, result, head);
            return 200;
        }
        response.path("headers").properties().forEach(h -> headers.set(h.getKey(), h.getValue().asText()));
        response.path("cookies").forEach(cookie -> headers.add("Set-Cookie", cookie.asText()));
        String body = response.path("body").asText("");
        byte[] bytes = response.path("isBase64Encoded").asBoolean(false)
                ? Base64.getDecoder().decode(body)
                : body.getBytes(StandardCharsets.UTF_8);
        int status = response.path("statusCode").asInt(200);
        send(exchange, status, bytes, head);
        return status;
    }

    private void sendFile(HttpExchange exchange, BucketFiles.File file, boolean head) throws IOException {
        Headers headers = exchange.getResponseHeaders();
        headers.set("Content-Type", file.contentType());
        headers.set("Cache-Control", "public, max-age=86400");
        headers.set("ETag", file.etag());
        headers.set("X-Content-Type-Options", "nosniff");
        // As the CDN's response headers policy for images: never treated as a page.
        headers.set("Content-Security-Policy", "default-src 'none'; sandbox");
        if (file.etag().equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
            send(exchange, 304, new byte[0], true);
            return;
        }
        send(exchange, 200, file.bytes(), head);
    }

    private static void sendJson(HttpExchange exchange, int status, String body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        send(exchange, status, body.getBytes(StandardCharsets.UTF_8), false);
    }

    private static void send(HttpExchange exchange, int status, byte[] body, boolean head) throws IOException {
        boolean empty = head || status == 304 || status == 204 || body.length == 0;
        exchange.sendResponseHeaders(status, empty ? -1 : body.length);
        if (!empty) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static byte[] readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            return body.length > MAX_BODY_BYTES ? null : body;
        }
    }

    private static boolean isText(String contentType) {
        String type = contentType.toLowerCase(Locale.ROOT);
        return type.startsWith("text/") || type.contains("json") || type.contains("x-www-form-urlencoded") || type.contains("xml");
    }
}
