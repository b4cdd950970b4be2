package com.meridianreview.subscribers;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Subscribers in their own table, where the page functions' roles cannot read them. One item per
 * address and list, keyed by the address's pseudonym; every change is a conditional write, so
 * parallel requests for one address leave one subscriber and send one message.
 *
 * <pre>
 * item          pk                      sk              attributes
 * subscriber    subscriber#{id}         list#{list}     email, name, state, nonce, consent{...}, consentHistory[...], sentAt, mailing, ...
 * delivery      subscriber#{id}         issue#{list}#{date}  (the digest's send record, expiresAt TTL)
 * rate counter  limit#{kind}#{hash}     window#{start}  count, expiresAt (TTL)
 * </pre>
 *
 * {@code mailing} holds the list's name while, and only while, the subscriber is confirmed: the
 * sparse index {@value #MAILING_INDEX} on it is the list of who gets the next issue, read without
 * touching anyone else's items.
 */
public final class Subscribers {

    public enum State { PENDING, CONFIRMED, UNSUBSCRIBED }

    /**
     * What the reader agreed to, and where: the latest in {@code consent}, every one in
     * {@code consentHistory}; kept for as long as the subscriber is (unsubscribing keeps it too).
     */
    public record Consent(Instant at, String page, String textVersion, String ipHash) {
    }

    public record Subscriber(EmailAddress email, String list, String name, State state, String nonce, Instant sentAt, Consent consent) {
    }

    /** Someone an issue goes to: the pseudonym that keys their items and links, and the address. */
    public record Recipient(String id, EmailAddress email) {
    }

    /** A page of recipients and where the next page starts (empty after the last). */
    public record Recipients(List<Recipient> recipients, Map<String, AttributeValue> next) {
    }

    public static final String MAILING_INDEX = "Mailing";

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final Clock clock;

    public Subscribers(DynamoDbClient dynamoDb, String table, Clock clock) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.clock = clock;
    }

    public Optional<Subscriber> find(String id, String list) {
        var response = dynamoDb.getItem(request -> request.tableName(table).consistentRead(true).key(key(id, list)));
        if (!response.hasItem() || response.item().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(subscriber(response.item()));
    }

    /** A new pending subscriber whose confirmation is being sent now; false when the address already has one. */
    public boolean addPending(EmailAddress email, String list, String name, String nonce, Consent consent) {
        Map<String, AttributeValue> item = new HashMap<>(key(email.id(), list));
        item.put("email", s(email.value()));
        item.put("list", s(list));
        if (name != null) {
            item.put("name", s(name));
        }
        item.put("state", s(State.PENDING.name()));
        item.put("nonce", s(nonce));
        item.put("sentAt", n(clock.instant().getEpochSecond()));
        item.put("createdAt", s(clock.instant().toString()));
        item.put("consent", consent(consent));
        item.put("consentHistory", AttributeValue.fromL(List.of(consent(consent))));
        return conditional(() -> dynamoDb.putItem(put -> put.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)")));
    }

    /**
     * Claims the right to send this subscriber a message now: true for exactly one caller, and only
     * when the last message went out before {@code notBefore} (so a re-sent form is not a flood of
     * mail) and the subscriber is still in {@code state}. An unsubscribed reader who signs up again
     * becomes pending with a fresh nonce and consent.
     */
    public boolean claimSend(EmailAddress email, String list, State state, Instant notBefore, String name, String freshNonce, Consent consent) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":state", s(state.name()));
        values.put(":now", n(clock.instant().getEpochSecond()));
        values.put(":before", n(notBefore.getEpochSecond()));
        StringBuilder update = new StringBuilder("SET sentAt = :now");
        if (state == State.UNSUBSCRIBED) {
            // The earlier consents stay: a new one is added to the trail, never written over it.
            update.append(", #state = :pending, nonce = :nonce, consent = :consent, resubscribedAt = :at,"
                    + " consentHistory = list_append(if_not_exists(consentHistory, :none), :consents)");
            values.put(":none", AttributeValue.fromL(List.of()));
            values.put(":consents", AttributeValue.fromL(List.of(consent(consent))));
            values.put(":pending", s(State.PENDING.name()));
            values.put(":nonce", s(freshNonce));
            values.put(":consent", consent(consent));
            values.put(":at", s(clock.instant().toString()));
            if (name != null) {
                update.append(", #name = :name");
                values.put(":name", s(name));
            }
        }
        Map<String, String> names = new HashMap<>(Map.of("#state", "state"));
        if (state == State.UNSUBSCRIBED && name != null) {
            names.put("#name", "name");
        }
        return conditional(() -> dynamoDb.updateItem(u -> u.tableName(table).key(key(email.id(), list)).updateExpression(update.toString())
                .conditionExpression("#state = :state AND (attribute_not_exists(sentAt) OR sentAt < :before)")
                .expressionAttributeNames(names).expressionAttributeValues(values)));
    }

    /** Lets a failed send be tried again at once rather than after the resend pause. */
    public void releaseSend(String id, String list) {
        dynamoDb.updateItem(request -> request.tableName(table).key(key(id, list)).updateExpression("REMOVE sentAt")
                .conditionExpression("attribute_exists(pk)"));
    }

    public enum Confirmed { CONFIRMED, ALREADY, NOT_VALID }

    /** Confirms with the nonce of the pending subscription; confirming twice is harmless. */
    public Confirmed confirm(String id, String list, String nonce) {
        boolean done = conditional(() -> dynamoDb.updateItem(u -> u.tableName(table).key(key(id, list))
                .updateExpression("SET #state = :confirmed, confirmedAt = :at, mailing = :list REMOVE nonce")
                .conditionExpression("#state = :pending AND nonce = :nonce")
                .expressionAttributeNames(Map.of("#state", "state"))
                .expressionAttributeValues(Map.of(":confirmed", s(State.CONFIRMED.name()), ":pending", s(State.PENDING.name()),
                        ":nonce", s(nonce), ":at", s(clock.instant().toString()), ":list", s(list)))));
        if (done) {
            return Confirmed.CONFIRMED;
        }
        return find(id, list).filter(s -> s.state() == State.CONFIRMED).isPresent() ? Confirmed.ALREADY : Confirmed.NOT_VALID;
    }

    /** Stops all mail to this subscriber of this list; the consent trail stays. Unknown (erased) subscribers are unsubscribed already. */
    public void unsubscribe(String id, String list) {
        conditional(() -> dynamoDb.updateItem(u -> u.tableName(table).key(key(id, list))
                .updateExpression("SET #state = :unsubscribed, unsubscribedAt = :at REMOVE nonce, mailing")
                .conditionExpression("attribute_exists(pk) AND #state <> :unsubscribed")
                .expressionAttributeNames(Map.of("#state", "state"))
                .expressionAttributeValues(Map.of(":unsubscribed", s(State.UNSUBSCRIBED.name()), ":at", s(clock.instant().toString())))));
    }

    /**
     * Stops all mail to an address that bounced for good or whose owner marked our mail as spam,
     * on every list it is on; {@code reason} says which. Signing up again starts over with a new
     * confirmation, as after an unsubscribe. How many subscriptions it stopped.
     */
    public int stopMail(EmailAddress email, String reason) {
        var items = dynamoDb.query(request -> request.tableName(table).keyConditionExpression("pk = :pk AND begins_with(sk, :list)")
                .expressionAttributeValues(Map.of(":pk", s("subscriber#" + email.id()), ":list", s("list#"))).projectionExpression("pk, sk")).items();
        int stopped = 0;
        for (Map<String, AttributeValue> item : items) {
            boolean changed = conditional(() -> dynamoDb.updateItem(u -> u.tableName(table).key(item)
                    .updateExpression("SET #state = :unsubscribed, unsubscribedAt = :at, stoppedBy = :reason REMOVE nonce, mailing")
                    .conditionExpression("attribute_exists(pk) AND #state <> :unsubscribed")
                    .expressionAttributeNames(Map.of("#state", "state"))
                    .expressionAttributeValues(Map.of(":unsubscribed", s(State.UNSUBSCRIBED.name()), ":at", s(clock.instant().toString()),
                            ":reason", s(reason)))));
            stopped += changed ? 1 : 0;
        }
        return stopped;
    }

    /**
     * A page of the list's confirmed subscribers from the sparse index, in a fixed order, so that a
     * send interrupted anywhere can go on from {@code from} (null for the first page). The index is
     * eventually consistent: someone who confirmed a second ago may wait for the next issue.
     */
    public Recipients recipients(String list, Map<String, AttributeValue> from, int pageSize) {
        var page = dynamoDb.query(request -> {
            request.tableName(table).indexName(MAILING_INDEX).keyConditionExpression("mailing = :list")
                    .expressionAttributeValues(Map.of(":list", s(list))).limit(pageSize);
            if (from != null && !from.isEmpty()) {
                request.exclusiveStartKey(from);
            }
        });
        List<Recipient> recipients = new ArrayList<>(page.count());
        for (Map<String, AttributeValue> item : page.items()) {
            recipients.add(new Recipient(item.get("pk").s().substring("subscriber#".length()), new EmailAddress(item.get("email").s())));
        }
        return new Recipients(recipients, page.hasLastEvaluatedKey() ? page.lastEvaluatedKey() : Map.of());
    }

    /** Every confirmed subscriber, for an export (a full read of the table: an operator's task, never a reader's). */
    public List<Subscriber> confirmed() {
        List<Subscriber> confirmed = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse page = dynamoDb.scan(request -> {
                request.tableName(table).filterExpression("#state = :confirmed AND begins_with(pk, :subscriber)")
                        .expressionAttributeNames(Map.of("#state", "state"))
                        .expressionAttributeValues(Map.of(":confirmed", s(State.CONFIRMED.name()), ":subscriber", s("subscriber#")));
                if (from != null) {
                    request.exclusiveStartKey(from);
                }
            });
            page.items().forEach(item -> confirmed.add(subscriber(item)));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return confirmed;
    }

    /**
     * Puts every confirmed subscriber who lacks it into the mailing index: those confirmed before
     * the index existed (an operator's one-off after upgrading; a full read of the table). How many.
     */
    public int indexConfirmed() {
        int indexed = 0;
        for (Subscriber subscriber : confirmed()) {
            String list = subscriber.list();
            boolean added = conditional(() -> dynamoDb.updateItem(u -> u.tableName(table).key(key(subscriber.email().id(), list))
                    .updateExpression("SET mailing = :list")
                    .conditionExpression("#state = :confirmed AND attribute_not_exists(mailing)")
                    .expressionAttributeNames(Map.of("#state", "state"))
                    .expressionAttributeValues(Map.of(":list", s(list), ":confirmed", s(State.CONFIRMED.name())))));
            indexed += added ? 1 : 0;
        }
        return indexed;
    }

    /** Removes every item of this address, consent trail included (a data subject's erasure); how many there were. */
    public int erase(EmailAddress email) {
        var items = dynamoDb.query(request -> request.tableName(table).keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", s("subscriber#" + email.id()))).projectionExpression("pk, sk")).items();
        for (Map<String, AttributeValue> item : items) {
            dynamoDb.deleteItem(request -> request.tableName(table).key(item));
        }
        return items.size();
    }

    /** A conditional write: false when its condition did not hold. */
    private boolean conditional(Runnable write) {
        try {
            write.run();
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private static Subscriber subscriber(Map<String, AttributeValue> item) {
        Map<String, AttributeValue> consent = item.containsKey("consent") ? item.get("consent").m() : Map.of();
        return new Subscriber(new EmailAddress(item.get("email").s()), item.get("list").s(), item.containsKey("name") ? item.get("name").s() : null,
                State.valueOf(item.get("state").s()), item.containsKey("nonce") ? item.get("nonce").s() : null,
                item.containsKey("sentAt") ? Instant.ofEpochSecond(Long.parseLong(item.get("sentAt").n())) : null,
                consent.isEmpty() ? null : new Consent(Instant.parse(consent.get("at").s()), text(consent, "page"), text(consent, "textVersion"),
                        text(consent, "ipHash")));
    }

    private static String text(Map<String, AttributeValue> map, String name) {
        return map.containsKey(name) ? map.get(name).s() : null;
    }

    private static AttributeValue consent(Consent consent) {
        Map<String, AttributeValue> map = new HashMap<>();
        map.put("at", s(consent.at().toString()));
        if (consent.page() != null) {
            map.put("page", s(consent.page()));
        }
        map.put("textVersion", s(consent.textVersion()));
        map.put("ipHash", s(consent.ipHash()));
        return AttributeValue.fromM(map);
    }

    private static Map<String, AttributeValue> key(String id, String list) {
        return Map.of("pk", s("subscriber#" + id), "sk", s("list#" + list));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
