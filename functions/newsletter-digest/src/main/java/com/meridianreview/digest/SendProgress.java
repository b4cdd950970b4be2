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
 * list of recipients from which a later run goes on, running counts, and which run is sending
 * now. One run at a time holds a short lease on the send, renewed as it goes; another run (a
 * repeated event, the resume schedule while a long send is under way) finds it held and leaves,
 * so the pace stays the configured one and no run moves the cursor past a reader another run
 * gave back. The delivery records still decide who gets mail: a run that lost its lease can look
 * at some readers twice, never mail anyone twice.
 *
 * <pre>
 * item       pk              sk              attributes
 * progress   issue#{list}    issue#{date}    state, cursor{...}, owner, leaseUntil, sent, skipped, refused, inDoubt, startedAt, finishedAt
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

    /** How long a lease lasts without renewal: a run that died holds up the send for no longer than this. */
    static final java.time.Duration LEASE = java.time.Duration.ofSeconds(30);

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

    /** The newest issue of the list whose send has not finished, if any (one query of the list's issues: about 52 a year). */
    Optional<Progress> unfinished(String list) {
        var response = dynamoDb.query(request -> request.tableName(table).keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", s("issue#" + list))).scanIndexForward(false).consistentRead(true));
        return response.items().stream().map(SendProgress::progress).filter(p -> p.state() == State.SENDING).findFirst();
    }

    /**
     * Takes the send for {@code run} until {@link #LEASE} from now, unless another run's lease has
     * not run out or the send is over: the progress as it stands then (one conditional update), or
     * empty.
     */
    Optional<Progress> acquire(String list, LocalDate date, String run) {
        long now = clock.instant().toEpochMilli();
        try {
            var updated = dynamoDb.updateItem(request -> request.tableName(table).key(key(list, date))
                    .updateExpression("SET #owner = :run, leaseUntil = :until")
                    .conditionExpression("attribute_exists(pk) AND #state = :sending AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now OR #owner = :run)")
                    .expressionAttributeNames(Map.of("#owner", "owner", "#state", "state"))
                    .expressionAttributeValues(Map.of(":run", s(run), ":until", n(now + LEASE.toMillis()), ":now", n(now),
                            ":sending", s(State.SENDING.name())))
                    .returnValues(software.amazon.awssdk.services.dynamodb.model.ReturnValue.ALL_NEW));
            return Optional.of(progress(updated.attributes()));
        } catch (ConditionalCheckFailedException held) {
            return Optional.empty();
        }
    }

    /** Extends this run's lease; false when it has lost it (it ran out and another run took the send). */
    boolean renew(Progress progress, String run) {
        long now = clock.instant().toEpochMilli();
        return owned(progress, run, "SET leaseUntil = :until", Map.of(":until", n(now + LEASE.toMillis())));
    }

    /** Hands the send back before the lease runs out, so that the next run need not wait for it. */
    void release(Progress progress, String run) {
        owned(progress, run, "REMOVE #owner, leaseUntil", Map.of());
    }

    /** Records a page of recipients done, while this run holds the send: where the next run starts, and what this page came to. */
    boolean advance(Progress progress, String run, Map<String, AttributeValue> next, Counts counts) {
        Map<String, AttributeValue> values = new HashMap<>(counts(counts));
        values.put(":cursor", AttributeValue.fromM(next));
        return owned(progress, run, "SET #cursor = :cursor ADD sent :sent, skipped :skipped, refused :refused, inDoubt :inDoubt", values);
    }

    boolean finish(Progress progress, String run, Counts counts) {
        Map<String, AttributeValue> values = new HashMap<>(counts(counts));
        values.put(":sentState", s(State.SENT.name()));
        values.put(":at", s(clock.instant().toString()));
        return owned(progress, run, "SET #state = :sentState, finishedAt = :at REMOVE #cursor, #owner, leaseUntil "
                + "ADD sent :sent, skipped :skipped, refused :refused, inDoubt :inDoubt", values);
    }

    private boolean owned(Progress progress, String run, String update, Map<String, AttributeValue> values) {
        Map<String, AttributeValue> all = new HashMap<>(values);
        all.put(":run", s(run));
        Map<String, String> names = new HashMap<>(Map.of("#owner", "owner"));
        if (update.contains("#state")) {
            names.put("#state", "state");
        }
        if (update.contains("#cursor")) {
            names.put("#cursor", "cursor");
        }
        try {
            dynamoDb.updateItem(request -> request.tableName(table).key(key(progress.list(), progress.date())).updateExpression(update)
                    .conditionExpression("#owner = :run").expressionAttributeNames(names).expressionAttributeValues(all));
            return true;
        } catch (ConditionalCheckFailedException lost) {
            return false;
        }
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
