package com.meridianreview.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.meridianreview.core.Articles;
import com.meridianreview.core.AwsClients;
import com.meridianreview.core.Config;
import com.meridianreview.core.ContentStore;
import com.meridianreview.core.DynamoDbFixtures;
import com.meridianreview.core.RequestCounter;
import com.meridianreview.emulators.EmulatorsExtension;
import com.meridianreview.emulators.TestResources;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * What a reader gets when the content table is throttling, unreachable or stalled: the page this
 * container served lately, or the magazine's "back in a moment" page with Retry-After; never a
 * 500 for the outage itself, and never after waiting out the function's timeout.
 */
@ExtendWith(EmulatorsExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackendOutageTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Throttling throttling = new Throttling();
    private final RequestCounter requests = new RequestCounter();
    private TestResources resources;
    private String table;

    @BeforeAll
    void publish(TestResources resources) {
        this.resources = resources;
        table = resources.name("content");
        DynamoDbClient dynamoDb = DynamoDbFixtures.client(resources.emulators());
        DynamoDbFixtures.createContentTable(dynamoDb, table);
        ContentStore store = new ContentStore(dynamoDb, table);
        store.publish(Articles.article("first-story", "2026-11-20T08:00:00Z", "Analysis", List.of("Trade")));
        store.publish(Articles.article("second-story", "2026-11-21T08:00:00Z", "Analysis", List.of("Trade")));
    }

    @Test
    void throttlingAfterTheSdksRetriesIsA503WithRetryAfterAndItsOwnMetric() throws IOException {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PageHandler handler = handler(productionClient(resources.emulators().dynamoDbEndpoint().toString(), throttling, requests), log);
        throttling.on = true;
        try {
            JsonNode response = article(handler, "first-story");
            assertEquals(503, response.get("statusCode").asInt());
            assertEquals(List.of("GetItem", "GetItem", "GetItem"), requests.operations(), "three attempts, the retry budget, then the answer");
            assertEquals("10", response.get("headers").get("retry-after").asText());
            assertEquals("no-store", response.get("headers").get("cache-control").asText());
            assertTrue(response.get("body").asText().contains("<h1>Back in a moment</h1>"), response.get("body").asText());
            String line = lastLine(log);
            assertTrue(line.contains("\"backendUnavailable\":1") && line.contains("\"serverError\":0"), line);
            assertTrue(line.contains("{\"Name\":\"backendUnavailable\",\"Unit\":\"Count\"}"), "an EMF metric of its own: " + line);
        } finally {
            throttling.on = false;
        }
    }

    @Test
    void aPageServedBeforeTheOutageIsServedAgainAsARecentCopy() throws IOException {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PageHandler handler = handler(productionClient(resources.emulators().dynamoDbEndpoint().toString(), throttling), log);
        JsonNode fresh = article(handler, "second-story");
        assertEquals(200, fresh.get("statusCode").asInt());

        throttling.on = true;
        try {
            JsonNode copy = article(handler, "second-story");
            assertEquals(200, copy.get("statusCode").asInt(), "the reader sees the page, not the outage");
            assertEquals(fresh.get("body").asText(), copy.get("body").asText());
            assertEquals("public, max-age=0, s-maxage=30", copy.get("headers").get("cache-control").asText(),
                    "the CDN keeps the copy only briefly, so the fresh page follows the outage");
            assertTrue(lastLine(log).contains("\"recentCopyServed\":1"), lastLine(log));

            assertEquals(503, article(handler, "first-story").get("statusCode").asInt(), "a page this container never served has no copy");
        } finally {
            throttling.on = false;
        }
    }

    @Test
    void anUnreachableTableIsA503FromTheProductionClientSettings() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        JsonNode response = article(handler(productionClient("http://127.0.0.1:" + closedPort), new ByteArrayOutputStream()), "first-story");
        assertEquals(503, response.get("statusCode").asInt());
        assertEquals("10", response.get("headers").get("retry-after").asText());
    }

    @Test
    void aTableThatAcceptsButNeverAnswersIsA503WithinTheCallTimeout() throws Exception {
        List<Socket> held = new ArrayList<>();
        try (ServerSocket stalled = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(stalled.accept());
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            JsonNode response = article(handler(productionClient("http://127.0.0.1:" + stalled.getLocalPort()), new ByteArrayOutputStream()), "first-story");
            assertEquals(503, response.get("statusCode").asInt(), "the SDK's call timeout ends the wait, not Lambda's");
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    /** A client with the settings every function uses (timeouts, retry budget), pointed at {@code endpoint}. */
    private DynamoDbClient productionClient(String endpoint, ExecutionInterceptor... interceptors) {
        return AwsClients.dynamoDb(new Config(Map.of(
                "AWS_ENDPOINT_URL_DYNAMODB", endpoint,
                "AWS_ACCESS_KEY_ID", resources.emulators().credentials().accessKeyId(),
                "AWS_SECRET_ACCESS_KEY", resources.emulators().credentials().secretAccessKey())), interceptors);
    }

    private PageHandler handler(DynamoDbClient dynamoDb, ByteArrayOutputStream log) {
        PrintStream previous = System.out;
        // The handler writes its log to the System.out it finds when it is built.
        System.setOut(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            return new PageHandler(new Config(Map.of("CONTENT_TABLE", table, "SITE_URL", "https://www.example.org")), dynamoDb);
        } finally {
            System.setOut(previous);
        }
    }

    private static JsonNode article(PageHandler handler, String slug) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(HttpApiEvents.get("GET /articles/{slug}", "/articles/" + slug,
                Map.of("slug", slug), Map.of(), Map.of())), out, null);
        return JSON.readTree(out.toByteArray());
    }

    private static String lastLine(ByteArrayOutputStream log) {
        String[] lines = log.toString(StandardCharsets.UTF_8).trim().split("\n");
        return lines[lines.length - 1];
    }

    /** Turns every DynamoDB answer into the throttling error DynamoDB sends, as it comes over the wire. */
    private static final class Throttling implements ExecutionInterceptor {
        volatile boolean on;

        @Override
        public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
            return on ? context.httpResponse().toBuilder().statusCode(400).statusText("Bad Request").build() : context.httpResponse();
        }

        @Override
        public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
            if (!on) {
                return context.responseBody();
            }
            return Optional.of(new ByteArrayInputStream(("{\"__type\":\"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException\","
                    + "\"message\":\"The level of configured provisioned throughput for the table was exceeded.\"}").getBytes(StandardCharsets.UTF_8)));
        }
    }
}
