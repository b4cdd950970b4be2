package com.meridianreview.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.meridianreview.core.Article;
import com.meridianreview.core.Articles;
import com.meridianreview.core.Config;
import com.meridianreview.core.ContentStore;
import com.meridianreview.core.DynamoDbFixtures;
import com.meridianreview.core.Html5Check;
import com.meridianreview.core.Image;
import com.meridianreview.core.NewsletterIssue;
import com.meridianreview.core.NewsletterIssues;
import com.meridianreview.emulators.Emulators;
import com.meridianreview.emulators.EmulatorsExtension;
import com.meridianreview.emulators.TestResources;
import com.meridianreview.subscribers.EmailAddress;
import com.meridianreview.subscribers.NewsletterTokens;
import com.meridianreview.subscribers.Subscribers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * The round-up against real emulators (Dynoxide, the SES emulator): what goes into an issue, and
 * that every confirmed subscriber gets it exactly once however the runs come.
 */
@ExtendWith(EmulatorsExtension.class)
class RoundUpTest {

    static final String KEY = "a-newsletter-signing-key-of-at-least-32-characters";
    static final Instant SATURDAY = Instant.parse("2026-11-28T08:00:00Z");
    /** After the scheduled story's time, so that only the issue's own cut-off keeps it out. */
    static final Clock CLOCK = Clock.fixed(SATURDAY.plusSeconds(3 * 3600), ZoneOffset.UTC);
    static final ObjectMapper JSON = new ObjectMapper();

    static DynamoDbClient dynamoDb;
    static SesV2Client ses;
    static Emulators emulators;
    static String contentTable;

    @BeforeAll
    static void content(TestResources resources) {
        emulators = resources.emulators();
        dynamoDb = DynamoDbFixtures.client(emulators);
        ses = SesV2Client.builder().httpClient(Apache5HttpClient.create()).region(Region.of(Emulators.REGION))
                .endpointOverride(emulators.sesEndpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        emulators.credentials().accessKeyId(), emulators.credentials().secretAccessKey())))
                .build();
        contentTable = resources.name("content");
        DynamoDbFixtures.createContentTable(dynamoDb, contentTable);
        ContentStore store = new ContentStore(dynamoDb, contentTable);
        store.publish(sized(Articles.article("ceasefire-talks-resume", "2026-11-27T18:00:00Z", "Diplomacy Watch", List.of("Ceasefire"))));
        store.publish(sized(Articles.article("grain-corridor-reopens", "2026-11-26T09:00:00Z", "Regional Briefing", List.of("Trade"))));
        store.publish(Articles.article("sanctions-explained", "2026-11-25T09:00:00Z", "Analysis", List.of("Sanctions")));
        store.publish(Articles.article("envoy-named", "2026-11-23T09:00:00Z", "Diplomacy Watch", List.of("Envoys")));
        store.publish(Articles.article("a-new-section-story", "2026-11-24T09:00:00Z", "Field Reports", List.of("Envoys")));
        // Not in the week: older than seven days, a draft, withdrawn, and one scheduled after the issue's time.
        store.publish(Articles.article("last-weeks-news", "2026-11-21T07:59:00Z", "Analysis", List.of("Old")));
        store.publish(Articles.withStatus(Articles.article("draft-story", "2026-11-26T10:00:00Z", "Analysis", List.of("X")), Article.Status.DRAFT));
        store.publish(Articles.withStatus(Articles.article("withdrawn-story", "2026-11-26T11:00:00Z", "Analysis", List.of("X")),
                Article.Status.UNPUBLISHED));
        store.publish(Articles.article("scheduled-story", "2026-11-28T09:00:00Z", "Analysis", List.of("X")));
    }

    private static Article sized(Article a) {
        Image image = a.image().withSize(2400, 1350, List.of(new Image.Rendition("r/" + a.slug() + "-480.jpg", 480, 270),
                new Image.Rendition("r/" + a.slug() + "-1200.jpg", 1200, 675)));
        return new Article(a.slug(), a.headline(), a.dek(), a.section(), a.type(), a.channel(), a.region(), a.tags(), a.authors(),
                a.publishedAt(), a.updatedAt(), a.status(), image, a.bodyHtml(), a.excerpt(), a.readingMinutes(), a.corrections());
    }

    @Test
    void theIssueHoldsTheWeeksPublishedStoriesByNewestLeadThenSectionsInTheEditorsOrder(TestResources resources) throws Exception {
        Mailing mailing = new Mailing(resources, "compose");
        JsonNode run = mailing.send(SATURDAY, RunContext.unhurried());
        assertEquals("sent", run.path("result").asText(), run.toString());
        NewsletterIssue issue = new NewsletterIssues(dynamoDb, contentTable).issue("weekly", LocalDate.parse("2026-11-28")).orElseThrow();
        assertEquals(5, issue.storyCount());
        assertEquals("The Meridian Review weekly: Headline of ceasefire-talks-resume", issue.subject());
        assertEquals("Dek of ceasefire-talks-resume", issue.preheader());
        String page = issue.page();
        for (String excluded : List.of("last-weeks-news", "draft-story", "withdrawn-story", "scheduled-story")) {
            assertFalse(page.contains(excluded), excluded + " is not in this week's issue");
            assertFalse(issue.text().contains(excluded), excluded + " is not in the text part");
        }
        // The lead first; then Diplomacy Watch, Analysis, Regional Briefing (the editors' order), then a section they did not list.
        List<String> order = List.of("articles/ceasefire-talks-resume", "sections/diplomacy-watch", "articles/envoy-named", "sections/analysis",
                "articles/sanctions-explained", "sections/regional-briefing", "articles/grain-corridor-reopens", "sections/field-reports",
                "articles/a-new-section-story");
        int at = -1;
        for (String link : order) {
            int next = page.indexOf(link, at + 1);
            assertTrue(next > at, link + " comes after the one before it");
            at = next;
        }
        assertTrue(page.contains("utm_campaign=weekly-2026-11-28"), "links carry the campaign");
        assertFalse(page.toLowerCase().contains("<script"), "no scripts in mail");
        Matcher img = Pattern.compile("<img [^>]*>").matcher(issue.html());
        int images = 0;
        while (img.find()) {
            images++;
            assertTrue(img.group().matches(".*width=\"\\d+\".*height=\"\\d+\".*alt=\".*"), img.group());
        }
        assertEquals(2, images, "the two stories whose image sizes are known show them");
        assertTrue(issue.html().contains("https://magazine.example/images/r/ceasefire-talks-resume-1200.jpg"),
                "the lead's picture is the rendition twice its shown width, at an absolute address");
        assertTrue(issue.html().contains("/newsletter/issues/2026-11-28"), "a view-in-browser link");
        assertFalse(page.contains(NewsletterIssue.UNSUBSCRIBE_LINK), "nobody's link on the archive page");
        assertTrue(issue.text().contains("Headline of grain-corridor-reopens\nDek of grain-corridor-reopens\nhttps://magazine.example/articles/"));
        for (String html : List.of(issue.page(), issue.html().replace(NewsletterIssue.UNSUBSCRIBE_LINK, "https://magazine.example/newsletter/unsubscribe?token=u.a.b.c"))) {
            List<String> problems = new ArrayList<>(Html5Check.validatorMessages(html));
            problems.addAll(Html5Check.headingOutline(html));
            assertEquals(List.of(), problems, "the issue is valid HTML5 with a sound outline");
        }
    }

    @Test
    void everyConfirmedSubscriberGetsTheIssueOnceEvenWhenTheEventArrivesThreeTimesAtOnce(TestResources resources) throws Exception {
        Mailing mailing = new Mailing(resources, "thrice");
        List<String> confirmed = mailing.subscribe(500, 20, 20);
        ExecutorService runs = Executors.newFixedThreadPool(3);
        try {
            List<Future<JsonNode>> results = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                results.add(runs.submit(() -> mailing.send(SATURDAY, RunContext.unhurried())));
            }
            int sent = 0;
            for (Future<JsonNode> result : results) {
                // A run that comes after the send has ended finds it "sent before".
                assertTrue(List.of("sent", "busy", "sent before").contains(result.get().path("result").asText()), result.get().toString());
                sent += result.get().path("sent").asInt();
            }
            assertEquals(500, sent, "the three runs between them sent each message once");
        } finally {
            runs.shutdown();
        }
        Map<String, List<JsonNode>> received = mailing.received();
        assertEquals(500, received.size(), "no one else got it");
        NewsletterTokens tokens = new NewsletterTokens(KEY, CLOCK);
        for (String address : confirmed) {
            List<JsonNode> messages = received.get(address);
            assertEquals(1, messages == null ? 0 : messages.size(), address);
            JsonNode message = messages.get(0);
            String unsubscribe = header(message, "List-Unsubscribe");
            Matcher token = Pattern.compile("<https://magazine\\.example/newsletter/unsubscribe\\?token=([^>]+)>").matcher(unsubscribe);
            assertTrue(token.matches(), unsubscribe);
            assertEquals(new EmailAddress(address).id(), tokens.readUnsubscribe(token.group(1)).orElseThrow().subscriberId(), "their own link");
            assertEquals("List-Unsubscribe=One-Click", header(message, "List-Unsubscribe-Post"));
            assertTrue(message.path("body").path("html").asText().contains(token.group(1)), "the link in the message is theirs too");
            assertTrue(message.path("body").path("text").asText().contains(token.group(1)));
        }
        assertEquals("sent before", mailing.send(SATURDAY, RunContext.unhurried()).path("result").asText(), "a fourth delivery does nothing");
        assertEquals(500, mailing.received().size());
    }

    @Test
    void aRunThatRunsOutOfTimeStopsAndTheNextGoesOnWithoutRepeatingAnyone(TestResources resources) throws Exception {
        Mailing mailing = new Mailing(resources, "resume");
        mailing.subscribe(250, 0, 0);
        AtomicInteger checks = new AtomicInteger();
        // Plenty of time for the first 120 looks at the clock, then less than the margin.
        JsonNode first = mailing.send(SATURDAY, new RunContext(() -> checks.incrementAndGet() < 120 ? 900_000 : 5_000));
        assertEquals("unfinished", first.path("result").asText(), first.toString());
        int sentFirst = first.path("sent").asInt();
        assertTrue(sentFirst > 0 && sentFirst < 250, first.toString());
        assertEquals(sentFirst, mailing.received().size());
        JsonNode resumed = mailing.invoke("{\"resume\":\"weekly\"}", RunContext.unhurried());
        assertEquals("sent", resumed.path("result").asText(), resumed.toString());
        assertEquals(250 - sentFirst, resumed.path("sent").asInt());
        Map<String, List<JsonNode>> received = mailing.received();
        assertEquals(250, received.size());
        assertTrue(received.values().stream().allMatch(messages -> messages.size() == 1), "nobody twice");
        assertEquals("nothing to resume", mailing.invoke("{\"resume\":\"weekly\"}", RunContext.unhurried()).path("result").asText());
    }

    @Test
    void whileAnotherRunHoldsTheSendARunLeavesItAndTakesItUpOnceTheLeaseRunsOut(TestResources resources) throws Exception {
        MovingClock clock = new MovingClock(CLOCK.instant());
        Mailing mailing = new Mailing(resources, "lease", clock);
        mailing.subscribe(30, 0, 0);
        SendProgress progress = new SendProgress(dynamoDb, mailing.table, clock);
        progress.begin("weekly", LocalDate.parse("2026-11-28"));
        assertTrue(progress.acquire("weekly", LocalDate.parse("2026-11-28"), "a-run-in-another-container").isPresent());
        JsonNode busy = mailing.send(SATURDAY, RunContext.unhurried());
        assertEquals("busy", busy.path("result").asText(), busy.toString());
        assertEquals(0, mailing.received().size(), "nothing sent beside a run that holds the send");
        clock.advance(SendProgress.LEASE.plusSeconds(1));
        JsonNode taken = mailing.invoke("{\"resume\":\"weekly\"}", RunContext.unhurried());
        assertEquals("sent", taken.path("result").asText(), taken.toString());
        assertEquals(30, mailing.received().size());
    }

    @Test
    void subscribersConfirmedBeforeTheMailingIndexGetTheIssueOnceTheOperatorIndexesThem(TestResources resources) throws Exception {
        Mailing mailing = new Mailing(resources, "reindex");
        List<String> confirmed = mailing.subscribe(4, 0, 0);
        for (String address : confirmed.subList(0, 2)) {
            // As a confirmation written before subscribers carried the list's name.
            dynamoDb.updateItem(u -> u.tableName(mailing.table).updateExpression("REMOVE mailing").key(Map.of(
                    "pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("subscriber#" + new EmailAddress(address).id()),
                    "sk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("list#weekly"))));
        }
        assertEquals(2, mailing.subscribers.indexConfirmed());
        assertEquals(0, mailing.subscribers.indexConfirmed(), "once is enough");
        mailing.send(SATURDAY, RunContext.unhurried());
        assertEquals(java.util.Set.copyOf(confirmed), mailing.received().keySet());
    }

    @Test
    void aDeliveryThatAStoppedRunLeftInDoubtIsReportedAndNotSentAgain(TestResources resources) throws Exception {
        Mailing mailing = new Mailing(resources, "doubt");
        List<String> confirmed = mailing.subscribe(5, 0, 0);
        String id = new EmailAddress(confirmed.get(3)).id();
        // What a run leaves when it stops between claiming a delivery and hearing back from SES.
        long claimedAt = CLOCK.instant().minusSeconds(60).getEpochSecond();
        dynamoDb.putItem(put -> put.tableName(mailing.table).item(Map.of(
                "pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("subscriber#" + id),
                "sk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("issue#weekly#2026-11-28"),
                "delivery", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("sending"),
                "run", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("a-run-that-died"),
                "claimedAt", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromN(Long.toString(claimedAt)))));
        JsonNode run = mailing.send(SATURDAY, RunContext.unhurried());
        assertEquals(4, run.path("sent").asInt(), run.toString());
        assertEquals(1, run.path("inDoubt").asInt(), run.toString());
        assertFalse(mailing.received().containsKey(confirmed.get(3)));
    }

    @Test
    void sesAnswersThatNothingWasSentNeverCostAReaderTheirIssueNorSendItTwice(TestResources resources) throws Exception {
        try (SesWithFaults ses = new SesWithFaults(emulators.sesEndpoint())) {
            Mailing mailing = new Mailing(resources, "faults", CLOCK, ses.endpoint());
            List<String> confirmed = mailing.subscribe(12, 0, 0);
            // Throttled twice, then through; one address refused; one through; then the account may not send.
            ses.plan(List.of(SesWithFaults.Outcome.THROTTLE, SesWithFaults.Outcome.THROTTLE, SesWithFaults.Outcome.PASS,
                    SesWithFaults.Outcome.REJECT, SesWithFaults.Outcome.PASS, SesWithFaults.Outcome.DENY));
            JsonNode stopped = mailing.send(SATURDAY, RunContext.unhurried());
            assertEquals("stopped", stopped.path("result").asText(), stopped.toString());
            assertEquals(2, stopped.path("sent").asInt(), stopped.toString());
            assertEquals(1, stopped.path("refused").asInt(), stopped.toString());
            JsonNode resumed = mailing.invoke("{\"resume\":\"weekly\"}", RunContext.unhurried());
            assertEquals("sent", resumed.path("result").asText(), resumed.toString());
            assertEquals(9, resumed.path("sent").asInt(), "the reader whose send was not allowed is sent to now: " + resumed);
            Map<String, List<JsonNode>> received = mailing.received();
            assertEquals(11, received.size(), "everyone but the refused address");
            received.forEach((address, messages) -> assertEquals(1, messages.size(), address));
            assertTrue(confirmed.containsAll(received.keySet()));
        }
    }

    @Test
    void refusalsInARowPointAtTheSenderAndAreTakenBackForTheNextRun(TestResources resources) throws Exception {
        try (SesWithFaults ses = new SesWithFaults(emulators.sesEndpoint())) {
            Mailing mailing = new Mailing(resources, "streak", CLOCK, ses.endpoint());
            mailing.subscribe(15, 0, 0);
            ses.plan(java.util.Collections.nCopies(IssueSender.REFUSALS_IN_A_ROW, SesWithFaults.Outcome.REJECT));
            JsonNode stopped = mailing.send(SATURDAY, RunContext.unhurried());
            assertEquals("stopped", stopped.path("result").asText(), stopped.toString());
            assertEquals(0, stopped.path("refused").asInt(), "taken back, not held against the readers: " + stopped);
            JsonNode resumed = mailing.invoke("{\"resume\":\"weekly\"}", RunContext.unhurried());
            assertEquals(15, resumed.path("sent").asInt(), resumed.toString());
            assertEquals(15, mailing.received().size());
        }
    }

    @Test
    void refusalsInARowAcrossTwoPagesAreAllLookedAtAgain(TestResources resources) throws Exception {
        try (SesWithFaults ses = new SesWithFaults(emulators.sesEndpoint())) {
            Mailing mailing = new Mailing(resources, "across", CLOCK, ses.endpoint());
            mailing.subscribe(IssueSender.PAGE_SIZE + 10, 0, 0);
            // The sender starts refusing four readers before the first page ends.
            List<SesWithFaults.Outcome> plan = new ArrayList<>(java.util.Collections.nCopies(IssueSender.PAGE_SIZE - 4, SesWithFaults.Outcome.PASS));
            plan.addAll(java.util.Collections.nCopies(IssueSender.REFUSALS_IN_A_ROW, SesWithFaults.Outcome.REJECT));
            ses.plan(plan);
            JsonNode stopped = mailing.send(SATURDAY, RunContext.unhurried());
            assertEquals("stopped", stopped.path("result").asText(), stopped.toString());
            JsonNode resumed = mailing.invoke("{\"resume\":\"weekly\"}", RunContext.unhurried());
            assertEquals("sent", resumed.path("result").asText(), resumed.toString());
            Map<String, List<JsonNode>> received = mailing.received();
            assertEquals(IssueSender.PAGE_SIZE + 10, received.size(), "the four on the first page too");
            received.forEach((address, messages) -> assertEquals(1, messages.size(), address));
        }
    }

    @Test
    void aMessageWhoseAnswerWasLostIsCountedInDoubtAndNotSentAgain(TestResources resources) throws Exception {
        try (SesWithFaults ses = new SesWithFaults(emulators.sesEndpoint())) {
            Mailing mailing = new Mailing(resources, "lost", CLOCK, ses.endpoint());
            mailing.subscribe(5, 0, 0);
            ses.plan(List.of(SesWithFaults.Outcome.PASS, SesWithFaults.Outcome.SEND_THEN_DROP));
            JsonNode stopped = mailing.send(SATURDAY, RunContext.unhurried());
            assertEquals("stopped", stopped.path("result").asText(), stopped.toString());
            assertEquals(1, stopped.path("inDoubt").asInt(), stopped.toString());
            JsonNode resumed = mailing.invoke("{\"resume\":\"weekly\"}", RunContext.unhurried());
            assertEquals("sent", resumed.path("result").asText(), resumed.toString());
            assertEquals(3, resumed.path("sent").asInt(), resumed.toString());
            assertEquals(1, resumed.path("inDoubt").asInt(), "met again, reported again, not sent: " + resumed);
            Map<String, List<JsonNode>> received = mailing.received();
            assertEquals(5, received.size(), "the lost answer's message did arrive");
            received.forEach((address, messages) -> assertEquals(1, messages.size(), address + " once"));
        }
    }

    @Test
    void anEditorsPreviewWhileTheTableIsUnreachableIsA503ToTryAgain() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("CONTENT_TABLE", contentTable);
        env.put("SUBSCRIBERS_TABLE", "unreachable");
        env.put("SITE_URL", "https://magazine.example");
        env.put("NEWSLETTER_KEY", KEY);
        env.put("NEWSLETTER_FROM", "round-up@magazine.example");
        env.put("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:9");
        env.put("AWS_ACCESS_KEY_ID", emulators.credentials().accessKeyId());
        env.put("AWS_SECRET_ACCESS_KEY", emulators.credentials().secretAccessKey());
        Config config = new Config(env);
        DigestHandler handler = new DigestHandler(config, com.meridianreview.core.AwsClients.dynamoDb(config), DigestHandler.sesClient(config),
                new JsonFactory(), CLOCK);
        String event = "{\"version\":\"2.0\",\"routeKey\":\"GET /api/editor/newsletter/preview\",\"rawPath\":\"/api/editor/newsletter/preview\","
                + "\"rawQueryString\":\"\",\"headers\":{},\"requestContext\":{\"http\":{\"method\":\"GET\",\"path\":\"/api/editor/newsletter/preview\","
                + "\"sourceIp\":\"127.0.0.1\"},\"requestId\":\"r1\",\"authorizer\":{\"jwt\":{\"claims\":{\"sub\":\"editor-ana\","
                + "\"cognito:groups\":\"[editors]\"},\"scopes\":null}}},\"isBase64Encoded\":false}";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, RunContext.unhurried());
        JsonNode response = JSON.readTree(out.toByteArray());
        assertEquals(503, response.path("statusCode").asInt(), response.toString());
        assertEquals("10", response.path("headers").path("retry-after").asText());
        assertFalse(response.path("body").asText().contains("Exception"), "no stack trace");
    }

    @Test
    void aBounceOrAComplaintStopsMailToThatAddress(TestResources resources) throws Exception {
        Mailing mailing = new Mailing(resources, "bounce");
        List<String> confirmed = mailing.subscribe(3, 0, 0);
        String bounce = "{\"eventType\":\"Bounce\",\"bounce\":{\"bounceType\":\"Permanent\",\"bouncedRecipients\":[{\"emailAddress\":\""
                + confirmed.get(0) + "\"}]},\"mail\":{\"destination\":[\"" + confirmed.get(0) + "\"]}}";
        String complaint = "{\"notificationType\":\"Complaint\",\"complaint\":{\"complainedRecipients\":[{\"emailAddress\":\""
                + confirmed.get(1) + "\"}]}}";
        String transient_ = "{\"eventType\":\"Bounce\",\"bounce\":{\"bounceType\":\"Transient\",\"bouncedRecipients\":[{\"emailAddress\":\""
                + confirmed.get(2) + "\"}]}}";
        StringBuilder records = new StringBuilder("{\"Records\":[");
        for (String message : List.of(bounce, complaint, transient_, "not json")) {
            if (records.charAt(records.length() - 1) != '[') {
                records.append(',');
            }
            records.append("{\"EventSource\":\"aws:sns\",\"Sns\":{\"Message\":").append(JSON.writeValueAsString(message)).append("}}");
        }
        JsonNode handled = mailing.invoke(records.append("]}").toString(), RunContext.unhurried());
        assertEquals(2, handled.path("stopped").asInt(), handled.toString());
        mailing.send(SATURDAY, RunContext.unhurried());
        assertEquals(List.of(confirmed.get(2)), new ArrayList<>(mailing.received().keySet()), "only the transient bounce still gets mail");
        var stopped = mailing.subscribers.find(new EmailAddress(confirmed.get(0)).id(), "weekly").orElseThrow();
        assertEquals(Subscribers.State.UNSUBSCRIBED, stopped.state());
    }

    private static String header(JsonNode message, String name) {
        for (JsonNode header : message.path("headers")) {
            if (header.path("name").asText().equalsIgnoreCase(name)) {
                return header.path("value").asText();
            }
        }
        return "";
    }

    /** One test's subscribers table, handler and the addresses (at a domain of its own) it mails. */
    static final class Mailing {
        final String table;
        final String domain;
        final Subscribers subscribers;
        final DigestHandler handler;

        Mailing(TestResources resources, String name) {
            this(resources, name, CLOCK);
        }

        Mailing(TestResources resources, String name, Clock clock) {
            this(resources, name, clock, emulators.sesEndpoint());
        }

        /** {@code sesEndpoint}: where the handler's own SES client (its timeouts, no retries of its own) sends. */
        Mailing(TestResources resources, String name, Clock clock, java.net.URI sesEndpoint) {
            this.table = resources.name("subscribers-" + name);
            this.domain = name + "-" + UUID.randomUUID().toString().substring(0, 8) + ".example";
            createSubscribersTable(table);
            this.subscribers = new Subscribers(dynamoDb, table, clock);
            Map<String, String> env = new HashMap<>();
            env.put("CONTENT_TABLE", contentTable);
            env.put("SUBSCRIBERS_TABLE", table);
            env.put("SITE_URL", "https://magazine.example");
            env.put("NEWSLETTER_KEY", KEY);
            env.put("NEWSLETTER_FROM", "round-up@magazine.example");
            env.put("SEND_RATE_PER_SECOND", "5000");
            env.put("DIGEST_TIME_ZONE", "Europe/London");
            env.put("SITE_SECTIONS", "Diplomacy Watch, Analysis, Regional Briefing, Opinion");
            env.put("AWS_ENDPOINT_URL_SESV2", sesEndpoint.toString());
            env.put("AWS_ACCESS_KEY_ID", emulators.credentials().accessKeyId());
            env.put("AWS_SECRET_ACCESS_KEY", emulators.credentials().secretAccessKey());
            env.put("AWS_REGION", Emulators.REGION);
            this.handler = new DigestHandler(new Config(env), dynamoDb, DigestHandler.sesClient(new Config(env)), new JsonFactory(), clock);
        }

        /** Confirmed, pending and unsubscribed subscribers, made as readers make them; the confirmed addresses. */
        List<String> subscribe(int confirmedCount, int pending, int unsubscribed) {
            List<String> confirmed = new ArrayList<>();
            var consent = new Subscribers.Consent(CLOCK.instant(), "/", "v1", "hash");
            for (int i = 0; i < confirmedCount + pending + unsubscribed; i++) {
                EmailAddress email = new EmailAddress("reader" + i + "@" + domain);
                subscribers.addPending(email, "weekly", null, "nonce" + i, consent);
                if (i < confirmedCount + unsubscribed) {
                    subscribers.confirm(email.id(), "weekly", "nonce" + i);
                }
                if (i >= confirmedCount && i < confirmedCount + unsubscribed) {
                    subscribers.unsubscribe(email.id(), "weekly");
                }
                if (i < confirmedCount) {
                    confirmed.add(email.value());
                }
            }
            return confirmed;
        }

        JsonNode send(Instant scheduledTime, RunContext context) throws Exception {
            return invoke("{\"send\":\"weekly\",\"scheduledTime\":\"" + scheduledTime + "\"}", context);
        }

        JsonNode invoke(String event, RunContext context) throws Exception {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, context);
            return JSON.readTree(out.toByteArray());
        }

        /** The messages the SES emulator holds for this test's addresses, by address. */
        Map<String, List<JsonNode>> received() throws Exception {
            HttpResponse<String> store = HttpClient.newHttpClient().send(HttpRequest.newBuilder(emulators.sesEndpoint().resolve("/store"))
                    .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
            Map<String, List<JsonNode>> byAddress = new HashMap<>();
            for (JsonNode email : JSON.readTree(store.body()).path("emails")) {
                for (JsonNode to : email.path("destination").path("to")) {
                    if (to.asText().endsWith("@" + domain)) {
                        byAddress.computeIfAbsent(to.asText(), a -> new ArrayList<>()).add(email);
                    }
                }
            }
            return byAddress;
        }
    }

    /** A clock the test moves on, as time passes for a lease. */
    static final class MovingClock extends Clock {
        private Instant now;

        MovingClock(Instant start) {
            this.now = start;
        }

        synchronized void advance(java.time.Duration by) {
            now = now.plus(by);
        }

        @Override
        public synchronized Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    static void createSubscribersTable(String name) {
        dynamoDb.createTable(table -> table.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attribute("pk"), attribute("sk"), attribute("mailing"))
                .keySchema(key("pk", KeyType.HASH), key("sk", KeyType.RANGE))
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName(Subscribers.MAILING_INDEX)
                        .keySchema(key("mailing", KeyType.HASH), key("pk", KeyType.RANGE))
                        .projection(p -> p.projectionType(ProjectionType.INCLUDE).nonKeyAttributes("email")).build()));
    }

    private static AttributeDefinition attribute(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }
}
