package com.meridianreview.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The runner-only event routes, with what they hand to functions recorded instead of invoked. */
class LocalEventRoutesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T12:00:30.250Z"), ZoneOffset.UTC);
    private static final SamApplication.Topic MAIL_EVENTS = new SamApplication.Topic("MailEvents", "t-MailEvents", SamApplication.topicArn("t-MailEvents"));
    private static final SamApplication.Topic UNHEARD = new SamApplication.Topic("Unheard", "t-Unheard", SamApplication.topicArn("t-Unheard"));
    private static final SamApplication.SnsSubscription SUBSCRIPTION = new SamApplication.SnsSubscription("MailFn", "MailEvent", MAIL_EVENTS.arn());

    private record Delivered(String function, JsonNode event, String source) {
    }

    private final List<Delivered> delivered = new CopyOnWriteArrayList<>();
    private final EventDelivery delivery = (function, event, source) -> {
        try {
            delivered.add(new Delivered(function, JSON.readTree(event), source));
        } catch (java.io.IOException e) {
            throw new AssertionError(new String(event, StandardCharsets.UTF_8), e);
        }
    };
    private final SnsTopics topics = new SnsTopics(List.of(MAIL_EVENTS, UNHEARD), List.of(SUBSCRIPTION), delivery, JSON, CLOCK);
    private final Schedules schedules = new Schedules(List.of(new SamApplication.Schedule("DigestFn", "WeeklyDigest", "WeeklyDigest",
            "cron(0 8 ? * SAT *)", ZoneId.of("Europe/London"), "{\"time\":\"<aws.scheduler.scheduled-time>\"}", true)), delivery, CLOCK,
            new RunnerOutput(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
    private final LocalEventRoutes routes = routes(List.of(new SamApplication.MailEventDestination("NewsletterMailEvents", MAIL_EVENTS.arn(),
            List.of("bounce", "complaint"))));

    @Test
    void onlyTheRunnersOwnPathsAreTaken() {
        assertTrue(LocalEventRoutes.handles("/_local/schedules"));
        assertTrue(LocalEventRoutes.handles("/_local/schedules/WeeklyDigest"));
        assertTrue(LocalEventRoutes.handles("/_local/sns/MailEvents"));
        assertTrue(LocalEventRoutes.handles("/_local/ses/bounce"));
        assertTrue(!LocalEventRoutes.handles("/_local/schedulesx") && !LocalEventRoutes.handles("/_local/outbox")
                && !LocalEventRoutes.handles("/schedules"));
    }

    @Test
    void firingAScheduleAnswers202WithTheOccurrenceItSent() throws Exception {
        LocalEventRoutes.Answer answer = routes.answer("POST", "/_local/schedules/WeeklyDigest", "time=2026-11-28T08:00:00Z", new byte[0]);
        assertEquals(202, answer.status(), answer.body());
        JsonNode body = JSON.readTree(answer.body());
        assertEquals("WeeklyDigest", body.get("schedule").asText());
        assertEquals("2026-11-28T08:00:00Z", body.get("scheduledTime").asText());
        assertEquals(36, body.get("executionId").asText().length());
        assertEquals(new Delivered("DigestFn", JSON.readTree("{\"time\":\"2026-11-28T08:00:00Z\"}"), "schedule WeeklyDigest"), delivered.get(0));

        assertEquals("2026-11-28T07:00:00Z", JSON.readTree(routes.answer("POST", "/_local/schedules/WeeklyDigest",
                "time=2026-11-28T08:00:00%2B01:00", new byte[0]).body()).get("scheduledTime").asText(), "an offset is allowed");
        assertEquals("2026-11-28T07:00:00Z", JSON.readTree(routes.answer("POST", "/_local/schedules/WeeklyDigest",
                "time=2026-11-28T08:00:00+01:00", new byte[0]).body()).get("scheduledTime").asText(), "as typed in a shell, + and all");
        assertEquals(400, routes.answer("POST", "/_local/schedules/WeeklyDigest", "time=%zz", new byte[0]).status(), "a stray % is bad input, not a 500");
        assertEquals("2026-11-27T12:00:30Z", JSON.readTree(routes.answer("POST", "/_local/schedules/WeeklyDigest", null, new byte[0]).body())
                .get("scheduledTime").asText(), "without time=, now");
    }

    @Test
    void theScheduleListSaysWhatEachIsAndWhenItIsNextDue() throws Exception {
        LocalEventRoutes.Answer answer = routes.answer("GET", "/_local/schedules", null, new byte[0]);
        assertEquals(200, answer.status());
        assertEquals(JSON.readTree("""
                [{"name":"WeeklyDigest","function":"DigestFn","expression":"cron(0 8 ? * SAT *)","timezone":"Europe/London","state":"ENABLED",
                  "next":null,"note":"fires only on demand (the timetable is not running)"}]"""), JSON.readTree(answer.body()));
        schedules.start();
        assertEquals("2026-11-28T08:00:00Z", JSON.readTree(routes.answer("GET", "/_local/schedules", null, new byte[0]).body()).get(0).get("next").asText());
        schedules.close();
    }

    @Test
    void publishingToATopicSendsEachSubscriberLambdasSnsEvent() throws Exception {
        LocalEventRoutes.Answer answer = routes.answer("POST", "/_local/sns/MailEvents", null, "hello, subscribers".getBytes(StandardCharsets.UTF_8));
        assertEquals(202, answer.status(), answer.body());
        JsonNode body = JSON.readTree(answer.body());
        String messageId = body.get("messageId").asText();
        assertEquals(JSON.readTree("{\"topic\":\"MailEvents\",\"messageId\":\"" + messageId + "\",\"functions\":[\"MailFn\"]}"), body);
        assertEquals(1, delivered.size());
        assertEquals("MailFn", delivered.get(0).function());
        assertEquals("sns MailEvents", delivered.get(0).source());
        assertEquals(JSON.readTree("""
                {"Records":[{"EventSource":"aws:sns","EventVersion":"1.0","EventSubscriptionArn":"%s",
                  "Sns":{"Type":"Notification","MessageId":"%s","TopicArn":"arn:aws:sns:us-east-1:000000000000:t-MailEvents","Subject":null,
                         "Message":"hello, subscribers","Timestamp":"2026-11-27T12:00:30.250Z","SignatureVersion":"1","Signature":"EXAMPLE",
                         "SigningCertUrl":"EXAMPLE","UnsubscribeUrl":"EXAMPLE","MessageAttributes":{}}}]}
                """.formatted(SnsTopics.subscriptionArn(SUBSCRIPTION), messageId)), delivered.get(0).event());
        assertTrue(SnsTopics.subscriptionArn(SUBSCRIPTION).startsWith("arn:aws:sns:us-east-1:000000000000:t-MailEvents:"));
    }

    @Test
    void aBounceIsPublishedAsSesEventPublishingWritesIt() throws Exception {
        LocalEventRoutes.Answer answer = routes.answer("POST", "/_local/ses/bounce", "address=gone%40b.example", new byte[0]);
        assertEquals(202, answer.status(), answer.body());
        assertEquals(JSON.readTree("{\"eventType\":\"Bounce\",\"address\":\"gone@b.example\",\"topics\":[\"MailEvents\"],\"functions\":[\"MailFn\"]}"),
                JSON.readTree(answer.body()));
        JsonNode sns = delivered.get(0).event().get("Records").get(0).get("Sns");
        assertEquals(MAIL_EVENTS.arn(), sns.get("TopicArn").asText());
        JsonNode message = JSON.readTree(sns.get("Message").asText());
        String feedbackId = message.get("bounce").get("feedbackId").asText();
        String messageId = message.get("mail").get("messageId").asText();
        assertEquals(JSON.readTree("""
                {"eventType":"Bounce",
                 "bounce":{"bounceType":"Permanent","bounceSubType":"General",
                           "bouncedRecipients":[{"emailAddress":"gone@b.example","action":"failed","status":"5.1.1","diagnosticCode":"smtp; 550 5.1.1 user unknown"}],
                           "timestamp":"2026-11-27T12:00:30.250Z","feedbackId":"%s"},
                 "mail":{"timestamp":"2026-11-27T12:00:30.250Z","messageId":"%s","source":"newsletter@localhost","destination":["gone@b.example"]}}
                """.formatted(feedbackId, messageId)), message);
        assertEquals(36, feedbackId.length());
    }

    @Test
    void aComplaintNamesTheComplainingRecipient() throws Exception {
        assertEquals(202, routes.answer("POST", "/_local/ses/complaint", "address=angry@b.example", new byte[0]).status());
        JsonNode message = JSON.readTree(delivered.get(0).event().get("Records").get(0).get("Sns").get("Message").asText());
        assertEquals("Complaint", message.get("eventType").asText());
        JsonNode complaint = message.get("complaint");
        assertEquals(JSON.readTree("[{\"emailAddress\":\"angry@b.example\"}]"), complaint.get("complainedRecipients"));
        assertEquals("abuse", complaint.get("complaintFeedbackType").asText());
        assertEquals("2026-11-27T12:00:30.250Z", complaint.get("timestamp").asText());
        assertEquals(36, complaint.get("feedbackId").asText().length());
        assertEquals("angry@b.example", message.get("mail").get("destination").get(0).asText());
    }

    @Test
    void whatCannotBeDeliveredIsRefusedSayingWhy() {
        assertProblem(404, "no schedule is named Nope; there are [WeeklyDigest]", routes.answer("POST", "/_local/schedules/Nope", null, new byte[0]));
        assertProblem(400, "time must be an ISO-8601 instant such as 2026-11-28T08:00:00Z, not tomorrow",
                routes.answer("POST", "/_local/schedules/WeeklyDigest", "time=tomorrow", new byte[0]));
        assertProblem(404, "the template has no SNS topic Nope", routes.answer("POST", "/_local/sns/Nope", null, "x".getBytes(StandardCharsets.UTF_8)));
        assertProblem(404, "no function subscribes to topic Unheard", routes.answer("POST", "/_local/sns/Unheard", null, "x".getBytes(StandardCharsets.UTF_8)));
        assertProblem(400, "the request body is the message, and it is empty", routes.answer("POST", "/_local/sns/MailEvents", null, new byte[0]));
        assertProblem(400, "address must be the recipient's email address, as in ?address=reader@example.org",
                routes.answer("POST", "/_local/ses/bounce", null, new byte[0]));
        assertProblem(404, "SES events that can be simulated: bounce, complaint", routes.answer("POST", "/_local/ses/delivery", "address=a@b.example", new byte[0]));
        assertProblem(404, "the template has no AWS::SES::ConfigurationSetEventDestination with an SnsDestination, so SES reports bounces to no one",
                routes(List.of()).answer("POST", "/_local/ses/bounce", "address=a@b.example", new byte[0]));
        assertProblem(404, "no SES event destination of the template publishes complaint events to one of its SNS topics",
                routes(List.of(new SamApplication.MailEventDestination("Bounces", MAIL_EVENTS.arn(), List.of("bounce"))))
                        .answer("POST", "/_local/ses/complaint", "address=a@b.example", new byte[0]));
        assertProblem(404, "SES publishes bounces to [Unheard], to which no function subscribes",
                routes(List.of(new SamApplication.MailEventDestination("Bounces", UNHEARD.arn(), List.of())))
                        .answer("POST", "/_local/ses/bounce", "address=a@b.example", new byte[0]));
        assertTrue(delivered.isEmpty(), delivered.toString());

        LocalEventRoutes.Answer wrongMethod = routes.answer("GET", "/_local/schedules/WeeklyDigest", null, new byte[0]);
        assertEquals(405, wrongMethod.status());
        assertEquals("POST", wrongMethod.allow());
        assertEquals("GET", routes.answer("DELETE", "/_local/schedules", null, new byte[0]).allow());
        assertNull(routes.answer("GET", "/_local/schedules", null, new byte[0]).allow());
    }

    private LocalEventRoutes routes(List<SamApplication.MailEventDestination> destinations) {
        return new LocalEventRoutes(schedules, topics, new SesMailEvents(destinations, topics, JSON, CLOCK), JSON);
    }

    private static void assertProblem(int status, String message, LocalEventRoutes.Answer answer) {
        assertEquals(status, answer.status(), answer.body());
        try {
            assertEquals(message, JSON.readTree(answer.body()).get("message").asText());
        } catch (java.io.IOException e) {
            throw new AssertionError(answer.body(), e);
        }
    }
}
