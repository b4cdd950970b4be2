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
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The newsletter through the runner, with mail to the SES emulator: double opt-in from signup to
 * confirmation and one-click unsubscribe, the same answer for every address, limits, odd input,
 * and hundreds of parallel signups that leave one subscriber and one message per address.
 */
@ExtendWith(EmulatorsExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NewsletterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ORIGIN_SECRET = "the-cdn-proves-itself-with-this-secret-0123456789";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private LocalRunner runner;
    private DynamoDbClient dynamoDb;
    private String table;
    private int client;

    @BeforeAll
    void start(TestResources resources) {
        // As deployed behind the CDN: the origin secret set, and every request carrying it with the
        // reader's address, as CloudFront sends them (the per-client limit trusts that address only then).
        LocalRunner.Options defaults = new LocalRunner.Options(0, null, false, LocalRunnerTest.TEMPLATE, LocalRunnerTest.SAMPLES, resources.prefix());
        runner = LocalRunner.start(new LocalRunner.Options(0, null, false, LocalRunnerTest.TEMPLATE, LocalRunnerTest.SAMPLES, resources.prefix(),
                        defaults.maxInstances(), defaults.idleLimit(), defaults.runtimeDir(), Map.of("OriginSecret", ORIGIN_SECRET)),
                resources.emulators(), new PrintStream(output, true, StandardCharsets.UTF_8));
        dynamoDb = DynamoDbClient.builder().httpClient(Apache5HttpClient.create()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        resources.emulators().credentials().accessKeyId(), resources.emulators().credentials().secretAccessKey())))
                .endpointOverride(resources.emulators().dynamoDbEndpoint()).build();
        table = runner.functions().stream().filter(f -> f.logicalId().equals("NewsletterFunction")).findFirst().orElseThrow()
                .environment().get("SUBSCRIBERS_TABLE");
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
    void aReaderSignsUpConfirmsAndUnsubscribesInOneClick() throws Exception {
        String address = address("ana");
        HttpResponse<String> signup = signUpJson(address, "Ana");
        assertEquals(202, signup.statusCode(), signup.body());
        List<JsonNode> mail = outbox(address);
        assertEquals(1, mail.size(), "one confirmation");
        JsonNode message = mail.get(0);
        assertTrue(text(message).contains("confirm"), text(message));
        String unsubscribeHeader = MailParts.header(message, "List-Unsubscribe");
        assertTrue(unsubscribeHeader.matches("<http://127\\.0\\.0\\.1:\\d+/newsletter/unsubscribe\\?token=[^>]+>"), unsubscribeHeader);
        assertEquals("List-Unsubscribe=One-Click", MailParts.header(message, "List-Unsubscribe-Post"));
        assertEquals("PENDING", state(address));

        String confirmLink = MailParts.link(text(message), "/newsletter/confirm");
        HttpResponse<String> page = get(confirmLink);
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<button type=\"submit\">Confirm my subscription</button>"));
        assertEquals("PENDING", state(address), "opening the link (as a mail scanner does) changes nothing");

        String token = URI.create(confirmLink).getRawQuery().substring("token=".length());
        HttpResponse<String> confirmed = postForm("/newsletter/confirm", "token=" + token);
        assertEquals(200, confirmed.statusCode());
        assertTrue(confirmed.body().contains("You are subscribed"));
        assertEquals("CONFIRMED", state(address));
        assertTrue(postForm("/newsletter/confirm", "token=" + token).body().contains("You are already subscribed"), "confirming twice is harmless");

        String unsubscribe = unsubscribeHeader.substring(1, unsubscribeHeader.length() - 1);
        HttpResponse<String> oneClick = http.send(HttpRequest.newBuilder(URI.create(unsubscribe)).header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Origin-Verify", ORIGIN_SECRET)
                .POST(HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, oneClick.statusCode());
        assertEquals("UNSUBSCRIBED", state(address));
        Map<String, AttributeValue> kept = item(address);
        assertEquals("2026-11", kept.get("consent").m().get("textVersion").s(), "the consent trail stays");
        String ipHash = kept.get("consent").m().get("ipHash").s();
        assertTrue(ipHash.matches("[A-Za-z0-9_-]{24}"), "a keyed hash of the reader's address: " + ipHash);
        assertFalse(kept.toString().contains("198.51."), "never the address itself");
        assertEquals(1, kept.get("consentHistory").l().size(), "the consent trail");
        assertTrue(get(unsubscribe).body().contains("<button type=\"submit\">Unsubscribe</button>"), "a page with a button for people");

        String log = output.toString(StandardCharsets.UTF_8);
        assertFalse(log.contains(address), "no address in any log line");
    }

    @Test
    void everyAddressGetsTheSameAnswerWhateverItsState() throws Exception {
        String fresh = address("fresh");
        String pending = address("pending");
        String confirmed = address("confirmed");
        String unsubscribed = address("unsubscribed");
        signUpJson(pending, null);
        signUpJson(confirmed, null);
        confirm(confirmed);
        signUpJson(unsubscribed, null);
        postForm(MailParts.link(text(outbox(unsubscribed).get(0)), "/newsletter/unsubscribe").replaceFirst("^http://[^/]+", ""), "List-Unsubscribe=One-Click");
        assertEquals("UNSUBSCRIBED", state(unsubscribed));
        // The confirmed reader's confirmation went out an hour ago, past the pause between messages.
        dynamoDb.updateItem(r -> r.tableName(table).key(Map.of("pk", item(confirmed).get("pk"), "sk", item(confirmed).get("sk")))
                .updateExpression("SET sentAt = :old").expressionAttributeValues(Map.of(":old",
                        AttributeValue.fromN(Long.toString(java.time.Instant.now().minusSeconds(3600).getEpochSecond())))));

        List<String> answers = new ArrayList<>();
        List<String> formAnswers = new ArrayList<>();
        for (String address : List.of(fresh, pending, confirmed, unsubscribed)) {
            HttpResponse<String> json = signUpJson(address, null);
            answers.add(json.statusCode() + " " + json.headers().firstValue("content-type").orElse("") + " " + json.body());
            HttpResponse<String> form = signUpForm(address);
            formAnswers.add(form.statusCode() + " " + form.headers().firstValue("content-type").orElse("") + " " + form.body());
        }
        assertEquals(1, answers.stream().distinct().count(), "byte-identical JSON answers: " + answers);
        assertEquals(1, formAnswers.stream().distinct().count(), "byte-identical pages");
        assertTrue(answers.get(0).startsWith("202 application/json"));
        assertTrue(formAnswers.get(0).startsWith("202 text/html"));

        assertEquals(1, outbox(fresh).size(), "a confirmation, once: the second signup came within the pause");
        assertEquals(1, outbox(pending).size(), "no second confirmation within the pause");
        List<JsonNode> toConfirmed = outbox(confirmed);
        assertEquals(2, toConfirmed.size(), "the confirmation, then a short note");
        assertEquals(1, toConfirmed.stream().filter(m -> subject(m).startsWith("You are already subscribed")).count(),
                toConfirmed.stream().map(NewsletterTest::subject).toList().toString());
        assertEquals(2, outbox(unsubscribed).size(), "signing up again after unsubscribing asks for confirmation again");
        assertEquals("PENDING", state(unsubscribed));
        assertEquals(2, item(unsubscribed).get("consentHistory").l().size(), "the first consent stays on record beside the new one");
    }

    @Test
    void badInputIsAnsweredWithEveryProblemAndNothingIsStoredOrSent() throws Exception {
        Map<String, Integer> bodies = new LinkedHashMap<>();
        bodies.put("{\"email\":\"not-an-address\",\"consentVersion\":\"2026-11\"}", 400);
        bodies.put("{\"email\":\"a@b\",\"consentVersion\":\"2026-11\"}", 400);
        bodies.put("{\"email\":\"" + "x".repeat(250) + "@example.org\",\"consentVersion\":\"2026-11\"}", 400);
        bodies.put("{\"email\":\"" + address("old-consent") + "\",\"consentVersion\":\"1999-01\"}", 400);
        bodies.put("{\"email\":\"" + address("list") + "\",\"consentVersion\":\"2026-11\",\"list\":\"daily\"}", 400);
        bodies.put("{\"email\":{\"a\":1}}", 400);
        bodies.put("[1,2]", 400);
        bodies.put("{", 400);
        bodies.put("", 400);
        bodies.put("{\"email\":\"" + address("big") + "\",\"name\":\"" + "x".repeat(9000) + "\"}", 413);
        for (Map.Entry<String, Integer> body : bodies.entrySet()) {
            HttpResponse<String> answer = post("/api/newsletter/subscriptions", "application/json", body.getKey(), nextClient());
            String shown = body.getKey().length() > 60 ? body.getKey().substring(0, 60) : body.getKey();
            assertEquals(body.getValue(), answer.statusCode(), shown + " → " + answer.body());
            assertEquals("application/problem+json", answer.headers().firstValue("content-type").orElse(""), shown);
        }
        JsonNode problem = JSON.readTree(post("/api/newsletter/subscriptions", "application/json",
                "{\"email\":\"nope\",\"name\":\"a\\u0007\",\"consentVersion\":\"x\",\"list\":\"daily\"}", nextClient()).body());
        List<String> fields = new ArrayList<>();
        problem.get("errors").forEach(error -> fields.add(error.get("field").asText()));
        assertEquals(List.of("email", "name", "list", "consentVersion"), fields, "every bad field at once");

        HttpResponse<String> form = post("/api/newsletter/subscriptions", "application/x-www-form-urlencoded", "email=nope&consentVersion=2026-11",
                nextClient());
        assertEquals(400, form.statusCode());
        assertTrue(form.headers().firstValue("content-type").orElse("").startsWith("text/html"), "a form without JavaScript gets a page");

        String bot = address("bot");
        HttpResponse<String> honeypot = post("/api/newsletter/subscriptions", "application/json",
                "{\"email\":\"" + bot + "\",\"consentVersion\":\"2026-11\",\"website\":\"http://spam.example\"}", nextClient());
        assertEquals(202, honeypot.statusCode(), "a bot is told what everyone is told");
        assertTrue(outbox(bot).isEmpty() && item(bot).isEmpty(), "and nothing is stored or sent");
        for (String link : List.of("/newsletter/confirm?token=c.x", "/newsletter/confirm", "/newsletter/unsubscribe?token=%00", "/newsletter/unsubscribe")) {
            assertEquals(400, get(link).statusCode(), link);
        }
        assertEquals(400, postForm("/newsletter/confirm", "token=c.abc.weekly.abc.99999999999.xyz").statusCode());
        assertEquals(400, postForm("/newsletter/unsubscribe?token=u.abc.weekly.forged", "List-Unsubscribe=One-Click").statusCode());
    }

    @Test
    void repeatedSignupsAreLimitedPerAddressAndPerClient() throws Exception {
        String address = address("eager");
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            statuses.add(signUpJson(address, null).statusCode());
        }
        assertEquals(List.of(202, 202, 202, 202, 202, 429, 429), statuses, "five an hour per address");
        HttpResponse<String> limited = signUpJson(address, null);
        long retryAfter = Long.parseLong(limited.headers().firstValue("retry-after").orElseThrow());
        assertTrue(retryAfter > 0 && retryAfter <= 3600, "Retry-After: " + retryAfter);
        assertEquals(1, outbox(address).size());

        String client = nextClient();
        List<Integer> fromOneClient = new ArrayList<>();
        for (int i = 0; i < 22; i++) {
            fromOneClient.add(post("/api/newsletter/subscriptions", "application/json",
                    "{\"email\":\"" + address("client-" + i) + "\",\"consentVersion\":\"2026-11\"}", client).statusCode());
        }
        assertEquals(20, fromOneClient.stream().filter(status -> status == 202).count(), "twenty an hour per client");
        assertEquals(429, fromOneClient.get(21));
    }

    @Test
    void aRequestThatDidNotComeThroughTheCdnIsRefused() throws Exception {
        HttpResponse<String> direct = http.send(HttpRequest.newBuilder(uri("/api/newsletter/subscriptions")).header("Content-Type", "application/json")
                .header("CloudFront-Viewer-Address", "203.0.113.9:443")
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + address("direct") + "\",\"consentVersion\":\"2026-11\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, direct.statusCode(), "no secret, no signup: the claimed viewer address is not believed either");
        assertTrue(outbox(address("direct")).isEmpty());
    }

    @Test
    void fiveHundredParallelSignupsLeaveOneSubscriberAndOneMessagePerAddress() throws Exception {
        int addresses = 50;
        int duplicates = 10;
        // A hundred in flight at a time, an address's ten copies side by side: they race each other.
        // (Hundreds of connections at once would outwait the runner's per-request read deadline.)
        java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(100);
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int a = 0; a < addresses; a++) {
            for (int copy = 0; copy < duplicates; copy++) {
                String body = "{\"email\":\"" + address("crowd-" + a) + "\",\"consentVersion\":\"2026-11\"}";
                inFlight.acquire();
                answers.add(http.sendAsync(request("/api/newsletter/subscriptions", "application/json", body, nextClient()),
                        HttpResponse.BodyHandlers.ofString()).whenComplete((answer, failure) -> inFlight.release()));
            }
        }
        Map<Integer, Integer> statuses = new HashMap<>();
        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            statuses.merge(answer.get().statusCode(), 1, Integer::sum);
        }
        assertEquals(500, statuses.getOrDefault(202, 0) + statuses.getOrDefault(429, 0), "accepted or limited, never an error: " + statuses);
        assertTrue(statuses.getOrDefault(202, 0) >= addresses * 5, "at least five per address accepted: " + statuses);
        JsonNode all = outboxAll();
        for (int a = 0; a < addresses; a++) {
            String address = address("crowd-" + a);
            assertEquals(1, outbox(all, address).size(), address + " got exactly one confirmation");
            assertEquals("PENDING", state(address));
        }

    }

    private void confirm(String address) throws Exception {
        String link = MailParts.link(text(outbox(address).get(0)), "/newsletter/confirm");
        postForm("/newsletter/confirm", URI.create(link).getRawQuery());
        assertEquals("CONFIRMED", state(address));
    }

    private String address(String name) {
        return name + "-" + run + "@example.org";
    }

    /** Each signup from its own client address (the CDN names it), unless a test means one client. */
    private String nextClient() {
        client++;
        return "198.51." + (client / 250) + "." + (client % 250 + 1) + ":443";
    }

    private HttpResponse<String> signUpJson(String address, String name) throws Exception {
        String body = "{\"email\":\"" + address + "\",\"consentVersion\":\"2026-11\",\"page\":\"/articles/x\"" + (name == null ? "" : ",\"name\":\"" + name + "\"") + "}";
        return post("/api/newsletter/subscriptions", "application/json", body, nextClient());
    }

    private HttpResponse<String> signUpForm(String address) throws Exception {
        return post("/api/newsletter/subscriptions", "application/x-www-form-urlencoded",
                "email=" + URLEncoder.encode(address, StandardCharsets.UTF_8) + "&consentVersion=2026-11&list=weekly&page=%2Farticles%2Fx&website=",
                nextClient());
    }

    private HttpResponse<String> post(String path, String type, String body, String client) throws Exception {
        return http.send(request(path, type, body, client), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String path, String type, String body, String client) {
        return HttpRequest.newBuilder(uri(path)).header("Content-Type", type).header("CloudFront-Viewer-Address", client)
                .header("X-Origin-Verify", ORIGIN_SECRET).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private HttpResponse<String> postForm(String path, String body) throws Exception {
        return post(path, "application/x-www-form-urlencoded", body, nextClient());
    }

    private HttpResponse<String> get(String url) throws Exception {
        URI target = url.startsWith("http") ? URI.create(url) : uri(url);
        return http.send(HttpRequest.newBuilder(target).header("X-Origin-Verify", ORIGIN_SECRET).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + runner.port() + path);
    }

    private JsonNode outboxAll() throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(uri("/_local/outbox")).header("Accept", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        JsonNode root = JSON.readTree(answer.body());
        return root.has("emails") ? root.get("emails") : root;
    }

    private List<JsonNode> outbox(String address) throws Exception {
        return outbox(outboxAll(), address);
    }

    /** The messages to this address, oldest first. */
    private static List<JsonNode> outbox(JsonNode all, String address) {
        List<JsonNode> messages = new ArrayList<>();
        for (JsonNode message : all) {
            if (message.toString().contains("\"" + address + "\"")) {
                messages.add(message);
            }
        }
        messages.sort(java.util.Comparator.comparing(m -> m.path("at").asText()));
        return messages;
    }

    private static String text(JsonNode message) {
        return message.path("body").path("text").asText(message.path("text").asText());
    }

    private static String subject(JsonNode message) {
        return message.path("subject").asText();
    }

    private String state(String address) {
        return item(address).get("state").s();
    }

    private Map<String, AttributeValue> item(String address) {
        // The subscriber's key is a pseudonym of the address: the first 16 bytes of its SHA-256, in hex.
        String id;
        try {
            id = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(address.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.UTF_8)), 0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        var response = dynamoDb.getItem(r -> r.tableName(table).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS("subscriber#" + id), "sk", AttributeValue.fromS("list#weekly"))));
        return response.hasItem() ? response.item() : Map.of();
    }
}
