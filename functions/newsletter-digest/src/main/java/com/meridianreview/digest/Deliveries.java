package com.meridianreview.digest;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * One record per subscriber and issue, in the subscriber's own partition (so erasing a
 * subscriber erases these too). A record is written, on the condition that none exists, before
 * the message is handed to SES: whichever run writes it is the only one that may send that
 * subscriber that issue. It then says "sent" with SES's message id, or "refused" when SES
 * refused the address. A record another run left at "sending" means that run stopped between the
 * two (only the run holding the send's lease claims, see {@link SendProgress}): SES may or may not
 * have taken that message, and it is not sent again.
 */
final class Deliveries {

    enum Claim { CLAIMED, DONE_BEFORE, IN_DOUBT }

    /** Long enough for any retry or late resumption of an issue; the records then go by themselves. */
    static final Duration KEPT = Duration.ofDays(90);

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final Clock clock;

    Deliveries(DynamoDbClient dynamoDb, String table, Clock clock) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.clock = clock;
    }

    /**
     * Claims the right to send this subscriber this issue for {@code run} (one conditional
     * PutItem): CLAIMED for exactly one run; otherwise whether the record left shows a finished
     * delivery or one that a stopped run left in doubt. A record of this same run is its own
     * claim coming back (the SDK retried a write whose answer was lost).
     */
    Claim claim(String subscriberId, String list, LocalDate date, String run) {
        long now = clock.instant().getEpochSecond();
        try {
            dynamoDb.putItem(request -> request.tableName(table)
                    .item(Map.of("pk", s("subscriber#" + subscriberId), "sk", s(sk(list, date)), "delivery", s("sending"), "run", s(run),
                            "claimedAt", n(now), "expiresAt", n(now + KEPT.toSeconds())))
                    .conditionExpression("attribute_not_exists(pk)")
                    .returnValuesOnConditionCheckFailure(software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return Claim.CLAIMED;
        } catch (ConditionalCheckFailedException taken) {
            return claimOf(taken, run);
        } catch (RuntimeException unknown) {
            // The write may have landed with its answer lost: a claim of this run's must not be left
            // behind for a send that never happens (the reader would be "in doubt" for good).
            try {
                dynamoDb.deleteItem(request -> request.tableName(table).key(key(subscriberId, list, date))
                        .conditionExpression("delivery = :sending AND #run = :run").expressionAttributeNames(Map.of("#run", "run"))
                        .expressionAttributeValues(Map.of(":sending", s("sending"), ":run", s(run))));
            } catch (RuntimeException ignored) {
                unknown.addSuppressed(ignored);
            }
            throw unknown;
        }
    }

    private static Claim claimOf(ConditionalCheckFailedException taken, String run) {
        Map<String, AttributeValue> old = taken.hasItem() ? taken.item() : Map.of();
        boolean sending = old.containsKey("delivery") && "sending".equals(old.get("delivery").s());
        if (sending && old.containsKey("run") && run.equals(old.get("run").s())) {
            return Claim.CLAIMED;
        }
        return sending ? Claim.IN_DOUBT : Claim.DONE_BEFORE;
    }

    void sent(String subscriberId, String list, LocalDate date, String messageId) {
        finish(subscriberId, list, date, "sent", "messageId", messageId);
    }

    void refused(String subscriberId, String list, LocalDate date, String reason) {
        finish(subscriberId, list, date, "refused", "reason", reason);
    }

    /** Gives a claim back when SES certainly did not take the message, so that a later run sends it. */
    void release(String subscriberId, String list, LocalDate date) {
        forget(subscriberId, list, date, "sending");
    }

    /**
     * Takes back refusals that turned out to be about the sender, not the readers (a run of them
     * in a row), so that a later run tries those readers again.
     */
    void unrefuse(String subscriberId, String list, LocalDate date) {
        forget(subscriberId, list, date, "refused");
    }

    private void forget(String subscriberId, String list, LocalDate date, String state) {
        try {
            dynamoDb.deleteItem(request -> request.tableName(table).key(key(subscriberId, list, date))
                    .conditionExpression("delivery = :state").expressionAttributeValues(Map.of(":state", s(state))));
        } catch (ConditionalCheckFailedException gone) {
            // erased meanwhile, or already settled: nothing to give back
        }
    }

    /** Settles a claim; a subscriber erased meanwhile keeps no record (the condition stops the write from recreating one). */
    private void finish(String subscriberId, String list, LocalDate date, String state, String field, String value) {
        try {
            dynamoDb.updateItem(request -> request.tableName(table).key(key(subscriberId, list, date))
                    .updateExpression("SET delivery = :state, #field = :value, finishedAt = :at")
                    .conditionExpression("attribute_exists(pk)")
                    .expressionAttributeNames(Map.of("#field", field))
                    .expressionAttributeValues(Map.of(":state", s(state), ":value", s(value == null ? "" : value),
                            ":at", s(clock.instant().toString()))));
        } catch (ConditionalCheckFailedException erased) {
            // the reader asked to be erased while the message went out
        }
    }

    private static Map<String, AttributeValue> key(String subscriberId, String list, LocalDate date) {
        return Map.of("pk", s("subscriber#" + subscriberId), "sk", s(sk(list, date)));
    }

    private static String sk(String list, LocalDate date) {
        return "issue#" + list + "#" + date;
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
