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
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP API and CDN in front of the functions, on a loopback port: each request becomes a
 * payload-format-2.0 event for the function whose route matches, and its response becomes HTTP.
 * Paths the CDN serves from a bucket (images) are read from the S3 emulator.
 */
final class HttpApiGateway implements AutoCloseable {

    private static final DateTimeFormatter REQUEST_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);
    private static final int MAX_BODY_BYTES = 10 * 1024 * 1024;
    static final String MAX_REQUEST_SECONDS_PROPERTY = "sun.net.httpserver.maxReqTime";
    /** On loopback a whole request, even a 10 MB body, takes milliseconds; see {@link #start}. */
    static final int MAX_REQUEST_SECONDS = 5;
    static final int MAX_WORKERS = 64;
    static final int BACKLOG = 1024;
    /** How long a client should wait before asking again when the S3 emulator does not answer. */
    static final int RETRY_AFTER_SECONDS = 5;
    private static final String NOT_FOUND_PAGE = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Not found</title></head>
            <body><h1>Not found</h1><p>Nothing is published at this address.</p></body></html>
            """;
    private static final String UNAVAILABLE_PAGE = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Try again shortly</title></head>
            <body><h1>Try again shortly</h1><p>This file cannot be read just now.</p></body></html>
            """;

    private final HttpServer server;
    private final ExecutorService workers;
    private final RouteTable routes;
    private volatile BucketFiles bucketFiles;
    private volatile LocalEventRoutes events;
    private final ObjectMapper json;
    private final RunnerOutput out;
    private final IdentityProvider identity;
    private final Outbox outbox;

    private HttpApiGateway(HttpServer server, ExecutorService workers, RouteTable routes, BucketFiles bucketFiles, ObjectMapper json, RunnerOutput out,
                           IdentityProvider identity, Outbox outbox) {
        this.server = server;
        this.workers = workers;
        this.routes = routes;
        this.bucketFiles = bucketFiles;
        this.json = json;
        this.out = out;
        this.identity = identity;
        this.outbox = outbox;
    }

    /** The runner-only address of the local identity provider's public keys (never a template route). */
    static final String JWKS_PATH = "/_local/jwks.json";

    /**
     * Serves the runner's own pages ({@value #JWKS_PATH}, {@value Outbox#PATH}, and once given
     * them the event routes of {@link LocalEventRoutes}) ahead of the template's routes;
     * {@code outbox} may be null where there is no SES emulator to read.
     */
    static HttpApiGateway start(int port, RouteTable routes, BucketFiles bucketFiles, ObjectMapper json, RunnerOutput out, IdentityProvider identity,
                                Outbox outbox) {
        // The JDK server reads its sun.net.httpserver.* properties once, when the first server in
        // the JVM is created; the runner creates this one before any function's Runtime API server.
        // The JDK server writes a response's head and body separately; without TCP_NODELAY the body
        // waits for the client's delayed ACK (about 40 ms on Linux) on every kept-alive request.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        // A request (line, headers and body) must arrive within this many seconds of its first
        // byte, or the server closes the connection (checked every second), which also ends a
        // worker's blocked read: a stalled body, a bare-LF request (the server waits for a CRLF
        // that never comes) or a chunked body that never ends. The time a request waits for its
        // function does not count: a request without a body is complete once its headers are read,
        // and a body is read before the function is called. A -D given to the JVM wins.
        if (System.getProperty(MAX_REQUEST_SECONDS_PROPERTY) == null) {
            System.setProperty(MAX_REQUEST_SECONDS_PROPERTY, Integer.toString(MAX_REQUEST_SECONDS));
        }
        HttpServer server;
        try {
            // A burst of connections (hundreds of readers' signups at once) waits in the kernel's
            // queue for a worker rather than being reset, as API Gateway would take them all.
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), BACKLOG);
        } catch (BindException e) {
            throw new TemplateException("port " + port + " on 127.0.0.1 is in use; choose another with --port");
        } catch (IOException e) {
            throw new TemplateException("cannot listen on 127.0.0.1:" + port + ": " + e.getMessage());
        }
        // The server hands each connection with a request in progress to a worker, which reads it
        // and then waits for the function: enough workers that slow or stalled clients leave room
        // for everyone else (each holds one for at most MAX_REQUEST_SECONDS), bounded so that a
        // flood queues rather than starts threads without end. Idle workers end after a while.
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor workers = new ThreadPoolExecutor(MAX_WORKERS, MAX_WORKERS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), runnable -> {
            Thread thread = new Thread(runnable, "http-api-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        workers.allowCoreThreadTimeOut(true);
        HttpApiGateway gateway = new HttpApiGateway(server, workers, routes, bucketFiles, json, out, identity, outbox);
        server.createContext("/", gateway::handle);
        server.setExecutor(workers);
        server.start();
        return gateway;
    }

    /** The bucket paths are known only once the template is read, after the port is taken. */
    void replaceBucketFiles(BucketFiles files) {
        this.bucketFiles = files;
    }

    /** So are the schedules and topics behind the runner-only event routes ({@link LocalEventRoutes}). */
    void serveEvents(LocalEventRoutes routes) {
        this.events = routes;
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
            // The JDK server has refused (400) or closed requests it could not parse, and serve
            // answers bad input itself; what is left is ours.
            System.err.println("local runner: " + exchange.getRequestURI() + " failed: " + e);
            trySend(exchange, 500, "{\"message\":\"Internal Server Error\"}");
        } finally {
            exchange.close();
        }
    }

    /** Whether the answer could be sent. */
    private static boolean trySend(HttpExchange exchange, int status, String body) {
        try {
            sendJson(exchange, status, body);
            return true;
        } catch (IOException | RuntimeException e) {
            // the response had already begun, or the client has gone; closing is all that is left
            return false;
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        String path = exchange.getRequestURI().getRawPath();
        if (method.equals("GET") && path.equals(JWKS_PATH)) {
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            sendJson(exchange, 200, identity.jwks());
            return;
        }
        if (method.equals("GET") && path.equals(Outbox.PATH) && outbox != null) {
            Outbox.Page page = outbox.render(exchange.getRequestHeaders().getFirst("Accept"));
            if (page.problem() != null) {
                out.println("outbox GET " + path + " " + page.status() + ": " + page.problem());
            }
            page.headers().forEach(exchange.getResponseHeaders()::set);
            exchange.getResponseHeaders().set("Content-Type", page.contentType());
            send(exchange, page.status(), page.body(), false);
            return;
        }
        LocalEventRoutes events = this.events;
        if (events != null && LocalEventRoutes.handles(path)) {
            byte[] body = readBodyOrAnswer(exchange, method, path);
            if (body == null) {
                return;
            }
            LocalEventRoutes.Answer answer = events.answer(method, path, exchange.getRequestURI().getRawQuery(), body);
            if (answer.status() >= 400) {
                out.println(method + " " + path + " " + answer.status() + " " + answer.body());
            }
            if (answer.allow() != null) {
                exchange.getResponseHeaders().set("Allow", answer.allow());
            }
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            sendJson(exchange, answer.status(), answer.body());
            return;
        }
        if (method.equals("GET") || method.equals("HEAD")) {
            // As the CDN's bucket behaviour: such paths never reach the HTTP API.
            Optional<BucketFiles.Lookup> lookup = bucketFiles.find(path);
            if (lookup.isPresent()) {
                serveFromBucket(exchange, method, path, lookup.get());
                return;
            }
        }
        Optional<RouteTable.Match> match = routes.match(method, path);
        if (match.isEmpty()) {
            sendJson(exchange, 404, "{\"message\":\"Not Found\"}");
            return;
        }
        IdentityProvider.Check authorization = null;
        SamApplication.JwtAuthorizer authorizer = match.get().route().authorizer();
        if (authorizer != null) {
            // As API Gateway: a guarded route's function never sees a request without a valid token.
            authorization = identity.check(authorizer, exchange.getRequestHeaders().getFirst("Authorization"));
            if (!authorization.admitted()) {
                out.println(match.get().function().function().logicalId() + " " + method + " " + path + " 401 (authorizer "
                        + authorizer.name() + ": " + authorization.refusal() + ")");
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                sendJson(exchange, 401, "{\"message\":\"Unauthorized\"}");
                return;
            }
        }
        byte[] body = readBodyOrAnswer(exchange, method, path);
        if (body == null) {
            return;
        }
        Invocation invocation = invoke(exchange, match.get(), body, authorization);
        if (invocation == null) {
            return;
        }
        FunctionPool.Result result = invocation.result();
        if (!result.outcome().succeeded()) {
            // As API Gateway answers when the function fails, times out or cannot start: no detail
            // for the client; the reason, with the request id, in the log.
            out.println(invocation.line() + "500 in " + result.durationMillis() + " ms" + invocation.cold() + ": " + result.outcome().error()
                    + " [" + invocation.requestId() + "]");
            sendJson(exchange, 500, "{\"message\":\"Internal Server Error\"}");
            return;
        }
        int status = sendResult(exchange, result.outcome().payload(), method.equals("HEAD"), null);
        out.println(invocation.line() + status + " in " + result.durationMillis() + " ms" + invocation.cold() + " [" + invocation.requestId() + "]");
    }

    /**
     * A GET or HEAD under a bucket path, answered as the CDN would: the object; a 404 for any key the
     * bucket cannot serve, with the magazine's not-found page where the template has a $default
     * route (the page the site shows for any other unknown address); a 503 when the emulator does
     * not answer. Every answer carries the bucket behaviour's response headers.
     */
    private void serveFromBucket(HttpExchange exchange, String method, String path, BucketFiles.Lookup lookup) throws IOException {
        boolean head = method.equals("HEAD");
        if (lookup instanceof BucketFiles.Found found) {
            sendFile(exchange, found.file(), head, path);
            return;
        }
        if (lookup instanceof BucketFiles.Unavailable unavailable) {
            out.println("bucket " + method + " " + path + " 503: " + unavailable.reason());
            Headers headers = exchange.getResponseHeaders();
            headers.set("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
            headers.set("Cache-Control", "no-store");
            bucketHeaders(headers, path);
            sendHtml(exchange, 503, UNAVAILABLE_PAGE, head);
            return;
        }
        String reason = ((BucketFiles.Missing) lookup).reason();
        Optional<RouteTable.Match> page = routes.match(method, path).filter(m -> m.route().path().equals("$default"));
        if (page.isPresent()) {
            byte[] body = readBodyOrAnswer(exchange, method, path);
            if (body == null) {
                return;
            }
            Invocation invocation = invoke(exchange, page.get(), body, null);
            if (invocation == null) {
                return;
            }
            FunctionPool.Result result = invocation.result();
            String timing = " in " + result.durationMillis() + " ms" + invocation.cold() + " (not in the bucket: " + reason + ")";
            if (result.outcome().succeeded()) {
                sendResult(exchange, result.outcome().payload(), head, path);
                out.println(invocation.line() + "404" + timing + " [" + invocation.requestId() + "]");
                return;
            }
            out.println(invocation.line() + "failed" + timing + ": " + result.outcome().error() + "; answered with a plain 404 [" + invocation.requestId() + "]");
        } else {
            out.println("bucket " + method + " " + path + " 404: " + reason);
        }
        bucketHeaders(exchange.getResponseHeaders(), path);
        sendHtml(exchange, 404, NOT_FOUND_PAGE, head);
    }

    /** A function's run for one request, and the start of its log line. */
    private record Invocation(FunctionPool.Result result, String requestId, String line, String cold) {
    }

    /** Runs the matched function; null when the runner is stopping (a 503 has been sent). */
    private Invocation invoke(HttpExchange exchange, RouteTable.Match match, byte[] body, IdentityProvider.Check authorization) throws IOException {
        String requestId = UUID.randomUUID().toString();
        ObjectNode request = event(exchange, match, body, requestId);
        if (authorization != null) {
            ObjectNode jwt = ((ObjectNode) request.get("requestContext")).putObject("authorizer").putObject("jwt");
            ObjectNode claims = jwt.putObject("claims");
            authorization.claims().forEach(claims::put);
            ArrayNode scopes = jwt.putArray("scopes");
            authorization.scopes().forEach(scopes::add);
        }
        byte[] event = json.writeValueAsBytes(request);
        FunctionPool function = match.function();
        FunctionPool.Result result;
        try {
            result = function.invoke(requestId, event);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sendJson(exchange, 503, "{\"message\":\"Service Unavailable\"}");
            return null;
        }
        String cold = result.coldStartMillis() >= 0 ? " (cold start, init " + result.coldStartMillis() + " ms)" : "";
        String line = function.function().logicalId() + " " + exchange.getRequestMethod().toUpperCase(Locale.ROOT) + " "
                + exchange.getRequestURI().getRawPath() + " ";
        return new Invocation(result, requestId, line, cold);
    }

    /**
     * The request body, or null when it has been answered instead: 413 when too large, 400 when it
     * cannot be read. The server throws for a malformed chunked body, and closes the connection
     * under a read that outlives the request time (then no answer can reach the client).
     */
    private byte[] readBodyOrAnswer(HttpExchange exchange, String method, String path) throws IOException {
        byte[] body;
        try {
            body = readBody(exchange);
        } catch (IOException e) {
            exchange.getResponseHeaders().set("Connection", "close");
            // Logged before the answer goes out, so that whoever reads the answer finds the line written.
            out.println(method + " " + path + " 400: the request body could not be read within "
                    + System.getProperty(MAX_REQUEST_SECONDS_PROPERTY) + " s, or was malformed (" + e + ")");
            trySend(exchange, 400, "{\"message\":\"Bad Request\"}");
            return null;
        }
        if (body == null) {
            sendJson(exchange, 413, "{\"message\":\"Request Entity Too Large\"}");
        }
        return body;
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

    /**
     * Sends what the function returned as API Gateway would, and gives the status sent; as a 404
     * with the bucket behaviour's headers when it stands in for a file the bucket cannot serve.
     */
    private int sendResult(HttpExchange exchange, byte[] result, boolean head, String missingFile) throws IOException {
        boolean bucketMiss = missingFile != null;
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
            if (bucketMiss) {
                bucketHeaders(headers, missingFile);
            }
            send(exchange, bucketMiss ? 404 : 200, result, head);
            return bucketMiss ? 404 : 200;
        }
        response.path("headers").properties().forEach(h -> headers.set(h.getKey(), h.getValue().asText()));
        response.path("cookies").forEach(cookie -> headers.add("Set-Cookie", cookie.asText()));
        String body = response.path("body").asText("");
        byte[] bytes = response.path("isBase64Encoded").asBoolean(false)
                ? Base64.getDecoder().decode(body)
                : body.getBytes(StandardCharsets.UTF_8);
        int status = bucketMiss ? 404 : response.path("statusCode").asInt(200);
        if (bucketMiss) {
            bucketHeaders(headers, missingFile);
        }
        send(exchange, status, bytes, head);
        return status;
    }

    private void sendFile(HttpExchange exchange, BucketFiles.File file, boolean head, String path) throws IOException {
        Headers headers = exchange.getResponseHeaders();
        headers.set("Content-Type", file.contentType());
        // As CloudFront passes it on: the object's own Cache-Control (renditions are immutable), else a day.
        headers.set("Cache-Control", file.cacheControl() == null ? "public, max-age=86400" : file.cacheControl());
        headers.set("ETag", file.etag());
        bucketHeaders(headers, path);
        if (file.etag().equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
            send(exchange, 304, new byte[0], true);
            return;
        }
        send(exchange, 200, file.bytes(), head);
    }

    /** The response headers policy the template gives this bucket path's CDN behaviour, on every answer under it. */
    private void bucketHeaders(Headers headers, String path) {
        bucketFiles.responseHeaders(path).forEach(headers::set);
    }

    private static void sendHtml(HttpExchange exchange, int status, String page, boolean head) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        send(exchange, status, page.getBytes(StandardCharsets.UTF_8), head);
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
