package com.meridianreview.core;

import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Newsletter issues in the content table: public content (the stories of a week), so the page
 * function can show the archive without any access to subscribers. One item per issue, in one
 * partition per list:
 *
 * <pre>
 * item     pk                  sk                 attributes
 * issue    newsletter#{list}   issue#{yyyy-mm-dd} subject, preheader, html, text, page, storyCount, composedAt
 * </pre>
 */
public final class NewsletterIssues {

    static final String PREFIX = "newsletter#";
    static final String ISSUE_PREFIX = "issue#";

    private final DynamoDbClient dynamoDb;
    private final String tableName;

    public NewsletterIssues(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
    }

    /**
     * Stores the issue unless one of that list and date is stored already (one conditional
     * PutItem), and answers the issue that stands: this one, or the one stored first.
     */
    public NewsletterIssue storeFirst(NewsletterIssue issue) {
        Map<String, AttributeValue> item = new HashMap<>(key(issue.list(), issue.date()));
        item.put("subject", AttributeValue.fromS(issue.subject()));
        item.put("preheader", AttributeValue.fromS(issue.preheader()));
        item.put("html", AttributeValue.fromS(issue.html()));
        item.put("text", AttributeValue.fromS(issue.text()));
        item.put("page", AttributeValue.fromS(issue.page()));
        item.put("storyCount", AttributeValue.fromN(Integer.toString(issue.storyCount())));
        item.put("composedAt", AttributeValue.fromS(issue.composedAt().toString()));
        try {
            dynamoDb.putItem(request -> request.tableName(tableName).item(item).conditionExpression("attribute_not_exists(pk)"));
            return issue;
        } catch (ConditionalCheckFailedException stored) {
            return issue(issue.list(), issue.date())
                    .orElseThrow(() -> new IllegalStateException("issue " + issue.date() + " was stored and is gone"));
        }
    }

    /** The stored issue of that list and date (a strongly consistent GetItem). */
    public Optional<NewsletterIssue> issue(String list, LocalDate date) {
        var response = dynamoDb.getItem(request -> request.tableName(tableName).key(key(list, date)).consistentRead(true));
        if (!response.hasItem() || response.item().isEmpty()) {
            return Optional.empty();
        }
        Map<String, AttributeValue> item = response.item();
        return Optional.of(new NewsletterIssue(list, date, item.get("subject").s(), item.get("preheader").s(), item.get("html").s(),
                item.get("text").s(), item.get("page").s(), Integer.parseInt(item.get("storyCount").n()),
                Instant.parse(item.get("composedAt").s())));
    }

    private static Map<String, AttributeValue> key(String list, LocalDate date) {
        return Map.of(ContentTable.PK, AttributeValue.fromS(PREFIX + list), ContentTable.SK, AttributeValue.fromS(ISSUE_PREFIX + date));
    }
}
