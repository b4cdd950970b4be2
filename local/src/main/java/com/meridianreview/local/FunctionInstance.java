package com.meridianreview.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.Executors;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One execution environment: a child JVM running the Lambda Runtime Interface Client with the
 * function's jar, and the Lambda Runtime API it polls, served on a loopback port of its own. It
 * takes one invocation at a time, as Lambda gives an environment one event at a time.
 */
final class FunctionInstance implements AutoCloseable {

    private static final String API = "/2018-06-01/runtime/";
    /** Lambda gives a function's init phase ten seconds. */
    static final Duration INIT_LIMIT = Duration.ofSeconds(10);

    /** What an invocation came to; {@code error} is null on success. */
    record Outcome(byte[] payload, String error, boolean fatal) {
        static Outcome success(byte[] payload) {
            return new Outcome(payload, null, false);
        }

        static Outcome failure(String error, boolean fatal) {
            return new Outcome(new byte[0], error, fatal);
        }

        /** The environment ended before it took the event, which can then go to another. */
        static final Outcome UNDELIVERED = new Outcome(new byte[0], "the environment ended before taking the event", true);

        boolean succeeded() {
            return error == null;
        }
    }

    private record Pending(String requestId, byte[] event, long deadlineMillis, CompletableFuture<Outcome> outcome) {
    }

    private final LambdaLaunch launch;
    private final HttpServer server;
    private final ExecutorService apiThreads;
    private final Process process;
    private final long startedNanos;
    private final SynchronousQueue<Pending> handoff = new SynchronousQueue<>();
    private final CompletableFuture<Long> initialised = new CompletableFuture<>();
    private volatile Pending current;
    /** The last event handed out: the runtime may still report on it after its answer was taken. */
    private volatile String lastRequestId;
    private volatile String initError;
    private volatile long lastUsedNanos = System.nanoTime();

    private FunctionInstance(LambdaLaunch launch, HttpServer server, ExecutorService apiThreads, Process process, long startedNanos) {
        this.launch = launch;
        this.server = server;
        this.apiThreads = apiThreads;
        this.process = process;
        this.startedNanos = startedNanos;
    }

    /**
     * Starts the JVM; its init runs while the first invocation is on its way. {@code launches}
     * admits one JVM at a time until its runtime asks for an event: the runtime client unpacks its
     * native library to the same path under /tmp in every JVM (on Lambda each environment has a
     * /tmp of its own), so two runtimes starting together can load each other's half-written copy.
     */
    static FunctionInstance start(LambdaLaunch launch, Consumer<String> output, Consumer<ProcessHandle> started, Semaphore launches) {
        HttpServer server;
        try {
            // Port 0: the kernel picks, and the child learns it from AWS_LAMBDA_RUNTIME_API.
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serve the Runtime API on loopback: " + e.getMessage(), e);
        }
        ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "runtime-api-" + launch.functionName());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(threads);
        server.start();
        String api = "127.0.0.1:" + server.getAddress().getPort();
        launches.acquireUninterruptibly();
        long startedNanos = System.nanoTime();
        Process process;
        try {
            process = launch.processBuilder(api).start();
        } catch (IOException e) {
            launches.release();
            server.stop(0);
            threads.shutdownNow();
            throw new IllegalStateException(launch.logicalId() + ": cannot start java: " + e.getMessage(), e);
        }
        started.accept(process.toHandle());
        FunctionInstance instance = new FunctionInstance(launch, server, threads, process, startedNanos);
        instance.initialised.whenComplete((at, failure) -> launches.release());
        server.createContext("/", instance::serve);
        Thread pump = new Thread(() -> pump(process.getInputStream(), output), "function-output-" + launch.logicalId());
        pump.setDaemon(true);
        pump.start();
        process.onExit().thenRun(instance::exited);
        return instance;
    }

    /**
     * Runs one event to its end: the response, the function's error, or the timeout, which ends
     * this environment as it does on Lambda.
     */
    Outcome invoke(String requestId, byte[] event, Duration timeout) {
        lastUsedNanos = System.nanoTime();
        try {
            if (!initialised.isDone()) {
                try {
                    initialised.get(INIT_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    close();
                    return Outcome.failure("init did not finish within " + INIT_LIMIT.toSeconds() + " s", true);
                } catch (ExecutionException e) {
                    return Outcome.failure(e.getCause().getMessage(), true);
                }
            }
            Pending pending = new Pending(requestId, event, System.currentTimeMillis() + timeout.toMillis(), new CompletableFuture<>());
            // Known before the runtime takes it, so that a runtime dying right after is reported at once, not at the timeout.
            current = pending;
            if (!process.isAlive()) {
                return Outcome.UNDELIVERED;
            }
            long askBy = System.nanoTime() + timeout.toNanos();
            while (!handoff.offer(pending, 50, TimeUnit.MILLISECONDS)) {
                if (!isAlive()) {
                    return Outcome.UNDELIVERED;
                }
                if (System.nanoTime() > askBy) {
                    close();
                    return Outcome.failure("the runtime did not ask for the next event", true);
                }
            }
            try {
                return pending.outcome().get(Math.max(1, pending.deadlineMillis() - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                close();
                return Outcome.failure(String.format(java.util.Locale.ROOT, "Task timed out after %.2f seconds", timeout.toMillis() / 1000.0), true);
            } catch (ExecutionException e) {
                return Outcome.failure(e.getCause().getMessage(), true);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            return Outcome.failure("interrupted", true);
        } finally {
            current = null;
            lastUsedNanos = System.nanoTime();
        }
    }

    /** Milliseconds from JVM launch to the runtime's first request for an event, once known. */
    long initMillis() {
        if (!initialised.isDone() || initialised.isCompletedExceptionally()) {
            return -1;
        }
        return TimeUnit.NANOSECONDS.toMillis(initialised.join() - startedNanos);
    }

    boolean isAlive() {
        return process.isAlive() && initError == null;
    }

    Duration idleFor() {
        return Duration.ofNanos(System.nanoTime() - lastUsedNanos);
    }

    ProcessHandle process() {
        return process.toHandle();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(2, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        server.stop(0);
        apiThreads.shutdownNow();
    }

    private void exited() {
        String reason = initError != null ? initError : "Runtime exited with error: exit status " + process.exitValue();
        initialised.completeExceptionally(new IllegalStateException(reason));
        Pending pending = current;
        if (pending != null) {
            pending.outcome().complete(Outcome.failure(reason, true));
        }
        server.stop(0);
        apiThreads.shutdownNow();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (method.equals("GET") && path.equals(API + "invocation/next")) {
                next(exchange);
            } else if (method.equals("POST") && path.equals(API + "init/error")) {
                initError = "init error: " + errorMessage(exchange.getRequestBody().readAllBytes());
                initialised.completeExceptionally(new IllegalStateException(initError));
                reply(exchange, 202, "{\"status\":\"OK\"}");
            } else if (method.equals("POST") && path.startsWith(API + "invocation/")) {
                finish(exchange, path.substring((API + "invocation/").length()));
            } else {
                reply(exchange, 404, "{\"errorMessage\":\"unknown Runtime API path\",\"errorType\":\"InvalidRequest\"}");
            }
        }
    }

    private void next(HttpExchange exchange) throws IOException {
        initialised.complete(System.nanoTime());
        Pending pending;
        try {
            pending = handoff.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        current = pending;
        lastRequestId = pending.requestId();
        var headers = exchange.getResponseHeaders();
        // The runtime client refuses a next-event reply without a Content-Type.
        headers.set("Content-Type", "application/json");
        headers.set("Lambda-Runtime-Aws-Request-Id", pending.requestId());
        headers.set("Lambda-Runtime-Deadline-Ms", Long.toString(pending.deadlineMillis()));
        headers.set("Lambda-Runtime-Invoked-Function-Arn", launch.functionArn());
        headers.set("Lambda-Runtime-Trace-Id", "Root=1-" + Long.toHexString(System.currentTimeMillis() / 1000) + "-" + pending.requestId().replace("-", "").substring(0, 24) + ";Sampled=0");
        exchange.sendResponseHeaders(200, pending.event().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(pending.event());
        }
    }

    private void finish(HttpExchange exchange, String rest) throws IOException {
        int slash = rest.indexOf('/');
        Pending pending = current;
        String requestId = slash < 0 ? "" : rest.substring(0, slash);
        if (pending == null || !requestId.equals(pending.requestId()) || pending.outcome().isDone()) {
            exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
            if (requestId.equals(lastRequestId)) {
                // A second report on an answered event (an error after a refused response): noted, not used.
                reply(exchange, 202, "{\"status\":\"OK\"}");
            } else {
                reply(exchange, 400, "{\"errorMessage\":\"no such invocation\",\"errorType\":\"InvalidRequestID\"}");
            }
            return;
        }
        String kind = rest.substring(slash + 1);
        // One byte past the limit is enough to know the response is too large.
        byte[] body = exchange.getRequestBody().readNBytes(LambdaLaunch.MAX_RESPONSE_BYTES + 1);
        if (kind.equals("response")) {
            if (body.length > LambdaLaunch.MAX_RESPONSE_BYTES) {
                exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
                pending.outcome().complete(Outcome.failure("Response payload size exceeded maximum allowed payload size ("
                        + LambdaLaunch.MAX_RESPONSE_BYTES + " bytes).", false));
                reply(exchange, 413, "{\"errorMessage\":\"Exceeded maximum allowed payload size\",\"errorType\":\"RequestEntityTooLarge\"}");
                return;
            }
            pending.outcome().complete(Outcome.success(body));
        } else if (kind.equals("error")) {
            pending.outcome().complete(Outcome.failure(errorMessage(body), false));
        } else {
            reply(exchange, 404, "{\"errorMessage\":\"unknown Runtime API path\",\"errorType\":\"InvalidRequest\"}");
            return;
        }
        reply(exchange, 202, "{\"status\":\"OK\"}");
    }

    /** The runtime client's error document, reduced to "type: message" for one log line. */
    private static String errorMessage(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        String type = field(text, "errorType");
        String message = field(text, "errorMessage");
        if (type == null && message == null) {
            return text.length() > 500 ? text.substring(0, 500) : text;
        }
        return (type == null ? "" : type + ": ") + (message == null ? "" : message);
    }

    private static String field(String json, String name) {
        try {
            var node = LambdaLaunch.JSON.readTree(json);
            var value = node == null ? null : node.get(name);
            return value == null || value.isNull() ? null : value.asText();
        } catch (IOException e) {
            return null;
        }
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void pump(InputStream stream, Consumer<String> output) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                output.accept(line);
            }
        } catch (IOException e) {
            // the process has ended
        }
    }
}
