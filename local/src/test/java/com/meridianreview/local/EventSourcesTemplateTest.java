package com.meridianreview.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the runner reads from a template's ScheduleV2 and SNS events, topics and SES event destinations. */
class EventSourcesTemplateTest {

    static final Path EVENTS_TEMPLATE = Path.of("src/test/resources/events-template.yaml");
    private static final String ARN = "arn:aws:sns:us-east-1:000000000000:t-MailEvents";

    @TempDir
    Path dir;

    @Test
    void schedulesTopicsSubscriptionsAndMailEventDestinations() {
        SamApplication application = SamApplication.load(EVENTS_TEMPLATE, "t-", Map.of("DigestZone", "America/New_York"));
        List<SamApplication.Schedule> schedules = application.schedules();
        assertEquals(4, schedules.size());
        SamApplication.Schedule digest = schedules.get(0);
        assertEquals(List.of("EchoFunction", "WeeklyDigest", "WeeklyDigest", "cron(0 8 ? * SAT *)", ZoneId.of("America/New_York"), true),
                List.of(digest.functionLogicalId(), digest.eventName(), digest.name(), digest.expression(), digest.zone(), digest.enabled()));
        assertTrue(digest.input().startsWith("{\"Records\":[],\"job\":\"digest\",\"scheduledTime\":\"<aws.scheduler.scheduled-time>\","), digest.input());
        assertEquals("arn:aws:scheduler:us-east-1:000000000000:schedule/default/WeeklyDigest", digest.arn());
        assertEquals(new SamApplication.Schedule("EchoFunction", "Cleanup", "nightly-cleanup", "rate(1 day)", ZoneId.of("UTC"),
                "{\"Records\":[],\"job\":\"cleanup\",\"scheduledTime\":\"<aws.scheduler.scheduled-time>\",\"executionId\":\"<aws.scheduler.execution-id>\"}",
                true), schedules.get(1), "Name names the schedule; the zone is UTC without one");
        assertEquals(new SamApplication.Schedule("EchoFunction", "Paused", "Paused", "rate(5 minutes)", ZoneId.of("UTC"), null, false), schedules.get(2));
        assertEquals("cron(0 9 ? * 6L *)", schedules.get(3).expression(), "kept, to be fired on demand");

        assertEquals(List.of(new SamApplication.Topic("MailEvents", "t-MailEvents", ARN),
                new SamApplication.Topic("Unheard", "t-Unheard", "arn:aws:sns:us-east-1:000000000000:t-Unheard")), application.topics());
        assertEquals(List.of(new SamApplication.SnsSubscription("EchoFunction", "MailEvent", ARN)), application.snsSubscriptions());
        assertEquals(List.of(new SamApplication.MailEventDestination("NewsletterMailEvents", ARN, List.of("bounce", "complaint"))),
                application.mailEventDestinations());
        assertEquals(ARN, application.functions().get(0).environment().get("MAIL_EVENTS_TOPIC"), "a topic's Ref is its ARN");
    }

    @Test
    void aDestinationPublishesEveryEventTypeWithoutMatchingEventTypesAndNoneWhenSwitchedOff() throws IOException {
        Path template = template("""
                  Publishing:
                    Type: AWS::SES::ConfigurationSetEventDestination
                    Properties:
                      ConfigurationSetName: mail
                      EventDestination:
                        SnsDestination:
                          TopicARN: !GetAtt Topic.TopicArn
                  SwitchedOff:
                    Type: AWS::SES::ConfigurationSetEventDestination
                    Properties:
                      ConfigurationSetName: mail
                      EventDestination:
                        Enabled: false
                        MatchingEventTypes: [bounce]
                        SnsDestination:
                          TopicARN: !Ref Topic
                  Elsewhere:
                    Type: AWS::SES::ConfigurationSetEventDestination
                    Properties:
                      ConfigurationSetName: mail
                      EventDestination:
                        MatchingEventTypes: [BOUNCE]
                        CloudWatchDestination:
                          DimensionConfigurations: []
                """, "");
        List<SamApplication.MailEventDestination> destinations = SamApplication.load(template, "t-", Map.of()).mailEventDestinations();
        assertEquals(List.of(new SamApplication.MailEventDestination("Publishing", "arn:aws:sns:us-east-1:000000000000:t-Topic", List.of())), destinations);
        assertTrue(destinations.get(0).publishes("Bounce") && destinations.get(0).publishes("complaint"));
        assertTrue(new SamApplication.MailEventDestination("d", ARN, List.of("bounce")).publishes("Bounce"));
        assertTrue(!new SamApplication.MailEventDestination("d", ARN, List.of("bounce")).publishes("Complaint"));
    }

    @Test
    void aScheduleAwsWouldRefuseStopsTheRunnerSayingWhere() throws IOException {
        assertEquals("Fn.Events.Tick.ScheduleExpression \"rate(1 minutes)\": write 1 minute",
                failure("ScheduleExpression: rate(1 minutes)"));
        assertEquals("Fn.Events.Tick.ScheduleExpression \"cron(0 8 * * SAT *)\": exactly one of day-of-month and day-of-week must be ?, the other gives the days",
                failure("ScheduleExpression: cron(0 8 * * SAT *)"));
        assertEquals("Fn.Events.Tick needs a ScheduleExpression", failure("State: ENABLED"));
        assertEquals("Fn.Events.Tick.ScheduleExpressionTimezone: Mars/Olympus is not a time zone (an IANA name such as Europe/London)",
                failure("ScheduleExpression: rate(1 day)\nScheduleExpressionTimezone: Mars/Olympus"));
        assertEquals("Fn.Events.Tick.State must be ENABLED or DISABLED, not PAUSED", failure("ScheduleExpression: rate(1 day)\nState: PAUSED"));
        assertEquals("two schedules are named Tick; give one of them another Name", failure("ScheduleExpression: rate(1 day)", """
                        Tock:
                          Type: ScheduleV2
                          Properties:
                            Name: Tick
                            ScheduleExpression: rate(2 days)
                """));
    }

    private String failure(String properties) throws IOException {
        return failure(properties, "");
    }

    private String failure(String properties, String moreEvents) throws IOException {
        String indented = properties.lines().map(line -> "            " + line + "\n").reduce("", String::concat);
        Path template = template("", """
                        Tick:
                          Type: ScheduleV2
                          Properties:
                """ + indented + moreEvents);
        return assertThrows(TemplateException.class, () -> SamApplication.load(template, "t-", Map.of())).getMessage();
    }

    /** A template with one topic, one function with {@code events}, and {@code resources} besides. */
    private Path template(String resources, String events) throws IOException {
        Path template = dir.resolve("template.yaml");
        Files.writeString(template, """
                Resources:
                  Topic:
                    Type: AWS::SNS::Topic
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: example.Handler::handleRequest
                      CodeUri: example.jar
                      Events:
                        Note:
                          Type: SNS
                          Properties:
                            Topic: !Ref Topic
                """ + events + resources);
        return template;
    }
}
