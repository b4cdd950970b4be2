package com.meridianreview.newsletter;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Fixed-window request counters in the subscribers' table: one item per client (or address) and
 * window, counted with an atomic ADD. The window is part of the key, so a counter that DynamoDB
 * has not yet deleted after its TTL (deletion can lag by days) is never read again.
 */
final class RateLimits {

    /** How many requests a client may make per window, and how long a window is. */
    record Limit(String kind, int requests, Duration window) {
    }

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final Clock clock;

    RateLimits(DynamoDbClient dynamoDb, String table, Clock clock) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.clock = clock;
    }

    /** Counts this request; empty while within the limit, else the seconds until the window ends. */
    OptionalLong count(Limit limit, String who) {
        long now = clock.instant().getEpochSecond();
        long length = limit.window().toSeconds();
        long start = now - Math.floorMod(now, length);
        var response = dynamoDb.updateItem(request -> request.tableName(table)
                .key(Map.of("pk", AttributeValue.fromS("limit#" + limit.kind() + "#" + who), "sk", AttributeValue.fromS("window#" + start)))
                .updateExpression("ADD #count :one SET expiresAt = if_not_exists(expiresAt, :expires)")
                .expressionAttributeNames(Map.of("#count", "count"))
                .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"), ":expires", AttributeValue.fromN(Long.toString(start + 2 * length))))
                .returnValues(ReturnValue.UPDATED_NEW));
        long count = Long.parseLong(response.attributes().get("count").n());
        return count > limit.requests() ? OptionalLong.of(Math.max(1, start + length - now)) : OptionalLong.empty();
    }
}
