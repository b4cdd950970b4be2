package com.meridianreview.core;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * Each article's related stories, computed when it is published and kept on its item, so that
 * reading them costs the article's one GetItem and nothing more. Candidates are the newest
 * {@value #PER_LISTING} of each of the article's section, region and tag lists (never a scan);
 * the article then enters the kept lists of the best of them where it now ranks, and leaves the
 * lists it was in when it is taken down or drafted. Scores are symmetric (shared tags, section,
 * region, distance in time), so the score of the new story in an older one's list is the score
 * that older story got in the new one's.
 */
public final class RelatedLists {

    /** The most a list keeps: the most a caller of the related-stories API may ask for. */
    public static final int KEPT = 12;
    static final int PER_LISTING = 50;
    /** How many of the best candidates are weighed, and may take the new story into their own lists. */
    static final int REACHED = 20;
    private static final int MAX_LIST_WRITES = 12;

    /** What a refresh did, for the ingest's log line. */
    public record Refresh(int kept, int listsUpdated, int requests) {
    }

    private final DynamoDbClient dynamoDb;
    private final String tableName;
    private final Relevance relevance;
    private final Clock clock;

    public RelatedLists(DynamoDbClient dynamoDb, String tableName, Relevance relevance, Clock clock) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
        this.relevance = relevance;
        this.clock = clock;
    }

    /** A candidate as a listing's teaser item shows it. */
    private record Candidate(RelatedCandidate scored, Teaser teaser) {
    }

    /**
     * Recomputes {@code article}'s list after it was published as {@code version}, and puts it into
     * (or, when it is no longer published, takes it out of) the lists of the articles it relates to.
     * Every list write holds only if the list is still the one read (a revision number on the item),
     * and is read again and redone otherwise, so concurrent refreshes never undo each other. A newer
     * version published meanwhile makes its own refresh; this one then stops.
     */
    public Refresh refresh(Article article, SourceVersion version) {
        int[] requests = {0};
        Map<String, Candidate> candidates = candidates(article, requests);
        RelatedCandidate self = RelatedCandidate.of(article);
        Relevance.TagFrequencies frequencies = frequencies(self, requests);
        List<Relevance.Scored> ranked = relevance.rank(self, candidates.values().stream().map(Candidate::scored).toList(), frequencies, REACHED);
        // The listing index is read eventually consistently: a story taken down a moment ago may
        // still be listed. Each candidate's own item, read consistently, has the last word.
        Set<String> read = new HashSet<>();
        ranked.forEach(scored -> read.add(scored.candidate().slug()));
        read.add(article.slug());
        Map<String, StoredList> stored = storedLists(read, requests);
        List<Relevance.Scored> live = ranked.stream().filter(scored -> stored.containsKey(scored.candidate().slug())
                && stored.get(scored.candidate().slug()).published()).toList();
        List<RelatedStory> own = new ArrayList<>();
        for (Relevance.Scored scored : live.subList(0, Math.min(KEPT, live.size()))) {
            own.add(new RelatedStory(candidates.get(scored.candidate().slug()).teaser(), scored.score()));
        }
        StoredList mine = stored.get(article.slug());
        if (mine == null || !version.value().equals(mine.version())) {
            // A newer version was published meanwhile (or the article is gone): its own refresh decides.
            return new Refresh(own.size(), 0, requests[0]);
        }
        // The same story published again changes nothing, not even a revision.
        boolean unchanged = mine.kept() && ContentItems.relatedList(own).equals(ContentItems.relatedList(mine.stories()));
        if (!unchanged && !saveOwn(article.slug(), own, version, requests)) {
            return new Refresh(own.size(), 0, requests[0]);
        }
        // Each story in this list knows it is here, so that taking it down takes it out of this list too.
        for (RelatedStory story : own) {
            StoredList member = stored.get(story.teaser().slug());
            if (!member.heldBy().contains(article.slug())) {
                changeHeldBy(story.teaser().slug(), "ADD", article.slug(), requests);
                // That write counted one revision: the list itself is as read.
                stored.put(story.teaser().slug(), member.nextRevision());
            }
        }
        // Where this story should be now: in the lists of the best candidates, if it is published.
        Map<String, Double> wanted = new LinkedHashMap<>();
        if (article.isPublished()) {
            live.forEach(scored -> wanted.put(scored.candidate().slug(), scored.score()));
        }
        Set<String> holders = stored.containsKey(article.slug()) ? stored.get(article.slug()).heldBy() : Set.of();
        Set<String> touched = new HashSet<>(wanted.keySet());
        touched.addAll(holders);
        Set<String> unread = new HashSet<>(touched);
        unread.removeAll(stored.keySet());
        stored.putAll(storedLists(unread, requests));
        int updated = 0;
        for (String slug : touched) {
            if (placeIn(slug, stored.get(slug), article, wanted.get(slug), requests)) {
                updated++;
            }
        }
        return new Refresh(own.size(), updated, requests[0]);
    }

    /**
     * Puts the story into, or takes it out of, another article's list: a compare-and-set on the
     * list's revision, read again and redone when another write got in between. The story's record
     * of the lists holding it is added to before it enters one and taken from only after it has left.
     */
    private boolean placeIn(String slug, StoredList read, Article article, Double score, int[] requests) {
        StoredList current = read;
        for (int attempt = 0; current != null; attempt++) {
            if (attempt == MAX_LIST_WRITES) {
                // Retried with the event, which redoes the whole refresh: it changes nothing twice.
                throw new IllegalStateException("the related list of " + slug + " kept changing; the event is retried");
            }
            if (attempt > 0) {
                pause(attempt);
            }
            List<RelatedStory> list = new ArrayList<>(current.stories());
            boolean had = list.removeIf(story -> story.teaser().slug().equals(article.slug()));
            if (score != null) {
                list.add(new RelatedStory(article.teaser(), score));
                list.sort(BEST_FIRST);
                if (list.size() > KEPT) {
                    list = new ArrayList<>(list.subList(0, KEPT));
                }
            }
            boolean has = list.stream().anyMatch(story -> story.teaser().slug().equals(article.slug()));
            if (!had && !has || ContentItems.relatedList(list).equals(ContentItems.relatedList(current.stories()))) {
                return false;
            }
            if (has && !current.holds(article.slug())) {
                changeHeldBy(article.slug(), "ADD", slug, requests);
            }
            if (saveOther(slug, list, current.revision(), requests)) {
                if (!has) {
                    changeHeldBy(article.slug(), "DELETE", slug, requests);
                }
                return true;
            }
            current = storedLists(Set.of(slug), requests).get(slug);
        }
        return false;
    }

    static final Comparator<RelatedStory> BEST_FIRST = Comparator.comparingDouble(RelatedStory::score).reversed()
            .thenComparing(story -> story.teaser().publishedAt(), Comparator.reverseOrder())
            .thenComparing(story -> story.teaser().slug());

    private Map<String, Candidate> candidates(Article article, int[] requests) {
        Map<String, Candidate> candidates = new LinkedHashMap<>();
        for (Listing listing : article.listings()) {
            if (listing.kind() != Listing.Kind.SECTION && listing.kind() != Listing.Kind.REGION && listing.kind() != Listing.Kind.TAG) {
                continue;
            }
            QueryResponse response = dynamoDb.query(listingQuery(listing.key()).limit(PER_LISTING).build());
            requests[0]++;
            for (Map<String, AttributeValue> item : response.items()) {
                Teaser teaser = ContentItems.teaser(item);
                if (!teaser.slug().equals(article.slug())) {
                    candidates.putIfAbsent(teaser.slug(), new Candidate(new RelatedCandidate(teaser.slug(), teaser.section(), teaser.region(),
                            ContentItems.tags(item), teaser.publishedAt()), teaser));
                }
            }
        }
        return candidates;
    }

    /** How many published stories there are, and how many carry each of the article's tags (only shared tags are weighed). */
    private Relevance.TagFrequencies frequencies(RelatedCandidate article, int[] requests) {
        long documents = count(Listing.LATEST.key(), requests);
        Map<String, Long> withTag = new HashMap<>();
        for (String tag : article.tagKeys()) {
            withTag.put(tag, count(tag, requests));
        }
        return new Relevance.TagFrequencies() {
            @Override
            public long documents() {
                return documents;
            }

            @Override
            public long articlesWithTag(String tagKey) {
                return withTag.getOrDefault(tagKey, 0L);
            }
        };
    }

    /** The size of a listing, counted by the index (one request per megabyte of teasers). */
    private long count(String listingKey, int[] requests) {
        long count = 0;
        Map<String, AttributeValue> start = null;
        do {
            QueryRequest.Builder query = listingQuery(listingKey).select(Select.COUNT);
            if (start != null) {
                query.exclusiveStartKey(start);
            }
            QueryResponse response = dynamoDb.query(query.build());
            requests[0]++;
            count += response.count();
            start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() ? response.lastEvaluatedKey() : null;
        } while (start != null);
        return count;
    }

    private QueryRequest.Builder listingQuery(String listingKey) {
        // Stories scheduled for later are not listed yet, so they are no one's candidates yet.
        return QueryRequest.builder().tableName(tableName).indexName(ContentTable.BY_LISTING_INDEX)
                .keyConditionExpression("#listing = :listing AND #listedAt < :now")
                .expressionAttributeNames(Map.of("#listing", ContentTable.LISTING, "#listedAt", ContentTable.LISTED_AT))
                .expressionAttributeValues(Map.of(":listing", AttributeValue.fromS(listingKey),
                        ":now", AttributeValue.fromS(ContentTable.listedAt(clock.instant(), "~"))))
                .scanIndexForward(false);
    }

    /** Writes the article's own list; false when a newer version has replaced the article meanwhile. */
    private boolean saveOwn(String slug, List<RelatedStory> own, SourceVersion version, int[] requests) {
        try {
            requests[0]++;
            dynamoDb.updateItem(request -> request.tableName(tableName).key(articleKey(slug))
                    .updateExpression("SET #r = :r ADD #rev :one")
                    .conditionExpression("#v = :v")
                    .expressionAttributeNames(Map.of("#r", ContentTable.RELATED, "#v", ContentTable.SOURCE_VERSION, "#rev", ContentTable.RELATED_REVISION))
                    .expressionAttributeValues(Map.of(":r", ContentItems.relatedList(own), ":v", AttributeValue.fromS(version.value()),
                            ":one", AttributeValue.fromN("1"))));
            return true;
        } catch (ConditionalCheckFailedException newer) {
            return false;
        }
    }

    /** Adds a slug to, or deletes it from, the record of the lists holding {@code slug}'s story (atomic set operations). */
    private void changeHeldBy(String slug, String operation, String holder, int[] requests) {
        requests[0]++;
        try {
            dynamoDb.updateItem(request -> request.tableName(tableName).key(articleKey(slug))
                    .updateExpression(operation.equals("ADD") ? "ADD #ri :holder, #rev :one" : "DELETE #ri :holder ADD #rev :one")
                    .conditionExpression("attribute_exists(#pk)")
                    .expressionAttributeNames(Map.of("#ri", ContentTable.RELATED_IN, "#rev", ContentTable.RELATED_REVISION, "#pk", ContentTable.PK))
                    .expressionAttributeValues(Map.of(":holder", AttributeValue.fromSs(List.of(holder)), ":one", AttributeValue.fromN("1"))));
        } catch (ConditionalCheckFailedException gone) {
            // the article no longer exists: nothing to record
        }
    }

    /** An article's kept list as read, with its revision, status, and the lists that hold it. */
    private record StoredList(List<RelatedStory> stories, boolean kept, long revision, boolean published, Set<String> heldBy, String version) {
        StoredList nextRevision() {
            return new StoredList(stories, kept, revision + 1, published, heldBy, version);
        }

        boolean holds(String slug) {
            return stories.stream().anyMatch(story -> story.teaser().slug().equals(slug));
        }
    }

    /** The kept lists of these articles, read consistently (one BatchGetItem per 100); articles that do not exist are left out. */
    private Map<String, StoredList> storedLists(Set<String> slugs, int[] requests) {
        Map<String, StoredList> lists = new HashMap<>();
        List<String> all = new ArrayList<>(slugs);
        for (int from = 0; from < all.size(); from += 100) {
            List<Map<String, AttributeValue>> keys = all.subList(from, Math.min(all.size(), from + 100)).stream().map(RelatedLists::articleKey).toList();
            Map<String, KeysAndAttributes> pending = Map.of(tableName, KeysAndAttributes.builder().keys(keys).consistentRead(true)
                    .projectionExpression("slug, #r, #rev, #s, #ri, #v")
                    .expressionAttributeNames(Map.of("#r", ContentTable.RELATED, "#rev", ContentTable.RELATED_REVISION, "#s", "status",
                            "#ri", ContentTable.RELATED_IN, "#v", ContentTable.SOURCE_VERSION))
                    .build());
            for (int attempt = 0; !pending.isEmpty(); attempt++) {
                if (attempt == 8) {
                    throw new IllegalStateException("related lists could not be read (throttled); the event is retried");
                }
                if (attempt > 0) {
                    pause(attempt);
                }
                Map<String, KeysAndAttributes> request = pending;
                var response = dynamoDb.batchGetItem(r -> r.requestItems(request));
                requests[0]++;
                for (Map<String, AttributeValue> item : response.responses().getOrDefault(tableName, List.of())) {
                    AttributeValue revision = item.get(ContentTable.RELATED_REVISION);
                    AttributeValue heldBy = item.get(ContentTable.RELATED_IN);
                    lists.put(item.get("slug").s(), new StoredList(ContentItems.related(item.get(ContentTable.RELATED)), item.containsKey(ContentTable.RELATED),
                            revision == null ? 0 : Long.parseLong(revision.n()),
                            item.containsKey("status") && Article.Status.PUBLISHED.wireName().equals(item.get("status").s()),
                            heldBy == null || !heldBy.hasSs() ? Set.of() : Set.copyOf(heldBy.ss()),
                            item.containsKey(ContentTable.SOURCE_VERSION) ? item.get(ContentTable.SOURCE_VERSION).s() : null));
                }
                pending = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
            }
        }
        return lists;
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(10, 50L << Math.min(attempt, 5)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading related lists", e);
        }
    }

    /** Writes another article's list if it is still at {@code revision}; false when another write got in first. */
    private boolean saveOther(String slug, List<RelatedStory> list, long revision, int[] requests) {
        try {
            requests[0]++;
            dynamoDb.updateItem(request -> request.tableName(tableName).key(articleKey(slug))
                    .updateExpression("SET #r = :r ADD #rev :one")
                    .conditionExpression(revision == 0 ? "attribute_exists(#pk) AND attribute_not_exists(#rev)" : "#rev = :read")
                    .expressionAttributeNames(revision == 0
                            ? Map.of("#r", ContentTable.RELATED, "#rev", ContentTable.RELATED_REVISION, "#pk", ContentTable.PK)
                            : Map.of("#r", ContentTable.RELATED, "#rev", ContentTable.RELATED_REVISION))
                    .expressionAttributeValues(revision == 0
                            ? Map.of(":r", ContentItems.relatedList(list), ":one", AttributeValue.fromN("1"))
                            : Map.of(":r", ContentItems.relatedList(list), ":one", AttributeValue.fromN("1"), ":read", AttributeValue.fromN(Long.toString(revision)))));
            return true;
        } catch (ConditionalCheckFailedException changed) {
            return false;
        }
    }

    private static Map<String, AttributeValue> articleKey(String slug) {
        return Map.of(ContentTable.PK, AttributeValue.fromS(ContentTable.articlePk(slug)), ContentTable.SK, AttributeValue.fromS(ContentTable.ARTICLE_SK));
    }
}
