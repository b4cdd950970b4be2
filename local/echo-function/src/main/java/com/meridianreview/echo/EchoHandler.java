package com.meridianreview.echo;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Shows a test what a hosted function sees and lets it provoke what Lambda must handle. HTTP
 * paths: {@code /env} (environment, JVM flags, pid), {@code /sleep/N} (N ms, with start and end
 * times; the pid is left in {@code ECHO_DIR/sleeping-N}), {@code /crash} (an unhandled exception), {@code /exit} (the JVM dies), {@code /big} (a
 * response over Lambda's limit); anything else echoes the event. An S3 event is written to
 * {@code ECHO_DIR}, one file per delivery; a key containing "fail" throws, to be retried.
 */
public final class EchoHandler implements RequestStreamHandler {

    private static final Pattern RAW_PATH = Pattern.compile("\"rawPath\"\\s*:\\s*\"([^\"]*)\"");
    private static final long STARTED = System.currentTimeMillis();

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        String event = new String(input.readAllBytes(), StandardCharsets.UTF_8);
        String requestId = context.getAwsRequestId();
        if (event.contains("\"Records\"")) {
            Path dir = Path.of(System.getenv("ECHO_DIR"));
            Files.writeString(dir.resolve(requestId + "-" + System.nanoTime() + ".json"), event);
            if (event.contains("fail")) {
                throw new IllegalStateException("asked to fail");
            }
            output.write("{}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        Matcher path = RAW_PATH.matcher(event);
        String rawPath = path.find() ? path.group(1) : "";
        String body;
        if (rawPath.equals("/env")) {
            Map<String, String> env = new TreeMap<>(System.getenv());
            body = "{\"pid\":" + ProcessHandle.current().pid()
                    + ",\"requestId\":" + quote(requestId)
                    + ",\"remainingMs\":" + context.getRemainingTimeInMillis()
                    + ",\"memoryMb\":" + context.getMemoryLimitInMB()
                    + ",\"functionName\":" + quote(context.getFunctionName())
                    + ",\"jvmFlags\":" + list(ManagementFactory.getRuntimeMXBean().getInputArguments())
                    + ",\"maxHeapBytes\":" + Runtime.getRuntime().maxMemory()
                    + ",\"env\":" + object(env) + "}";
        } else if (rawPath.startsWith("/sleep/")) {
            long start = System.currentTimeMillis();
            long millis = Long.parseLong(rawPath.substring("/sleep/".length()));
            // A sleep that may outlast the timeout leaves its pid behind for the test to check.
            Files.writeString(Path.of(System.getenv("ECHO_DIR")).resolve("sleeping-" + millis), Long.toString(ProcessHandle.current().pid()));
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            body = "{\"pid\":" + ProcessHandle.current().pid() + ",\"start\":" + start + ",\"end\":" + System.currentTimeMillis()
                    + ",\"jvmStarted\":" + STARTED + "}";
        } else if (rawPath.equals("/crash")) {
            throw new IllegalStateException("echo was asked to crash");
        } else if (rawPath.equals("/exit")) {
            Runtime.getRuntime().halt(3);
            return;
        } else if (rawPath.equals("/big")) {
            body = "x".repeat(7 * 1024 * 1024);
        } else {
            body = event;
        }
        String response = "{\"statusCode\":200,\"headers\":{\"content-type\":\"application/json\"},\"body\":" + quote(body) + "}";
        output.write(response.getBytes(StandardCharsets.UTF_8));
    }

    private static String object(Map<String, String> values) {
        StringBuilder json = new StringBuilder("{");
        values.forEach((name, value) -> json.append(json.length() > 1 ? "," : "").append(quote(name)).append(':').append(quote(value)));
        return json.append('}').toString();
    }

    private static String list(java.util.List<String> values) {
        StringBuilder json = new StringBuilder("[");
        values.forEach(value -> json.append(json.length() > 1 ? "," : "").append(quote(value)));
        return json.append(']').toString();
    }

    private static String quote(String text) {
        StringBuilder json = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"').toString();
    }
}
