package com.meridianreview.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.meridianreview.emulators.EmulatorsExtension;
import com.meridianreview.emulators.TestResources;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The runner as a Lambda stand-in, seen through a function that reports what it sees: its
 * environment and JVM, one event per environment at a time, and Lambda's answers to timeouts,
 * crashes, oversized responses and S3 events.
 */
@ExtendWith(EmulatorsExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FunctionHostingTest {

    static final Path ECHO_TEMPLATE = Path.of("src/test/resources/echo-template.yaml");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_INSTANCES = 3;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final Set<ProcessHandle> seen = new HashSet<>();
    private LocalRunner runner;
    private TestResources resources;
    private Path echoDir;

    @BeforeAll
    void start(TestResources resources, @TempDir Path echoDir) {
        this.resources = resources;
        this.echoDir = echoDir;
        runner = LocalRunner.start(new LocalRunner.Options(0, null, false, ECHO_TEMPLATE, null, resources.prefix(),
                        MAX_INSTANCES, Duration.ofMinutes(5), LocalRunner.defaultRuntimeDir(), Map.of("EchoDir", echoDir.toString())),
                resources.emulators(), new PrintStream(output, true, StandardCharsets.UTF_8));
    }

    @AfterAll
    void stopLeavesNoFunctionJvmBehind() throws Exception {
        seen.addAll(runner.functionProcesses());
        runner.close();
        for (ProcessHandle process : seen) {
            process.onExit().get(10, TimeUnit.SECONDS);
            assertFalse(process.isAlive(), "function JVM " + process.pid() + " outlived the runner");
        }
    }

    @Test
    void theFunctionSeesExactlyTheTemplatesEnvironmentPlusLambdasOwn() throws Exception {
        JsonNode seen = JSON.readTree(get("/env").body());
        Map<String, String> env = new HashMap<>();
        seen.get("env").properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));

        assertEquals(new TreeSet<>(Set.of(
                        // from the template, with intrinsics resolved and parameters applied
                        "JAVA_TOOL_OPTIONS", "ECHO_DIR", "GREETING",
                        // what Lambda sets
                        "PATH", "LANG", "TZ", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR", "_HANDLER", "AWS_EXECUTION_ENV",
                        "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
                        "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME",
                        "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_LAMBDA_LOG_FORMAT", "AWS_LAMBDA_RUNTIME_API",
                        // what points the SDK at the emulators, in place of the execution role's keys
                        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL_S3",
                        "AWS_ENDPOINT_URL_SESV2")),
                new TreeSet<>(env.keySet()));
        // The name the SDK's SES v2 client reads (its service id is SESv2).
        assertEquals(resources.emulators().sesEndpoint().toString(), env.get("AWS_ENDPOINT_URL_SESV2"));
        assertEquals("hello from us-east-1", env.get("GREETING"));
        assertEquals(echoDir.toString(), env.get("ECHO_DIR"));
        assertEquals("com.meridianreview.echo.EchoHandler::handleRequest", env.get("_HANDLER"));
        assertEquals("AWS_Lambda_java21", env.get("AWS_EXECUTION_ENV"));
        assertEquals("256", env.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"));
        assertEquals("JSON", env.get("AWS_LAMBDA_LOG_FORMAT"));
        assertEquals(resources.prefix() + "EchoFunction", seen.get("functionName").asText());
        assertEquals(256, seen.get("memoryMb").asInt());
        assertTrue(seen.get("remainingMs").asInt() > 0 && seen.get("remainingMs").asInt() <= 2000, "the template's 2 s Timeout is the deadline");

        List<String> flags = new ArrayList<>();
        seen.get("jvmFlags").forEach(f -> flags.add(f.asText()));
        assertTrue(flags.contains("-XX:MaxHeapSize=222822k"), "85% of 256 MB, as the managed runtime sizes the heap: " + flags);
        assertTrue(flags.contains("-XX:+UseSerialGC"), flags.toString());
        assertTrue(flags.contains("-XX:TieredStopAtLevel=1"), "the template's JAVA_TOOL_OPTIONS reach the JVM: " + flags);
    }

    @Test
    void concurrentRequestsRunInParallelEnvironmentsEachTakingOneAtATime() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 2 * MAX_INSTANCES; i++) {
            calls.add(http.sendAsync(request("/sleep/300").build(), HttpResponse.BodyHandlers.ofString()));
        }
        Map<Long, List<long[]>> byPid = new HashMap<>();
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            HttpResponse<String> response = call.get(60, TimeUnit.SECONDS);
            assertEquals(200, response.statusCode(), response.body() + "\n" + output());
            JsonNode body = JSON.readTree(response.body());
            byPid.computeIfAbsent(body.get("pid").asLong(), pid -> new ArrayList<>()).add(new long[] {body.get("start").asLong(), body.get("end").asLong()});
        }
        assertTrue(byPid.size() >= 2, "concurrent requests started more than one environment: " + byPid.keySet());
        assertTrue(byPid.size() <= MAX_INSTANCES, "no more environments than the cap: " + byPid.keySet());
        for (List<long[]> runs : byPid.values()) {
            runs.sort((a, b) -> Long.compare(a[0], b[0]));
            for (int i = 1; i < runs.size(); i++) {
                assertTrue(runs.get(i)[0] >= runs.get(i - 1)[1], "one environment never runs two invocations at once");
            }
        }
        byPid.keySet().forEach(pid -> ProcessHandle.of(pid).ifPresent(seen::add));
    }

    @Test
    void theTimeoutEndsTheInvocationAndTheEnvironment() throws Exception {
        HttpResponse<String> response = get("/sleep/5000");
        assertEquals(500, response.statusCode());
        assertEquals("{\"message\":\"Internal Server Error\"}", response.body(), "what API Gateway answers when the function fails");
        String log = output();
        assertTrue(log.matches("(?s).*EchoFunction GET /sleep/5000 500 in \\d+ ms( \\(cold start, init \\d+ ms\\))?: Task timed out after 2\\.00 seconds \\[[0-9a-f-]{36}\\].*"), log);
        long pid = Long.parseLong(Files.readString(echoDir.resolve("sleeping-5000")));
        ProcessHandle timedOut = ProcessHandle.of(pid).orElse(null);
        if (timedOut != null) {
            timedOut.onExit().get(10, TimeUnit.SECONDS);
        }
        assertTrue(runner.functionProcesses().stream().noneMatch(p -> p.pid() == pid), "the environment that timed out is gone");
        assertEquals(200, get("/sleep/1").statusCode(), "the next request is served");
    }

    @Test
    void anUnhandledExceptionIsA500WithTheErrorAndRequestIdInTheLog() throws Exception {
        HttpResponse<String> response = get("/crash");
        assertEquals(500, response.statusCode());
        assertEquals("{\"message\":\"Internal Server Error\"}", response.body());
        assertTrue(output().matches("(?s).*EchoFunction GET /crash 500 in \\d+ ms.*: java\\.lang\\.IllegalStateException: echo was asked to crash \\[[0-9a-f-]{36}\\].*"), output());
        assertEquals(200, get("/sleep/1").statusCode(), "the environment survives a handler's exception, as on Lambda");
    }

    @Test
    void aRuntimeThatDiesIsA500AndItsEnvironmentIsReplaced() throws Exception {
        HttpResponse<String> response = get("/exit");
        assertEquals(500, response.statusCode());
        assertTrue(output().contains("Runtime exited with error: exit status 3"), output());
        assertEquals(200, get("/sleep/1").statusCode());
    }

    @Test
    void aResponseOverSixMegabytesIsRefused() throws Exception {
        HttpResponse<String> response = get("/big");
        assertEquals(500, response.statusCode());
        assertTrue(output().contains("Response payload size exceeded maximum allowed payload size (6291456 bytes)"), output());
    }

    @Test
    void anS3PutInvokesTheMatchingFunctionOnceWithS3sEvent() throws Exception {
        String bucket = SamApplication.bucketName(resources.prefix(), "Uploads");
        byte[] content = "a sample upload".getBytes(StandardCharsets.UTF_8);
        try (S3Client s3 = s3()) {
            s3.putObject(r -> r.bucket(bucket).key("in/first draft ü.txt"), RequestBody.fromBytes(content));
            s3.putObject(r -> r.bucket(bucket).key("elsewhere/x.txt"), RequestBody.fromString("no"));
            s3.putObject(r -> r.bucket(bucket).key("in/x.md"), RequestBody.fromString("no"));
        }
        assertTrue(runner.awaitEvents(Duration.ofSeconds(30)));
        List<Path> deliveries = deliveries("first+draft");
        assertEquals(1, deliveries.size(), "one invocation for one object; none for keys outside the filter");
        assertEquals(List.of(), deliveries("elsewhere/x.txt"), "outside the prefix filter");
        assertEquals(List.of(), deliveries("in/x.md"), "outside the suffix filter");

        JsonNode record = JSON.readTree(Files.readString(deliveries.get(0))).get("Records").get(0);
        assertEquals("aws:s3", record.get("eventSource").asText());
        assertEquals("2.1", record.get("eventVersion").asText());
        assertEquals("ObjectCreated:Put", record.get("eventName").asText());
        assertEquals(bucket, record.get("s3").get("bucket").get("name").asText());
        assertEquals("arn:aws:s3:::" + bucket, record.get("s3").get("bucket").get("arn").asText());
        JsonNode object = record.get("s3").get("object");
        assertEquals("in/first+draft+%C3%BC.txt", object.get("key").asText(), "keys arrive form-encoded, as S3 sends them");
        assertEquals(content.length, object.get("size").asInt());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content)), object.get("eTag").asText());
        assertTrue(object.get("sequencer").asText().matches("[0-9A-F]{16}"), object.toString());
    }

    @Test
    void aFailedS3EventIsRetriedTwiceThenDropped() throws Exception {
        String bucket = SamApplication.bucketName(resources.prefix(), "Uploads");
        try (S3Client s3 = s3()) {
            s3.putObject(r -> r.bucket(bucket).key("in/fail.txt"), RequestBody.fromString("retry me"));
        }
        assertTrue(runner.awaitEvents(Duration.ofSeconds(30)));
        assertEquals(3, deliveries("fail.txt").size(), "the first attempt and two retries");
        assertTrue(output().matches("(?s).*EchoFunction event s3://" + bucket + "/in/fail\\.txt failed: .*asked to fail.*dropped after 3 attempts.*"), output());
    }

    private List<Path> deliveries(String keyPart) throws IOException {
        try (Stream<Path> files = Files.list(echoDir)) {
            return files.filter(file -> {
                try {
                    return Files.readString(file).contains(keyPart);
                } catch (IOException e) {
                    return false;
                }
            }).toList();
        }
    }

    private S3Client s3() {
        return S3Client.builder().httpClient(Apache5HttpClient.create()).region(Region.US_EAST_1).forcePathStyle(true)
                .endpointOverride(resources.emulators().s3Endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        resources.emulators().credentials().accessKeyId(), resources.emulators().credentials().secretAccessKey())))
                .build();
    }

    private String output() {
        return output.toString(StandardCharsets.UTF_8);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runner.port() + path)).timeout(Duration.ofSeconds(60));
    }

    private HttpResponse<String> get(String path) throws Exception {
        HttpResponse<String> response = http.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
        runner.functionProcesses().forEach(seen::add);
        return response;
    }
}
