package com.meridianreview.core;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Articles and teaser lists in the content table. Every read is one DynamoDB request: an article
 * is one GetItem, a page of any list is one Query on the ByListing index.
 */
public final class ContentStore {

    /** A transaction holds at most 100 items: the article plus its listings. */
    public static final int MAX_LISTINGS = 99;
    private static final Pattern CURSOR = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z#[a-z0-9]+(-[a-z0-9]+)*");

    private final DynamoDbClient dynamoDb;
    private final String tableName;
    private final Clock clock;

    public ContentStore(DynamoDbClient dynamoDb, String tableName) {
        this(dynamoDb, tableName, Clock.systemUTC());
    }

    /** {@code clock} decides which scheduled articles are public yet. */
    public ContentStore(DynamoDbClient dynamoDb, String tableName, Clock clock) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
        this.clock = clock;
    }

    /** The published article with this slug, once its publication time has come; drafts, scheduled and unknown slugs are empty alike. */
    public Optional<Article> publishedArticle(String slug) {
        return article(slug).filter(article -> article.isLiveAt(clock.instant()));
    }

    /** The article with this slug whatever its status (one GetItem), for pages that answer drafts and takedowns differently. */
    public Optional<Article> article(String slug) {
        return storedArticle(slug).map(StoredArticle::article);
    }

    /**
     * An article (whatever its status) with its related stories as {@link RelatedLists} kept them;
     * {@code related} is empty when no list has been computed for it yet.
     */
    public record StoredArticle(Article article, Optional<List<RelatedStory>> related) {
        /** The related stories readers may see at {@code now}: a scheduled one only once it is out. */
        public List<RelatedStory> liveRelated(java.time.Instant now, int limit) {
            return related.orElse(List.of()).stream().filter(story -> !story.teaser().publishedAt().isAfter(now)).limit(limit).toList();
        }
    }

    /** {@link #article} with the article's related list, in the same one GetItem. */
    public Optional<StoredArticle> storedArticle(String slug) {
        if (!Slugs.isValid(slug)) {
            return Optional.empty();
        }
        GetItemResponse response = dynamoDb.getItem(request -> request
                .tableName(tableName)
                .key(Map.of(ContentTable.PK, AttributeValue.fromS(ContentTable.articlePk(slug)),
                        ContentTable.SK, AttributeValue.fromS(ContentTable.ARTICLE_SK))));
        if (!response.hasItem() || response.item().isEmpty()) {
            return Optional.empty();
        }
        Map<String, AttributeValue> item = response.item();
        return Optional.of(new StoredArticle(ContentItems.article(item),
                item.containsKey(ContentTable.RELATED) ? Optional.of(ContentItems.related(item.get(ContentTable.RELATED))) : Optional.empty()));
    }

    /** True when {@code cursor} could have come from {@link #teasers}; anything else is a bad request. */
    public static boolean isValidCursor(String cursor) {
        return cursor != null && cursor.length() <= 160 && CURSOR.matcher(cursor).matches();
    }

    /**
     * Up to {@code limit} teasers of a listing, newest first, starting after {@code cursor} (null for
     * the first page).
     */
    public Page<Teaser> teasers(Listing listing, int limit, String cursor) {
        return page(query(listing, limit + 1, cursor), limit);
    }

    private QueryResponse query(Listing listing, int limit, String cursor) {
        // Scheduled stories are listed from their publication time on: the sort key starts with it,
        // so the key condition leaves out what is not public yet, at no extra cost.
        String notBefore = ContentTable.listedAt(clock.instant(), "~");
        QueryRequest.Builder query = QueryRequest.builder()
                .tableName(tableName)
                .indexName(ContentTable.BY_LISTING_INDEX)
                .keyConditionExpression("#listing = :listing AND #listedAt < :now")
                .expressionAttributeNames(Map.of("#listing", ContentTable.LISTING, "#listedAt", ContentTable.LISTED_AT))
                .expressionAttributeValues(Map.of(":listing", AttributeValue.fromS(listing.key()), ":now", AttributeValue.fromS(notBefore)))
                .scanIndexForward(false)
                .limit(limit);
        if (cursor != null) {
            if (!isValidCursor(cursor)) {
                throw new IllegalArgumentException("not a list cursor: " + cursor);
            }
            String slug = cursor.substring(cursor.indexOf('#') + 1);
            query.exclusiveStartKey(Map.of(
                    ContentTable.LISTING, AttributeValue.fromS(listing.key()),
                    ContentTable.LISTED_AT, AttributeValue.fromS(cursor),
                    ContentTable.PK, AttributeValue.fromS(ContentTable.articlePk(slug)),
                    ContentTable.SK, AttributeValue.fromS(ContentTable.listingSk(listing))));
        }
        return dynamoDb.query(query.build());
    }

    /**
     * Reads one item more than the page shows: DynamoDB returns a LastEvaluatedKey whenever the
     * limit is reached, even when nothing follows, so only the extra item proves an older page.
     */
    private static Page<Teaser> page(QueryResponse response, int limit) {
        List<Teaser> teasers = new ArrayList<>(Math.min(limit, response.count()));
        for (Map<String, AttributeValue> item : response.items()) {
            if (teasers.size() == limit) {
                break;
            }
            teasers.add(ContentItems.teaser(item));
        }
        String next = null;
        if (response.count() > limit) {
            Teaser last = teasers.get(teasers.size() - 1);
            next = ContentTable.listedAt(last.publishedAt(), last.slug());
        }
        return new Page<>(teasers, next);
    }

    /**
     * A page of the list of this kind and slug, with the list's display name taken from its teaser
     * items, all in one request. Empty when the list, or the page after the cursor, has no stories.
     */
    public Optional<ListingPage> listingPage(Listing.Kind kind, String slug, int limit, String cursor) {
        if (!Slugs.isValid(slug)) {
            return Optional.empty();
        }
        Listing probe = new Listing(kind, slug, slug);
        QueryResponse response = query(probe, limit + 1, cursor);
        if (response.items().isEmpty()) {
            return Optional.empty();
        }
        AttributeValue name = response.items().get(0).get("listingName");
        Listing listing = new Listing(kind, slug, name == null ? slug : name.s());
        return Optional.of(new ListingPage(listing, page(response, limit)));
    }

    /**
     * Records an ingested image (one PutItem), so that articles naming it carry its size and
     * renditions. With {@code onlyIfNew} the write holds only if no image of that name exists;
     * false when one does.
     */
    public boolean publishImage(StoredImage image, boolean onlyIfNew) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(ContentTable.PK, AttributeValue.fromS(ContentTable.IMAGE_PREFIX + image.key()));
        item.put(ContentTable.SK, AttributeValue.fromS(ContentTable.IMAGE_SK));
        item.put("contentType", AttributeValue.fromS(image.contentType()));
        item.put("width", AttributeValue.fromN(Integer.toString(image.width())));
        item.put("height", AttributeValue.fromN(Integer.toString(image.height())));
        item.put("renditions", ContentItems.renditions(image.renditions()));
        if (image.source() != null) {
            item.put("source", AttributeValue.fromS(image.source()));
        }
        try {
            dynamoDb.putItem(request -> {
                request.tableName(tableName).item(item);
                if (onlyIfNew) {
                    request.conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", ContentTable.PK));
                }
            });
            return true;
        } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException exists) {
            return false;
        }
    }

    /** The ingested image with this key (as articles name it, without images/), if there is one. */
    public Optional<StoredImage> image(String key) {
        GetItemResponse response = dynamoDb.getItem(request -> request.tableName(tableName).consistentRead(true)
                .key(Map.of(ContentTable.PK, AttributeValue.fromS(ContentTable.IMAGE_PREFIX + key),
                        ContentTable.SK, AttributeValue.fromS(ContentTable.IMAGE_SK))));
        if (!response.hasItem() || response.item().isEmpty()) {
            return Optional.empty();
        }
        Map<String, AttributeValue> item = response.item();
        return Optional.of(new StoredImage(key, item.get("contentType").s(), Integer.parseInt(item.get("width").n()),
                Integer.parseInt(item.get("height").n()), ContentItems.renditions(item.get("renditions")),
                item.containsKey("source") ? item.get("source").s() : null));
    }

    /**
     * Records what became of an upload (one conditional PutItem), replacing the report of an
     * earlier write of the same key but never a later one's; DynamoDB deletes it by itself
     * {@link UploadReport#KEPT_DAYS} days later.
     */
    public void recordUpload(UploadReport report) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(ContentTable.PK, AttributeValue.fromS(ContentTable.UPLOAD_PREFIX + report.key()));
        item.put(ContentTable.SK, AttributeValue.fromS(ContentTable.UPLOAD_SK));
        item.put("state", AttributeValue.fromS(report.state().name().toLowerCase(java.util.Locale.ROOT)));
        if (!report.problems().isEmpty()) {
            item.put("problems", AttributeValue.fromL(report.problems().stream().map(AttributeValue::fromS).toList()));
        }
        if (report.page() != null) {
            item.put("page", AttributeValue.fromS(report.page()));
        }
        item.put("checkedAt", AttributeValue.fromS(report.checkedAt().toString()));
        item.put(ContentTable.EXPIRES_AT, AttributeValue.fromN(Long.toString(
                report.checkedAt().plus(java.time.Duration.ofDays(UploadReport.KEPT_DAYS)).getEpochSecond())));
        String sequencer = SourceVersion.comparableSequencer(report.sequencer());
        item.put("sequencer", AttributeValue.fromS(sequencer));
        try {
            dynamoDb.putItem(request -> request.tableName(tableName).item(item)
                    .conditionExpression("attribute_not_exists(#s) OR #s <= :s")
                    .expressionAttributeNames(Map.of("#s", "sequencer"))
                    .expressionAttributeValues(Map.of(":s", AttributeValue.fromS(sequencer))));
        } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException later) {
            // A later write of this key has been reported already; its report stands.
        }
    }

    /** The report of an upload, if one was made and has not expired (DynamoDB deletes expired items within days, so they are filtered here). */
    public Optional<UploadReport> uploadReport(String key) {
        GetItemResponse response = dynamoDb.getItem(request -> request.tableName(tableName).consistentRead(true)
                .key(Map.of(ContentTable.PK, AttributeValue.fromS(ContentTable.UPLOAD_PREFIX + key),
                        ContentTable.SK, AttributeValue.fromS(ContentTable.UPLOAD_SK))));
        if (!response.hasItem() || response.item().isEmpty()) {
            return Optional.empty();
        }
        Map<String, AttributeValue> item = response.item();
        if (Long.parseLong(item.get(ContentTable.EXPIRES_AT).n()) < clock.instant().getEpochSecond()) {
            return Optional.empty();
        }
        List<String> problems = item.containsKey("problems") ? item.get("problems").l().stream().map(AttributeValue::s).toList() : List.of();
        return Optional.of(new UploadReport(key, UploadReport.State.valueOf(item.get("state").s().toUpperCase(java.util.Locale.ROOT)),
                problems, item.containsKey("page") ? item.get("page").s() : null, java.time.Instant.parse(item.get("checkedAt").s()),
                item.containsKey("sequencer") ? item.get("sequencer").s() : ""));
    }

    /** What a publish came to: written, or skipped because the table already holds a newer version. */
    public enum Publication { WRITTEN, NEWER_VERSION_KEPT }

    /**
     * Writes an article and its teaser items in one transaction, removing teaser items of lists it
     * has left. Writing the same article twice leaves the table as the first write did.
     */
    public void publish(Article article) {
        publish(article, SourceVersion.of(article, ""));
    }

    /**
     * Publishes {@code article} unless the table holds a newer version of it: sources arrive at
     * least once and out of order, so the version (the source's update time, then the event's
     * sequencer) decides, never the order of arrival. Optimistic: the transaction holds only if
     * the article item is still the one read before it, so a concurrent publish of the same slug
     * makes this one read again and decide again.
     */
    public Publication publish(Article article, SourceVersion version) {
        List<Listing> listings = article.listings();
        if (listings.size() > MAX_LISTINGS) {
            throw new IllegalArgumentException("an article can appear in at most " + MAX_LISTINGS + " lists, not " + listings.size());
        }
        String pk = ContentTable.articlePk(article.slug());
        for (int attempt = 0; ; attempt++) {
            Stored stored = stored(pk);
            if (stored.version() != null && stored.version().compareTo(version.value()) > 0) {
                return Publication.NEWER_VERSION_KEPT;
            }
            Set<String> wanted = new HashSet<>();
            List<TransactWriteItem> writes = new ArrayList<>();
            Map<String, AttributeValue> item = new HashMap<>(ContentItems.articleItem(article));
            item.put(ContentTable.SOURCE_VERSION, AttributeValue.fromS(version.value()));
            // The related lists are kept by RelatedLists after each publish; a new version keeps
            // them until then (and the record of other lists this story is in, to be undone on takedown).
            item.putAll(stored.relatedAttributes());
            Put.Builder put = Put.builder().tableName(tableName).item(item);
            if (stored.version() == null) {
                put.conditionExpression("attribute_not_exists(#v)").expressionAttributeNames(Map.of("#v", ContentTable.SOURCE_VERSION));
            } else if (stored.relatedAttributes().containsKey(ContentTable.RELATED_REVISION)) {
                // The related list and record were read with the item: a write to them since then
                // (another story's refresh) makes this publish read again rather than undo it.
                put.conditionExpression("#v = :read AND #rev = :rev")
                        .expressionAttributeNames(Map.of("#v", ContentTable.SOURCE_VERSION, "#rev", ContentTable.RELATED_REVISION))
                        .expressionAttributeValues(Map.of(":read", AttributeValue.fromS(stored.version()),
                                ":rev", stored.relatedAttributes().get(ContentTable.RELATED_REVISION)));
            } else {
                put.conditionExpression("#v = :read AND attribute_not_exists(#rev)")
                        .expressionAttributeNames(Map.of("#v", ContentTable.SOURCE_VERSION, "#rev", ContentTable.RELATED_REVISION))
                        .expressionAttributeValues(Map.of(":read", AttributeValue.fromS(stored.version())));
            }
            writes.add(TransactWriteItem.builder().put(put.build()).build());
            for (Listing listing : listings) {
                wanted.add(ContentTable.listingSk(listing));
                writes.add(put(ContentItems.teaserItem(article.teaser(), article.tags(), listing)));
            }
            for (String sk : stored.sortKeys()) {
                if (sk.startsWith(ContentTable.LISTING_SK_PREFIX) && !wanted.contains(sk)) {
                    Map<String, AttributeValue> key = new HashMap<>();
                    key.put(ContentTable.PK, AttributeValue.fromS(pk));
                    key.put(ContentTable.SK, AttributeValue.fromS(sk));
                    writes.add(TransactWriteItem.builder().delete(delete -> delete.tableName(tableName).key(key)).build());
                }
            }
            try {
                dynamoDb.transactWriteItems(request -> request.transactItems(writes));
                return Publication.WRITTEN;
            } catch (TransactionCanceledException e) {
                // Another publish of this slug got in between: its write changed the article item
                // (our condition failed) or overlapped ours (DynamoDB cancels both with
                // TransactionConflict). Read what is there now and decide again, after a short random pause.
                boolean contended = e.hasCancellationReasons() && e.cancellationReasons().stream()
                        .anyMatch(reason -> "TransactionConflict".equals(reason.code()))
                        || e.hasCancellationReasons() && !e.cancellationReasons().isEmpty()
                        && "ConditionalCheckFailed".equals(e.cancellationReasons().get(0).code());
                if (!contended || attempt >= MAX_PUBLISH_ATTEMPTS) {
                    throw e;
                }
                try {
                    Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(5, 20L << Math.min(attempt, 4)));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static final int MAX_PUBLISH_ATTEMPTS = 12;

    /** The article's version as stored (null when it has none) and the sort keys of all its items. */
    private record Stored(String version, List<String> sortKeys, Map<String, AttributeValue> relatedAttributes) {
    }

    private Stored stored(String pk) {
        List<String> keys = new ArrayList<>();
        String version = null;
        Map<String, AttributeValue> related = new HashMap<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> exclusiveStart = start;
            QueryResponse response = dynamoDb.query(request -> {
                request.tableName(tableName)
                        .keyConditionExpression("#pk = :pk")
                        .expressionAttributeNames(Map.of("#pk", ContentTable.PK, "#sk", ContentTable.SK, "#v", ContentTable.SOURCE_VERSION,
                                "#r", ContentTable.RELATED, "#ri", ContentTable.RELATED_IN, "#rev", ContentTable.RELATED_REVISION))
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk)))
                        .projectionExpression("#sk, #v, #r, #ri, #rev")
                        .consistentRead(true);
                if (exclusiveStart != null) {
                    request.exclusiveStartKey(exclusiveStart);
                }
            });
            for (Map<String, AttributeValue> item : response.items()) {
                keys.add(item.get(ContentTable.SK).s());
                if (ContentTable.ARTICLE_SK.equals(item.get(ContentTable.SK).s())) {
                    if (item.containsKey(ContentTable.SOURCE_VERSION)) {
                        version = item.get(ContentTable.SOURCE_VERSION).s();
                    }
                    for (String name : List.of(ContentTable.RELATED, ContentTable.RELATED_IN, ContentTable.RELATED_REVISION)) {
                        if (item.containsKey(name)) {
                            related.put(name, item.get(name));
                        }
                    }
                }
            }
            start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() ? response.lastEvaluatedKey() : null;
        } while (start != null);
        return new Stored(version, keys, related);
    }

    private TransactWriteItem put(Map<String, AttributeValue> item) {
        return TransactWriteItem.builder().put(Put.builder().tableName(tableName).item(item).build()).build();
    }
}
