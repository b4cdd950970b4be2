package com.meridianreview.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The template's SNS topics and the functions subscribed to them: a message published to a topic
 * reaches each subscribed function as one asynchronous invocation with the event Lambda receives
 * from SNS.
 */
final class SnsTopics {

    /** SNS and SES write times with milliseconds, always three digits. */
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /** A message as published: its id and the functions it was handed to. */
    record Published(SamApplication.Topic topic, String messageId, List<String> functions) {
    }

    private final List<SamApplication.Topic> topics;
    private final List<SamApplication.SnsSubscription> subscriptions;
    private final EventDelivery delivery;
    private final ObjectMapper json;
    private final Clock clock;

    SnsTopics(List<SamApplication.Topic> topics, List<SamApplication.SnsSubscription> subscriptions, EventDelivery delivery, ObjectMapper json,
              Clock clock) {
        this.topics = List.copyOf(topics);
        this.subscriptions = List.copyOf(subscriptions);
        this.delivery = delivery;
        this.json = json;
        this.clock = clock;
    }

    Optional<SamApplication.Topic> topic(String logicalId) {
        return topics.stream().filter(topic -> topic.logicalId().equals(logicalId)).findFirst();
    }

    Optional<SamApplication.Topic> topicWithArn(String arn) {
        return topics.stream().filter(topic -> topic.arn().equals(arn)).findFirst();
    }

    List<SamApplication.SnsSubscription> subscribers(SamApplication.Topic topic) {
        return subscriptions.stream().filter(subscription -> subscription.topicArn().equals(topic.arn())).toList();
    }

    /** Publishes {@code message} (subject null when none) to every function subscribed to the topic. */
    Published publish(SamApplication.Topic topic, String subject, String message) {
        String messageId = UUID.randomUUID().toString();
        Instant now = clock.instant();
        List<SamApplication.SnsSubscription> subscribers = subscribers(topic);
        for (SamApplication.SnsSubscription subscription : subscribers) {
            delivery.deliver(subscription.functionLogicalId(), event(topic, subscription, messageId, subject, message, now), "sns " + topic.logicalId());
        }
        return new Published(topic, messageId, subscribers.stream().map(SamApplication.SnsSubscription::functionLogicalId).toList());
    }

    byte[] event(SamApplication.Topic topic, SamApplication.SnsSubscription subscription, String messageId, String subject, String message,
                 Instant time) {
        ObjectNode record = json.createObjectNode();
        record.put("EventSource", "aws:sns");
        record.put("EventVersion", "1.0");
        record.put("EventSubscriptionArn", subscriptionArn(subscription));
        ObjectNode sns = record.putObject("Sns");
        sns.put("Type", "Notification");
        sns.put("MessageId", messageId);
        sns.put("TopicArn", topic.arn());
        sns.put("Subject", subject);
        sns.put("Message", message);
        sns.put("Timestamp", timestamp(time));
        // Nothing signs messages locally; these are the placeholders AWS's sample events carry.
        sns.put("SignatureVersion", "1");
        sns.put("Signature", "EXAMPLE");
        sns.put("SigningCertUrl", "EXAMPLE");
        sns.put("UnsubscribeUrl", "EXAMPLE");
        sns.putObject("MessageAttributes");
        ObjectNode event = json.createObjectNode();
        event.putArray("Records").add(record);
        try {
            return json.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The same for every run, as a subscription's ARN stays the same between deliveries. */
    static String subscriptionArn(SamApplication.SnsSubscription subscription) {
        String key = subscription.functionLogicalId() + "/" + subscription.eventName();
        return subscription.topicArn() + ":" + UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8));
    }

    static String timestamp(Instant time) {
        return TIMESTAMP.format(time);
    }
}
