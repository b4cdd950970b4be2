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
    /** How many of the best candidates may take the new story into their own lists. */
    static final int REACHED = 20;

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
     * A newer version published meanwhile makes its own refresh; this one then stops.
     */
    public Refresh refresh(Article article, SourceVersion version) {
        int[] requests = {0};
        Map<String, Candidate> candidates = candidates(article, requests);
        RelatedCandidate self = RelatedCandidate.of(article);
        Relevance.TagFrequencies frequencies = frequencies(self, requests);
        List<Relevance.Scored> ranked = relevance.rank(self, candidates.values().stream().map(Candidate::scored).toList(), frequencies, KEPT);
        List<RelatedStory> own = new ArrayList<>();
        for (Relevance.Scored scored : ranked) {
            own.add(new RelatedStory(candidates.get(scored.candidate().slug()).teaser(), scored.score()));
        }
        Optional<Set<String>> before = saveOwn(article.slug(), own, version, requests);
        if (before.isEmpty()) {
            return new Refresh(own.size(), 0, requests[0]);
        }
        // Where this story should be now: in the lists of the best candidates that rank it, if it is published.
        Map<String, Double> wanted = new LinkedHashMap<>();
        if (article.isPublished()) {
            for (Relevance.Scored scored : ranked.subList(0, Math.min(REACHED, ranked.size()))) {
                wanted.put(scored.candidate().slug(), scored.score());
            }
        }
        Set<String> touched = new HashSet<>(wanted.keySet());
        touched.addAll(before.get());
        Set<String> holding = new HashSet<>();
        int updated = 0;
        for (Map.Entry<String, StoredList> other : storedLists(touched, requests).entrySet()) {
            List<RelatedStory> list = new ArrayList<>(other.getValue().stories());
            boolean had = list.removeIf(story -> story.teaser().slug().equals(article.slug()));
            Double score = wanted.get(other.getKey());
            if (score != null) {
                list.add(new RelatedStory(article.teaser(), score));
                list.sort(BEST_FIRST);
                if (list.size() > KEPT) {
                    list = new ArrayList<>(list.subList(0, KEPT));
                }
            }
            boolean has = list.stream().anyMatch(story -> story.teaser().slug().equals(article.slug()));
            if (has) {
                holding.add(other.getKey());
            }
            if ((had || has) && saveOther(other.getKey(), list, other.getValue().version(), requests)) {
                updated++;
            } else if (had && !has) {
                // its list changed under us and keeps this story for now; it stays on record so a takedown finds it
                holding.add(other.getKey());
            }
        }
        saveHolding(article.slug(), holding, version, requests);
        return new Refresh(own.size(), updated, requests[0]);
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

    /** Writes the article's own list; the lists it was in before, or empty when a newer version has replaced it. */
    private Optional<Set<String>> saveOwn(String slug, List<RelatedStory> own, SourceVersion version, int[] requests) {
        try {
            requests[0]++;
            var response = dynamoDb.updateItem(request -> request.tableName(tableName).key(articleKey(slug))
                    .updateExpression("SET #r = :r")
                    .conditionExpression("#v = :v")
                    .expressionAttributeNames(Map.of("#r", ContentTable.RELATED, "#v", ContentTable.SOURCE_VERSION))
                    .expressionAttributeValues(Map.of(":r", ContentItems.relatedList(own), ":v", AttributeValue.fromS(version.value())))
                    .returnValues(software.amazon.awssdk.services.dynamodb.model.ReturnValue.ALL_OLD));
            AttributeValue in = response.attributes() == null ? null : response.attributes().get(ContentTable.RELATED_IN);
            return Optional.of(in == null || !in.hasSs() ? Set.of() : new HashSet<>(in.ss()));
        } catch (ConditionalCheckFailedException newer) {
            return Optional.empty();
        }
    }

    private record StoredList(List<RelatedStory> stories, String version) {
    }

    /** The kept lists of these articles (one BatchGetItem per 100), with the version each was kept at. */
    private Map<String, StoredList> storedLists(Set<String> slugs, int[] requests) {
        Map<String, StoredList> lists = new HashMap<>();
        List<String> all = new ArrayList<>(slugs);
        for (int from = 0; from < all.size(); from += 100) {
            List<Map<String, AttributeValue>> keys = all.subList(from, Math.min(all.size(), from + 100)).stream().map(RelatedLists::articleKey).toList();
            Map<String, KeysAndAttributes> pending = Map.of(tableName, KeysAndAttributes.builder().keys(keys)
                    .projectionExpression("slug, #r, #v").expressionAttributeNames(Map.of("#r", ContentTable.RELATED, "#v", ContentTable.SOURCE_VERSION))
                    .build());
            for (int attempt = 0; !pending.isEmpty() && attempt < 5; attempt++) {
                Map<String, KeysAndAttributes> request = pending;
                var response = dynamoDb.batchGetItem(r -> r.requestItems(request));
                requests[0]++;
                for (Map<String, AttributeValue> item : response.responses().getOrDefault(tableName, List.of())) {
                    if (item.containsKey("slug") && item.containsKey(ContentTable.SOURCE_VERSION)) {
                        lists.put(item.get("slug").s(), new StoredList(ContentItems.related(item.get(ContentTable.RELATED)),
                                item.get(ContentTable.SOURCE_VERSION).s()));
                    }
                }
                pending = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
            }
        }
        return lists;
    }

    /** Writes another article's list, unless that article was republished since it was read (its own refresh then decides). */
    private boolean saveOther(String slug, List<RelatedStory> list, String version, int[] requests) {
        try {
            requests[0]++;
            dynamoDb.updateItem(request -> request.tableName(tableName).key(articleKey(slug))
                    .updateExpression("SET #r = :r")
                    .conditionExpression("#v = :v")
                    .expressionAttributeNames(Map.of("#r", ContentTable.RELATED, "#v", ContentTable.SOURCE_VERSION))
                    .expressionAttributeValues(Map.of(":r", ContentItems.relatedList(list), ":v", AttributeValue.fromS(version))));
            return true;
        } catch (ConditionalCheckFailedException republished) {
            return false;
        }
    }

    private void saveHolding(String slug, Set<String> holding, SourceVersion version, int[] requests) {
        try {
            requests[0]++;
            dynamoDb.updateItem(request -> {
                request.tableName(tableName).key(articleKey(slug)).conditionExpression("#v = :v");
                Map<String, AttributeValue> values = new HashMap<>();
                values.put(":v", AttributeValue.fromS(version.value()));
                if (holding.isEmpty()) {
                    request.updateExpression("REMOVE #ri");
                } else {
                    request.updateExpression("SET #ri = :ri");
                    values.put(":ri", AttributeValue.fromSs(List.copyOf(holding)));
                }
                request.expressionAttributeNames(Map.of("#ri", ContentTable.RELATED_IN, "#v", ContentTable.SOURCE_VERSION))
                        .expressionAttributeValues(values);
            });
        } catch (ConditionalCheckFailedException newer) {
            // a newer version's refresh records where it is
        }
    }

    private static Map<String, AttributeValue> articleKey(String slug) {
        return Map.of(ContentTable.PK, AttributeValue.fromS(ContentTable.articlePk(slug)), ContentTable.SK, AttributeValue.fromS(ContentTable.ARTICLE_SK));
    }
}
