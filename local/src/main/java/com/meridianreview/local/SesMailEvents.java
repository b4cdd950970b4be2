package com.meridianreview.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Stands in for SES telling the magazine that a recipient's mail bounced or was reported as
 * spam: SES publishes such events to the SNS topics of the configuration set's event
 * destinations, and the runner does the same for an address a developer names (the SES emulator
 * delivers nothing, so nothing would ever bounce on its own).
 */
final class SesMailEvents {

    /** Where the mail seemed to come from; the SES emulator accepts any sender. */
    static final String SOURCE = "newsletter@localhost";

    /** The kinds of mail event that can be simulated: SES's eventType, and its name in MatchingEventTypes. */
    enum Kind {
        BOUNCE("Bounce", "bounce"),
        COMPLAINT("Complaint", "complaint");

        final String eventType;
        final String matchingType;

        Kind(String eventType, String matchingType) {
            this.eventType = eventType;
            this.matchingType = matchingType;
        }

        static Optional<Kind> named(String matchingType) {
            return Arrays.stream(values()).filter(kind -> kind.matchingType.equals(matchingType)).findFirst();
        }
    }

    /** One simulated event as published: the notification, and each topic's publication. */
    record Sent(Kind kind, String address, String notification, List<SnsTopics.Published> published) {
    }

    private final List<SamApplication.MailEventDestination> destinations;
    private final SnsTopics topics;
    private final ObjectMapper json;
    private final Clock clock;

    SesMailEvents(List<SamApplication.MailEventDestination> destinations, SnsTopics topics, ObjectMapper json, Clock clock) {
        this.destinations = List.copyOf(destinations);
        this.topics = topics;
        this.json = json;
        this.clock = clock;
    }

    boolean hasDestinations() {
        return !destinations.isEmpty();
    }

    /** The template's topics that receive this kind of event, each once. */
    List<SamApplication.Topic> topicsFor(Kind kind) {
        return destinations.stream().filter(destination -> destination.publishes(kind.matchingType))
                .map(destination -> topics.topicWithArn(destination.topicArn())).flatMap(Optional::stream).distinct().toList();
    }

    /** Publishes one event of this kind for {@code address} to every topic that receives it. */
    Sent send(Kind kind, String address) {
        String notification = notification(kind, address, clock.instant(), UUID.randomUUID().toString(), UUID.randomUUID().toString());
        List<SnsTopics.Published> published = topicsFor(kind).stream().map(topic -> topics.publish(topic, null, notification)).toList();
        return new Sent(kind, address, notification, published);
    }

    /** The event as SES's event publishing writes it into the SNS message. */
    String notification(Kind kind, String address, Instant time, String messageId, String feedbackId) {
        String timestamp = SnsTopics.timestamp(time);
        ObjectNode event = json.createObjectNode();
        event.put("eventType", kind.eventType);
        if (kind == Kind.BOUNCE) {
            ObjectNode bounce = event.putObject("bounce");
            bounce.put("bounceType", "Permanent");
            bounce.put("bounceSubType", "General");
            bounce.putArray("bouncedRecipients").addObject()
                    .put("emailAddress", address)
                    .put("action", "failed")
                    .put("status", "5.1.1")
                    .put("diagnosticCode", "smtp; 550 5.1.1 user unknown");
            bounce.put("timestamp", timestamp);
            bounce.put("feedbackId", feedbackId);
        } else {
            ObjectNode complaint = event.putObject("complaint");
            complaint.putArray("complainedRecipients").addObject().put("emailAddress", address);
            complaint.put("timestamp", timestamp);
            complaint.put("feedbackId", feedbackId);
            complaint.put("complaintFeedbackType", "abuse");
        }
        ObjectNode mail = event.putObject("mail");
        mail.put("timestamp", timestamp);
        mail.put("messageId", messageId);
        mail.put("source", SOURCE);
        mail.putArray("destination").add(address);
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
