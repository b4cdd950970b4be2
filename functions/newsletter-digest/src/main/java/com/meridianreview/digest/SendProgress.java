package com.meridianreview.digest;

import java.time.Clock;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Where the send of an issue has got to, in the subscribers table: its state, the place in the
 * list of recipients from which a later run goes on, and running counts. Only a hint for
 * resuming: the delivery records decide who gets mail, so a lost or repeated update of this
 * item can make a run look at some recipients twice, never mail anyone twice.
 *
 * <pre>
 * item       pk              sk              attributes
 * progress   issue#{list}    issue#{date}    state, cursor{...}, sent, skipped, refused, inDoubt, runs, startedAt, finishedAt
 * </pre>
 */
final class SendProgress {

    enum State { SENDING, SENT }

    record Progress(String list, LocalDate date, State state, Map<String, AttributeValue> cursor) {
    }

    /** What one run did, added to the issue's totals. */
    record Counts(int sent, int skipped, int refused, int inDoubt) {
        static final Counts NONE = new Counts(0, 0, 0, 0);

        Counts plus(Counts other) {
            return new Counts(sent + other.sent, skipped + other.skipped, refused + other.refused, inDoubt + other.inDoubt);
        }
    }

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final Clock clock;

    SendProgress(DynamoDbClient dynamoDb, String table, Clock clock) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.clock = clock;
    }

    /** The issue's progress, begun now if no run has begun it (one conditional write, then a read when it had). */
    Progress begin(String list, LocalDate date) {
        try {
            dynamoDb.putItem(request -> request.tableName(table).item(Map.of("pk", s("issue#" + list), "sk", s("issue#" + date),
                    "state", s(State.SENDING.name()), "startedAt", s(clock.instant().toString())))
                    .conditionExpression("attribute_not_exists(pk)"));
            return new Progress(list, date, State.SENDING, Map.of());
        } catch (ConditionalCheckFailedException begun) {
            return find(list, date).orElseThrow();
        }
    }

    Optional<Progress> find(String list, LocalDate date) {
        var response = dynamoDb.getItem(request -> request.tableName(table).key(key(list, date)).consistentRead(true));
        return response.hasItem() && !response.item().isEmpty() ? Optional.of(progress(response.item())) : Optional.empty();
    }

    /** The newest issue of the list whose send has not finished, if any (one query). */
    Optional<Progress> unfinished(String list) {
        var response = dynamoDb.query(request -> request.tableName(table).keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", s("issue#" + list))).scanIndexForward(false).limit(1).consistentRead(true));
        return response.items().stream().map(SendProgress::progress).filter(p -> p.state() == State.SENDING).findFirst();
    }

    /** Records a page of recipients done: where the next run starts, and what this page came to. */
    void advance(Progress progress, Map<String, AttributeValue> next, Counts counts) {
        Map<String, AttributeValue> values = new HashMap<>(counts(counts));
        values.put(":cursor", AttributeValue.fromM(next));
        dynamoDb.updateItem(request -> request.tableName(table).key(key(progress.list(), progress.date()))
                .updateExpression("SET #cursor = :cursor ADD sent :sent, skipped :skipped, refused :refused, inDoubt :inDoubt")
                .expressionAttributeNames(Map.of("#cursor", "cursor")).expressionAttributeValues(values));
    }

    void finish(Progress progress, Counts counts) {
        Map<String, AttributeValue> values = new HashMap<>(counts(counts));
        values.put(":sentState", s(State.SENT.name()));
        values.put(":at", s(clock.instant().toString()));
        dynamoDb.updateItem(request -> request.tableName(table).key(key(progress.list(), progress.date()))
                .updateExpression("SET #state = :sentState, finishedAt = :at REMOVE #cursor ADD sent :sent, skipped :skipped, refused :refused, inDoubt :inDoubt")
                .expressionAttributeNames(Map.of("#state", "state", "#cursor", "cursor")).expressionAttributeValues(values));
    }

    /** The issue's totals over every run so far. */
    Counts totals(String list, LocalDate date) {
        var item = dynamoDb.getItem(request -> request.tableName(table).key(key(list, date)).consistentRead(true)).item();
        return new Counts(number(item, "sent"), number(item, "skipped"), number(item, "refused"), number(item, "inDoubt"));
    }

    private static int number(Map<String, AttributeValue> item, String name) {
        return item != null && item.containsKey(name) ? Integer.parseInt(item.get(name).n()) : 0;
    }

    private static Map<String, AttributeValue> counts(Counts counts) {
        return Map.of(":sent", n(counts.sent()), ":skipped", n(counts.skipped()), ":refused", n(counts.refused()), ":inDoubt", n(counts.inDoubt()));
    }

    private static Progress progress(Map<String, AttributeValue> item) {
        String list = item.get("pk").s().substring("issue#".length());
        LocalDate date = LocalDate.parse(item.get("sk").s().substring("issue#".length()));
        return new Progress(list, date, State.valueOf(item.get("state").s()), item.containsKey("cursor") ? item.get("cursor").m() : Map.of());
    }

    private static Map<String, AttributeValue> key(String list, LocalDate date) {
        return Map.of("pk", s("issue#" + list), "sk", s("issue#" + date));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
