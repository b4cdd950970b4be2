package com.meridianreview.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * The runner-only routes that make events happen on demand (never template routes): fire a
 * schedule, publish to an SNS topic, or have SES report a bounce or a complaint.
 * <ul>
 * <li>{@code GET /_local/schedules}: the schedules and when each is next due</li>
 * <li>{@code POST /_local/schedules/{name}[?time=ISO-instant]}: fire one now, as the occurrence due at {@code time}</li>
 * <li>{@code POST /_local/sns/{TopicLogicalId}}: publish the request body as a message</li>
 * <li>{@code POST /_local/ses/bounce?address=...}, {@code POST /_local/ses/complaint?address=...}</li>
 * </ul>
 */
final class LocalEventRoutes {

    static final String SCHEDULES = "/_local/schedules";
    static final String SNS = "/_local/sns/";
    static final String SES = "/_local/ses/";

    /** A JSON answer; {@code allow} is set for a 405. */
    record Answer(int status, String body, String allow) {
    }

    private final Schedules schedules;
    private final SnsTopics topics;
    private final SesMailEvents mail;
    private final ObjectMapper json;

    LocalEventRoutes(Schedules schedules, SnsTopics topics, SesMailEvents mail, ObjectMapper json) {
        this.schedules = schedules;
        this.topics = topics;
        this.mail = mail;
        this.json = json;
    }

    static boolean handles(String path) {
        return path.equals(SCHEDULES) || path.startsWith(SCHEDULES + "/") || path.startsWith(SNS) || path.startsWith(SES);
    }

    Answer answer(String method, String rawPath, String rawQuery, byte[] body) {
        if (rawPath.equals(SCHEDULES) || rawPath.equals(SCHEDULES + "/")) {
            return method.equals("GET") ? new Answer(200, write(scheduleList()), null) : notAllowed("GET");
        }
        if (!method.equals("POST")) {
            return notAllowed("POST");
        }
        if (rawPath.startsWith(SCHEDULES + "/")) {
            return fireSchedule(segment(rawPath, SCHEDULES + "/"), query(rawQuery, "time"));
        }
        if (rawPath.startsWith(SNS)) {
            return publish(segment(rawPath, SNS), new String(body, StandardCharsets.UTF_8));
        }
        return mailEvent(segment(rawPath, SES), query(rawQuery, "address"));
    }

    private Answer fireSchedule(String name, String time) {
        Instant scheduledTime = null;
        if (time != null) {
            try {
                scheduledTime = instant(time);
            } catch (DateTimeParseException e) {
                return problem(400, "time must be an ISO-8601 instant such as 2026-11-28T08:00:00Z, not " + time);
            }
        }
        Optional<Schedules.Fired> fired = schedules.fire(name, scheduledTime);
        if (fired.isEmpty()) {
            return problem(404, "no schedule is named " + name + "; there are " + schedules.list().stream().map(s -> s.schedule().name()).toList());
        }
        ObjectNode answer = json.createObjectNode();
        answer.put("schedule", fired.get().schedule());
        answer.put("scheduledTime", fired.get().scheduledTime().toString());
        answer.put("executionId", fired.get().executionId());
        return new Answer(202, write(answer), null);
    }

    private Answer publish(String topicId, String message) {
        Optional<SamApplication.Topic> topic = topics.topic(topicId);
        if (topic.isEmpty()) {
            return problem(404, "the template has no SNS topic " + topicId);
        }
        if (topics.subscribers(topic.get()).isEmpty()) {
            return problem(404, "no function subscribes to topic " + topicId);
        }
        if (message.isEmpty()) {
            return problem(400, "the request body is the message, and it is empty");
        }
        SnsTopics.Published published = topics.publish(topic.get(), null, message);
        ObjectNode answer = json.createObjectNode();
        answer.put("topic", topicId);
        answer.put("messageId", published.messageId());
        published.functions().forEach(answer.putArray("functions")::add);
        return new Answer(202, write(answer), null);
    }

    private Answer mailEvent(String kindName, String address) {
        Optional<SesMailEvents.Kind> kind = SesMailEvents.Kind.named(kindName);
        if (kind.isEmpty()) {
            return problem(404, "SES events that can be simulated: bounce, complaint");
        }
        if (!mail.hasDestinations()) {
            return problem(404, "the template has no AWS::SES::ConfigurationSetEventDestination with an SnsDestination, so SES reports "
                    + kindName + "s to no one");
        }
        List<SamApplication.Topic> receiving = mail.topicsFor(kind.get());
        if (receiving.isEmpty()) {
            return problem(404, "no SES event destination of the template publishes " + kindName + " events to one of its SNS topics");
        }
        if (receiving.stream().allMatch(topic -> topics.subscribers(topic).isEmpty())) {
            return problem(404, "SES publishes " + kindName + "s to " + receiving.stream().map(SamApplication.Topic::logicalId).toList()
                    + ", to which no function subscribes");
        }
        if (address == null || !address.matches("[^@\\s]+@[^@\\s]+")) {
            return problem(400, "address must be the recipient's email address, as in ?address=reader@example.org");
        }
        SesMailEvents.Sent sent = mail.send(kind.get(), address);
        ObjectNode answer = json.createObjectNode();
        answer.put("eventType", kind.get().eventType);
        answer.put("address", address);
        ArrayNode published = answer.putArray("topics");
        ArrayNode functions = answer.putArray("functions");
        for (SnsTopics.Published publication : sent.published()) {
            published.add(publication.topic().logicalId());
            publication.functions().forEach(functions::add);
        }
        return new Answer(202, write(answer), null);
    }

    private ArrayNode scheduleList() {
        ArrayNode list = json.createArrayNode();
        for (Schedules.Status status : schedules.list()) {
            SamApplication.Schedule schedule = status.schedule();
            ObjectNode item = list.addObject();
            item.put("name", schedule.name());
            item.put("function", schedule.functionLogicalId());
            item.put("expression", schedule.expression());
            item.put("timezone", schedule.zone().getId());
            item.put("state", schedule.enabled() ? "ENABLED" : "DISABLED");
            item.put("next", status.next() == null ? null : status.next().toString());
            if (status.note() != null) {
                item.put("note", status.note());
            }
        }
        return list;
    }

    /** An instant as {@code 2026-11-28T08:00:00Z}, or with an offset such as {@code +01:00}. */
    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return OffsetDateTime.parse(text).toInstant();
        }
    }

    private Answer problem(int status, String message) {
        return new Answer(status, write(json.createObjectNode().put("message", message)), null);
    }

    private Answer notAllowed(String allow) {
        return new Answer(405, write(json.createObjectNode().put("message", "Method Not Allowed")), allow);
    }

    /** The rest of the path after {@code prefix}, percent-decoded ("+" stays a plus, as in a path). */
    private static String segment(String rawPath, String prefix) {
        return decoded(rawPath.substring(prefix.length()));
    }

    private static String decoded(String raw) {
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            // a stray % names nothing; taken as written, it matches no schedule or topic
            return raw;
        }
    }

    private static String query(String rawQuery, String name) {
        if (rawQuery == null) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            // "+" stays a plus, as in a time's offset (+01:00); a stray % names nothing and is taken as written.
            String key = decoded(equals < 0 ? pair : pair.substring(0, equals));
            if (key.equals(name)) {
                return equals < 0 ? "" : decoded(pair.substring(equals + 1));
            }
        }
        return null;
    }

    private String write(Object node) {
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
