package com.meridianreview.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.meridianreview.emulators.EmulatorsExtension;
import com.meridianreview.emulators.TestResources;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schedules, SNS messages and SES mail events through a real runner, seen by the echo function,
 * which keeps each event with a "Records" key. The runner's clock starts two seconds before the
 * weekly digest is due, so that it fires on its own once during the run.
 */
@ExtendWith(EmulatorsExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventSourcesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant START = Instant.parse("2026-11-28T07:59:58Z");
    private static final Instant DIGEST_DUE = Instant.parse("2026-11-28T08:00:00Z");
    private static final Duration LIMIT = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newHttpClient();
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final ClockStartingAt clock = new ClockStartingAt(START);
    private LocalRunner runner;
    private TestResources resources;
    private Path echoDir;

    @BeforeAll
    void start(TestResources resources, @TempDir Path echoDir) {
        this.resources = resources;
        this.echoDir = echoDir;
        runner = LocalRunner.start(new LocalRunner.Options(0, null, false, EventSourcesTemplateTest.EVENTS_TEMPLATE, null, resources.prefix(),
                        2, Duration.ofMinutes(5), LocalRunner.defaultRuntimeDir(), Map.of("EchoDir", echoDir.toString())),
                resources.emulators(), new PrintStream(output, true, StandardCharsets.UTF_8), clock, true);
    }

    @AfterAll
    void stop() {
        runner.close();
    }

    @Test
    void atStartTheRunnerSaysWhenEachScheduleIsNextDue() throws Exception {
        String started = output();
        for (String line : List.of(
                "Schedule WeeklyDigest: cron(0 8 ? * SAT *) Europe/London, next 2026-11-28T08:00:00Z -> EchoFunction",
                "Schedule nightly-cleanup: rate(1 day) UTC, next 2026-11-29T07:59:58Z -> EchoFunction",
                "Schedule Paused: rate(5 minutes) UTC, disabled, fires only on demand -> EchoFunction",
                "Schedule LastFriday: cron(0 9 ? * 6L *) UTC, fires only on demand (L, W and # are not evaluated locally) -> EchoFunction")) {
            assertTrue(started.lines().anyMatch(line::equals), line + "\n" + started);
        }

        HttpResponse<String> list = send("GET", "/_local/schedules", "");
        assertEquals(200, list.statusCode());
        assertEquals("application/json", list.headers().firstValue("content-type").orElseThrow());
        JsonNode schedules = JSON.readTree(list.body());
        List<String> names = new ArrayList<>();
        schedules.forEach(schedule -> names.add(schedule.get("name").asText()));
        assertEquals(List.of("WeeklyDigest", "nightly-cleanup", "Paused", "LastFriday"), names);
        assertEquals("2026-11-29T07:59:58Z", schedules.get(1).get("next").asText());
        assertEquals("DISABLED", schedules.get(2).get("state").asText());
        assertTrue(schedules.get(2).get("next").isNull());
        assertTrue(List.of("2026-11-28T08:00:00Z", "2026-12-05T08:00:00Z").contains(schedules.get(0).get("next").asText()),
                "before or after this run's digest: " + schedules.get(0));
    }

    @Test
    void aScheduleFiresOnItsOwnWhenDueWithItsContextAttributesFilledIn() throws Exception {
        while (clock.instant().isBefore(DIGEST_DUE)) {
            Thread.sleep(100);
        }
        assertTrue(runner.awaitEvents(LIMIT), "waits for the schedules due by now, and their invocations\n" + output());
        List<JsonNode> digests = events(event -> event.path("job").asText().equals("digest"));
        assertEquals(1, digests.size(), digests + "\n" + output());
        JsonNode digest = digests.get(0);
        assertEquals("2026-11-28T08:00:00Z", digest.get("scheduledTime").asText());
        assertEquals("arn:aws:scheduler:us-east-1:000000000000:schedule/default/WeeklyDigest", digest.get("schedule").asText());
        assertEquals("1", digest.get("attempt").asText());
        assertEquals(UUID.fromString(digest.get("executionId").asText()).toString(), digest.get("executionId").asText());
        assertTrue(output().contains("EchoFunction event schedule WeeklyDigest handled in "), output());
        assertEquals("2026-12-05T08:00:00Z", JSON.readTree(send("GET", "/_local/schedules", "").body()).get(0).get("next").asText(),
                "then planned for the next Saturday");
    }

    @Test
    void aScheduleFiredOnDemandCarriesTheScheduledTimeAskedFor() throws Exception {
        JsonNode first = accepted(send("POST", "/_local/schedules/nightly-cleanup?time=2026-01-01T03:00:00Z", ""));
        JsonNode again = accepted(send("POST", "/_local/schedules/nightly-cleanup?time=2026-01-01T03:00:00Z", ""));
        assertEquals("nightly-cleanup", first.get("schedule").asText());
        assertEquals("2026-01-01T03:00:00Z", first.get("scheduledTime").asText());
        assertNotEquals(first.get("executionId"), again.get("executionId"));
        JsonNode now = accepted(send("POST", "/_local/schedules/nightly-cleanup", ""));
        assertTrue(runner.awaitEvents(LIMIT), output());

        List<JsonNode> cleanups = events(event -> event.path("job").asText().equals("cleanup"));
        assertEquals(3, cleanups.size(), cleanups.toString());
        List<String> sameOccurrence = cleanups.stream().filter(event -> event.get("scheduledTime").asText().equals("2026-01-01T03:00:00Z"))
                .map(event -> event.get("executionId").asText()).sorted().toList();
        assertEquals(Stream.of(first, again).map(answer -> answer.get("executionId").asText()).sorted().toList(), sameOccurrence,
                "the same occurrence twice, each with its own execution id");
        assertTrue(cleanups.stream().anyMatch(event -> event.get("scheduledTime").asText().equals(now.get("scheduledTime").asText())
                && event.get("executionId").asText().equals(now.get("executionId").asText())), now + " " + cleanups);
    }

    @Test
    void aDisabledScheduleOrOneTheRunnerCannotTimeStillFiresOnDemand() throws Exception {
        accepted(send("POST", "/_local/schedules/Paused", ""));
        accepted(send("POST", "/_local/schedules/LastFriday", ""));
        assertTrue(runner.awaitEvents(LIMIT), output());
        assertTrue(output().contains("EchoFunction event schedule Paused handled in "), "an empty object, without Input\n" + output());
        assertEquals(1, events(event -> event.path("job").asText().equals("last-friday")).size());
    }

    @Test
    void aMessagePublishedToATopicReachesItsSubscriberAsLambdasSnsEvent() throws Exception {
        String message = "{\"note\":\"hello " + UUID.randomUUID() + "\"}";
        JsonNode answer = accepted(send("POST", "/_local/sns/MailEvents", message));
        assertTrue(runner.awaitEvents(LIMIT), output());

        List<JsonNode> received = events(event -> message.equals(event.at("/Records/0/Sns/Message").asText()));
        assertEquals(1, received.size(), output());
        JsonNode record = received.get(0).get("Records").get(0);
        String topicArn = "arn:aws:sns:us-east-1:000000000000:" + resources.prefix() + "MailEvents";
        assertEquals("aws:sns", record.get("EventSource").asText());
        assertEquals("1.0", record.get("EventVersion").asText());
        assertTrue(record.get("EventSubscriptionArn").asText().startsWith(topicArn + ":"), record.toString());
        JsonNode sns = record.get("Sns");
        assertEquals("Notification", sns.get("Type").asText());
        assertEquals(answer.get("messageId").asText(), sns.get("MessageId").asText());
        assertEquals(topicArn, sns.get("TopicArn").asText());
        assertTrue(sns.get("Subject").isNull());
        Instant.parse(sns.get("Timestamp").asText());
        assertEquals("1", sns.get("SignatureVersion").asText());
        assertEquals("EXAMPLE", sns.get("Signature").asText());
        assertEquals(0, sns.get("MessageAttributes").size());
        assertTrue(output().contains("EchoFunction event sns MailEvents handled in "), output());
    }

    @Test
    void aSimulatedBounceAndComplaintArriveAsSesWritesThemIntoTheMessage() throws Exception {
        String bounced = "gone-" + UUID.randomUUID() + "@b.example";
        String complaining = "angry-" + UUID.randomUUID() + "@b.example";
        JsonNode bounce = accepted(send("POST", "/_local/ses/bounce?address=" + bounced, ""));
        assertEquals(List.of("MailEvents"), List.of(bounce.get("topics").get(0).asText()));
        accepted(send("POST", "/_local/ses/complaint?address=" + complaining, ""));
        assertTrue(runner.awaitEvents(LIMIT), output());

        // The echo function throws for any event that mentions "fail", as a bounce does ("action":"failed"):
        // the runner retries an SNS event as Lambda does, and each attempt carries the same event.
        List<JsonNode> bounces = deliveries(bounced);
        assertEquals(1 + AsyncInvoker.RETRY_DELAYS.size(), bounces.size(), output());
        assertEquals(1, bounces.stream().distinct().count());
        JsonNode bounceEvent = JSON.readTree(bounces.get(0).at("/Records/0/Sns/Message").asText());
        assertEquals("Bounce", bounceEvent.get("eventType").asText());
        assertEquals("Permanent", bounceEvent.at("/bounce/bounceType").asText());
        assertEquals(bounced, bounceEvent.at("/bounce/bouncedRecipients/0/emailAddress").asText());
        assertEquals("5.1.1", bounceEvent.at("/bounce/bouncedRecipients/0/status").asText());
        assertEquals(bounced, bounceEvent.at("/mail/destination/0").asText());
        assertEquals("newsletter@localhost", bounceEvent.at("/mail/source").asText());

        List<JsonNode> complaints = deliveries(complaining);
        assertEquals(1, complaints.size(), output());
        JsonNode complaintEvent = JSON.readTree(complaints.get(0).at("/Records/0/Sns/Message").asText());
        assertEquals("Complaint", complaintEvent.get("eventType").asText());
        assertEquals(complaining, complaintEvent.at("/complaint/complainedRecipients/0/emailAddress").asText());
        assertEquals("abuse", complaintEvent.at("/complaint/complaintFeedbackType").asText());
    }

    @Test
    void unknownSchedulesAndTopicsAnswer404() throws Exception {
        HttpResponse<String> schedule = send("POST", "/_local/schedules/Nope", "");
        assertEquals(404, schedule.statusCode());
        assertTrue(schedule.body().contains("no schedule is named Nope"), schedule.body());
        assertEquals(404, send("POST", "/_local/sns/Nope", "x").statusCode());
        HttpResponse<String> unheard = send("POST", "/_local/sns/Unheard", "x");
        assertEquals(404, unheard.statusCode());
        assertEquals("{\"message\":\"no function subscribes to topic Unheard\"}", unheard.body());
        assertEquals(405, send("GET", "/_local/schedules/WeeklyDigest", "").statusCode());
    }

    private List<JsonNode> deliveries(String address) {
        return events(event -> event.at("/Records/0/Sns/Message").asText().contains(address));
    }

    /** The events the echo function has kept that match. */
    private List<JsonNode> events(Predicate<JsonNode> wanted) {
        try (Stream<Path> files = Files.list(echoDir)) {
            return files.filter(file -> file.toString().endsWith(".json")).map(file -> {
                try {
                    return JSON.readTree(file.toFile());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).filter(wanted).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode accepted(HttpResponse<String> response) throws IOException {
        assertEquals(202, response.statusCode(), response.body() + "\n" + output());
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runner.port() + path))
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(30)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private String output() {
        return output.toString(StandardCharsets.UTF_8);
    }
}
