package com.meridianreview.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.meridianreview.emulators.EmulatorsExtension;
import com.meridianreview.emulators.TestResources;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The weekly round-up through the runner, as readers get it: 540 readers sign up from the site,
 * 520 confirm and 20 of those unsubscribe; the template's schedule, fired through the runner,
 * sends the week's issue from the sample content to the 500 confirmed readers once, however often
 * the event arrives and even when the function's process is killed in the middle of the send.
 */
@ExtendWith(EmulatorsExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DigestTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ORIGIN_SECRET = "the-cdn-proves-itself-with-this-secret-0123456789";
    private static final String WEEK = "2026-11-22";
    private static final String EARLIER_WEEK = "2026-11-25";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final String domain = "digest-" + UUID.randomUUID().toString().substring(0, 8) + ".example";
    private final List<String> confirmed = new ArrayList<>();
    private LocalRunner runner;
    private DynamoDbClient dynamoDb;
    private String table;
    private int client;

    @BeforeAll
    void start(TestResources resources) throws Exception {
        LocalRunner.Options defaults = new LocalRunner.Options(0, null, true, LocalRunnerTest.TEMPLATE, LocalRunnerTest.SAMPLES, resources.prefix());
        // Sent faster than an SES account's default rate, so that the test takes seconds.
        runner = LocalRunner.start(new LocalRunner.Options(0, null, true, LocalRunnerTest.TEMPLATE, LocalRunnerTest.SAMPLES, resources.prefix(),
                        defaults.maxInstances(), defaults.idleLimit(), defaults.runtimeDir(), Map.of("OriginSecret", ORIGIN_SECRET, "SendRatePerSecond", "250")),
                resources.emulators(), new PrintStream(output, true, StandardCharsets.UTF_8));
        dynamoDb = DynamoDbClient.builder().httpClient(Apache5HttpClient.create()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        resources.emulators().credentials().accessKeyId(), resources.emulators().credentials().secretAccessKey())))
                .endpointOverride(resources.emulators().dynamoDbEndpoint()).build();
        table = runner.functions().stream().filter(f -> f.logicalId().equals("DigestFunction")).findFirst().orElseThrow()
                .environment().get("SUBSCRIBERS_TABLE");
        subscribeReaders(540, 520, 20);
    }

    @AfterAll
    void stop() {
        if (dynamoDb != null) {
            dynamoDb.close();
        }
        if (runner != null) {
            runner.close();
        }
    }

    @Test
    @Order(1)
    void theWeeksIssueReachesEveryConfirmedReaderOnceThoughTheScheduleFiresThreeTimes() throws Exception {
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> fired = post("/_local/schedules/WeeklySend?time=2026-11-22T08:00:00Z", "");
            assertEquals(202, fired.statusCode(), fired.body());
        }
        assertTrue(runner.awaitEvents(Duration.ofMinutes(3)), "the runs end");
        Map<String, List<JsonNode>> received = roundUps(WEEK);
        assertEquals(Set.copyOf(confirmed), received.keySet(), "the 500 confirmed readers, and no one pending or unsubscribed");
        received.forEach((address, messages) -> assertEquals(1, messages.size(), address + " got it once"));

        JsonNode message = received.get(confirmed.get(0)).get(0);
        assertEquals("The Meridian Review weekly: The Week in Foreign Policy: Talks Resume, Convoys Roll, Ports Compete", message.path("subject").asText());
        String html = message.path("html").asText();
        // The seven days to the 22nd, 08:00: the newest story leads, then the sections in the editors' order.
        int lead = html.indexOf("/articles/the-week-in-foreign-policy-november-21?utm_source=newsletter");
        int diplomacy = html.indexOf("/articles/quiet-channels-reopen-between-gulf-rivals?utm_source=newsletter");
        int regional = html.indexOf("/articles/horn-of-africa-ports-become-the-new-diplomacy?utm_source=newsletter");
        assertTrue(lead > 0 && diplomacy > lead && regional > diplomacy, "lead, then Diplomacy Watch, then Regional Briefing");
        assertFalse(html.contains("vienna-annex-talks-test-patience-on-enrichment"), "a story of the week before is not in this one");
        assertFalse(html.contains("a-missile-test-moratorium-is-worth-the-gamble"), "a draft is in no issue");
        Set<String> tokens = new HashSet<>();
        for (List<JsonNode> messages : received.values()) {
            tokens.add(MailParts.header(messages.get(0), "List-Unsubscribe"));
        }
        assertEquals(500, tokens.size(), "each reader's own unsubscribe link");

        String browser = MailParts.link(html, "/newsletter/issues/" + WEEK);
        HttpResponse<String> archive = get(browser);
        assertEquals(200, archive.statusCode());
        assertTrue(archive.headers().firstValue("content-security-policy").orElse("").contains("style-src 'unsafe-inline'"));
        assertFalse(archive.headers().firstValue("content-security-policy").orElse("").contains("script-src"), "no scripts on the archive page");
        assertTrue(archive.body().startsWith("<!DOCTYPE html>") && archive.body().contains("Talks Resume, Convoys Roll, Ports Compete"));
        assertFalse(archive.body().contains("/newsletter/unsubscribe?token="), "no reader's link on the public page");

        // One click in the reader's mail program, as RFC 8058 has it.
        String unsubscribe = MailParts.header(message, "List-Unsubscribe");
        HttpResponse<String> oneClick = post(unsubscribe.substring(1, unsubscribe.length() - 1), "List-Unsubscribe=One-Click");
        assertEquals(200, oneClick.statusCode());
        assertEquals("UNSUBSCRIBED", state(confirmed.get(0)));
        String log = output.toString(StandardCharsets.UTF_8);
        assertFalse(log.contains("@" + domain), "no address in any log line");
    }

    @Test
    @Order(2)
    void aRunKilledHalfwayIsTakenUpAgainAndNobodyGetsTheIssueTwice() throws Exception {
        List<String> expected = confirmed.subList(1, confirmed.size());
        assertEquals(202, post("/_local/schedules/WeeklySend?time=2026-11-25T08:00:00Z", "").statusCode());
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (deliveries(EARLIER_WEEK, "sent") < 100) {
            assertTrue(System.nanoTime() < deadline, "the send got going");
            Thread.sleep(20);
        }
        List<ProcessHandle> digests = runner.functionProcesses().stream()
                .filter(p -> p.info().commandLine().orElse("").contains("newsletter-digest-lambda.jar")).toList();
        assertFalse(digests.isEmpty(), "the digest function's process");
        digests.forEach(ProcessHandle::destroyForcibly);
        int sentBeforeTheKill = deliveries(EARLIER_WEEK, "sent");
        assertTrue(sentBeforeTheKill < expected.size(), "killed halfway: " + sentBeforeTheKill);
        // The runner retries the failed event as Lambda does, but the dead run's lease on the send
        // holds for up to 30 s; the event delivered again after that (as the resume schedule would) finishes it.
        assertTrue(runner.awaitEvents(Duration.ofMinutes(3)));
        long finish = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!"SENT".equals(sendState(EARLIER_WEEK))) {
            assertTrue(System.nanoTime() < finish, "the send was taken up again and finished");
            Thread.sleep(2_000);
            assertEquals(202, post("/_local/schedules/WeeklySend?time=2026-11-25T08:00:00Z", "").statusCode());
            assertTrue(runner.awaitEvents(Duration.ofMinutes(3)));
        }

        Map<String, List<JsonNode>> received = roundUps(EARLIER_WEEK);
        received.forEach((address, messages) -> assertEquals(1, messages.size(), address + " got it once"));
        Set<String> inDoubt = inDoubt(EARLIER_WEEK);
        assertTrue(inDoubt.size() <= 1, "at most the one message in flight at the kill is in doubt: " + inDoubt);
        Set<String> reached = new HashSet<>(received.keySet());
        // A message in flight when the process died may or may not have reached SES; it is never sent again.
        for (String address : expected) {
            if (!reached.contains(address)) {
                assertTrue(inDoubt.contains(address), address + " was skipped without being in doubt");
            }
        }
        Set<String> others = new HashSet<>(reached);
        others.removeAll(expected);
        assertEquals(Set.of(), others, "no one else");
        assertTrue(reached.size() >= expected.size() - inDoubt.size());
    }

    @Test
    @Order(3)
    void aBounceReportedBySesStopsMailToThatAddress() throws Exception {
        String address = confirmed.get(2);
        assertEquals("CONFIRMED", state(address));
        HttpResponse<String> bounce = post("/_local/ses/bounce?address=" + address, "");
        assertEquals(202, bounce.statusCode(), bounce.body());
        assertTrue(runner.awaitEvents(Duration.ofMinutes(1)));
        assertEquals("UNSUBSCRIBED", state(address));
    }

    @Test
    @Order(4)
    void anEditorPreviewsTheNextIssueAndSendsItToThemselves(TestResources resources) throws Exception {
        // A story published an hour ago, so that the week up to now has one whatever the date.
        String published = java.time.Instant.now().minus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        try (var s3 = software.amazon.awssdk.services.s3.S3Client.builder().httpClient(Apache5HttpClient.create()).region(Region.US_EAST_1)
                .forcePathStyle(true).endpointOverride(resources.emulators().s3Endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        resources.emulators().credentials().accessKeyId(), resources.emulators().credentials().secretAccessKey()))).build()) {
            s3.putObject(put -> put.bucket(SamApplication.bucketName(resources.prefix(), "ImageBucket")).key("incoming/articles/fresh-for-the-round-up.md"),
                    software.amazon.awssdk.core.sync.RequestBody.fromString("---\nheadline: Fresh for the round-up\ndek: Published an hour ago.\n"
                            + "section: Analysis\ntype: Reporting\nregion: Europe\ntags: [Ports]\nauthors: [Lena Marsh]\npublishedAt: \"" + published
                            + "\"\nstatus: published\nimage:\n  key: baltic-grid.jpg\n  alt: A grid\n  credit: Meridian Review graphics desk\n---\n\nThe story.\n"));
        }
        assertTrue(runner.awaitEvents(Duration.ofMinutes(1)));
        String editor = runner.token("editor-ana", "Ana Editor", List.of("editors"), Duration.ofMinutes(10));
        HttpResponse<String> preview = authorized("/api/editor/newsletter/preview", editor, null);
        assertEquals(200, preview.statusCode(), preview.body());
        assertTrue(preview.body().contains("Fresh for the round-up"), "the newest story leads the next issue: " + output.toString(StandardCharsets.UTF_8)
                .lines().filter(line -> line.contains("IngestFunction") || line.contains("fresh-for")).toList());
        assertFalse(preview.headers().firstValue("content-security-policy").orElse("").contains("script-src"));
        assertEquals("no-store", preview.headers().firstValue("cache-control").orElse(""));
        assertEquals(401, authorized("/api/editor/newsletter/preview", null, null).statusCode(), "no token, no preview");
        String reader = runner.token("reader-rea", "Rea Reader", List.of(), Duration.ofMinutes(10));
        assertEquals(403, authorized("/api/editor/newsletter/preview", reader, null).statusCode(), "signed in, but not an editor");

        String to = "ana@" + domain;
        HttpResponse<String> sent = authorized("/api/editor/newsletter/test-sends", editor, "{\"to\":\"" + to + "\"}");
        assertEquals(202, sent.statusCode(), sent.body());
        List<JsonNode> tests = new ArrayList<>();
        for (JsonNode message : outbox()) {
            if (message.path("to").path(0).asText().equals(to)) {
                tests.add(message);
            }
        }
        assertEquals(1, tests.size());
        assertEquals("[Test] The Meridian Review weekly: Fresh for the round-up", tests.get(0).path("subject").asText());
        assertEquals(400, authorized("/api/editor/newsletter/test-sends", editor, "{\"to\":\"not an address\"}").statusCode());
    }

    private HttpResponse<String> authorized(String path, String token, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("X-Origin-Verify", ORIGIN_SECRET);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (json != null) {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Readers sign up from the site; the first {@code confirm} confirm from their mail, the last {@code unsubscribe} of those then leave. */
    private void subscribeReaders(int signups, int confirm, int unsubscribe) throws Exception {
        Semaphore inFlight = new Semaphore(50);
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < signups; i++) {
            String body = "{\"email\":\"reader" + i + "@" + domain + "\",\"consentVersion\":\"2026-11\",\"page\":\"/\"}";
            inFlight.acquire();
            answers.add(http.sendAsync(request("/api/newsletter/subscriptions", "application/json", body), HttpResponse.BodyHandlers.ofString())
                    .whenComplete((answer, failure) -> inFlight.release()));
        }
        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            assertEquals(202, answer.get().statusCode(), answer.get().body());
        }
        Map<String, JsonNode> confirmations = new HashMap<>();
        for (JsonNode message : outbox()) {
            String to = message.path("to").path(0).asText();
            if (to.endsWith("@" + domain)) {
                confirmations.put(to, message);
            }
        }
        assertEquals(signups, confirmations.size());
        answers.clear();
        for (int i = 0; i < confirm; i++) {
            JsonNode message = confirmations.get("reader" + i + "@" + domain);
            String link = MailParts.link(message.path("text").asText(), "/newsletter/confirm");
            inFlight.acquire();
            answers.add(http.sendAsync(request("/newsletter/confirm", "application/x-www-form-urlencoded", URI.create(link).getRawQuery()),
                    HttpResponse.BodyHandlers.ofString()).whenComplete((answer, failure) -> inFlight.release()));
        }
        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            assertEquals(200, answer.get().statusCode());
        }
        for (int i = confirm - unsubscribe; i < confirm; i++) {
            String header = MailParts.header(confirmations.get("reader" + i + "@" + domain), "List-Unsubscribe");
            assertEquals(200, post(header.substring(1, header.length() - 1), "List-Unsubscribe=One-Click").statusCode());
        }
        for (int i = 0; i < confirm - unsubscribe; i++) {
            confirmed.add("reader" + i + "@" + domain);
        }
    }

    /** This test's readers' copies of the issue of that date, by address. */
    private Map<String, List<JsonNode>> roundUps(String date) throws Exception {
        Map<String, List<JsonNode>> byAddress = new HashMap<>();
        for (JsonNode message : outbox()) {
            String to = message.path("to").path(0).asText();
            if (to.endsWith("@" + domain) && message.path("html").asText().contains("/newsletter/issues/" + date)) {
                byAddress.computeIfAbsent(to, a -> new ArrayList<>()).add(message);
            }
        }
        return byAddress;
    }

    /** Delivery records of the issue in one state, counted in the subscribers table. */
    private int deliveries(String date, String state) {
        return dynamoDb.scan(scan -> scan.tableName(table).filterExpression("sk = :sk AND delivery = :state").select("COUNT")
                .expressionAttributeValues(Map.of(":sk", AttributeValue.fromS("issue#weekly#" + date), ":state", AttributeValue.fromS(state))))
                .count();
    }

    /** Where the issue's send stands: SENDING until a run reaches the end of the list. */
    private String sendState(String date) {
        var item = dynamoDb.getItem(get -> get.tableName(table).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS("issue#weekly"), "sk", AttributeValue.fromS("issue#" + date)))).item();
        return item.containsKey("state") ? item.get("state").s() : "";
    }

    /** The addresses whose delivery a stopped run left at "sending". */
    private Set<String> inDoubt(String date) {
        Set<String> ids = new HashSet<>();
        dynamoDb.scan(scan -> scan.tableName(table).filterExpression("sk = :sk AND delivery = :sending")
                        .expressionAttributeValues(Map.of(":sk", AttributeValue.fromS("issue#weekly#" + date), ":sending", AttributeValue.fromS("sending"))))
                .items().forEach(item -> ids.add(item.get("pk").s()));
        Set<String> addresses = new HashSet<>();
        dynamoDb.scan(scan -> scan.tableName(table).filterExpression("begins_with(sk, :list)")
                        .expressionAttributeValues(Map.of(":list", AttributeValue.fromS("list#"))))
                .items().stream().filter(item -> ids.contains(item.get("pk").s())).forEach(item -> addresses.add(item.get("email").s()));
        return addresses;
    }

    private String state(String address) {
        return dynamoDb.scan(scan -> scan.tableName(table).filterExpression("email = :email AND begins_with(sk, :list)")
                        .expressionAttributeValues(Map.of(":email", AttributeValue.fromS(address), ":list", AttributeValue.fromS("list#"))))
                .items().get(0).get("state").s();
    }

    private JsonNode outbox() throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(uri("/_local/outbox")).header("Accept", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode());
        JsonNode root = JSON.readTree(answer.body());
        return root.has("emails") ? root.get("emails") : root;
    }

    private HttpRequest request(String path, String type, String body) {
        client++;
        return HttpRequest.newBuilder(path.startsWith("http") ? URI.create(path) : uri(path)).header("Content-Type", type)
                .header("CloudFront-Viewer-Address", "203.0." + (client / 250) + "." + (client % 250 + 1) + ":443")
                .header("X-Origin-Verify", ORIGIN_SECRET).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(request(path, "application/x-www-form-urlencoded", body), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("X-Origin-Verify", ORIGIN_SECRET).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + runner.port() + path);
    }

}
