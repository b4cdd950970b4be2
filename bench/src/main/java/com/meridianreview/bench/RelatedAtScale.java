package com.meridianreview.bench;

import com.meridianreview.core.Article;
import com.meridianreview.core.Author;
import com.meridianreview.core.AwsClients;
import com.meridianreview.core.BulkItems;
import com.meridianreview.core.Config;
import com.meridianreview.core.ContentStore;
import com.meridianreview.core.ContentTable;
import com.meridianreview.core.Image;
import com.meridianreview.core.Listing;
import com.meridianreview.core.RelatedCandidate;
import com.meridianreview.core.RelatedLists;
import com.meridianreview.core.RelatedStory;
import com.meridianreview.core.Relevance;
import com.meridianreview.core.RelevanceWeights;
import com.meridianreview.core.SourceVersion;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Related stories at the size of a real archive: a fresh content table in the emulator filled with
 * synthetic published articles, then what a publish costs with its related-list refresh, and what
 * a look-up through the related-stories handler costs, at that size. The articles are drawn from
 * pools shaped like the magazine's (topics whose tags travel together, a few sections and regions,
 * two years of dates), seeded, so two runs build the same corpus.
 *
 * <p>Refreshing every article through DynamoDB costs a count of the whole magazine per publish, so
 * loading 10,000 that way would take the emulator hours. The older articles are therefore written
 * in bulk, with the related lists their refreshes would have left computed in memory by the same
 * ranking and the same candidate rules, in date order; only the newest are published and
 * refreshed through DynamoDB, one at a time, and only those are timed.
 */
final class RelatedAtScale {

    private static final int TOPICS = 20;
    private static final int TAGS_PER_TOPIC = 8;
    private static final List<String> SECTIONS = List.of("World", "Economy", "Diplomacy Watch", "Climate", "Technology", "Culture");
    private static final List<String> REGIONS = List.of("Europe", "Middle East", "Africa", "South Asia", "East Asia", "Americas", "Oceania", "Arctic");
    private static final int AUTHORS = 40;
    private static final Duration SPAN = Duration.ofDays(730);
    private static final int BATCH = 25;
    private static final long PAGE_BYTES = 1024 * 1024;

    /**
     * How the corpus was built: {@code bulk} articles written with BatchWriteItem (lists computed in
     * memory), then {@code measured} published and refreshed through DynamoDB on top of them.
     */
    record Loading(int bulk, int measured, double bulkSeconds, double meanKeptInBulk, long latestListingBytes,
                   int countPagesOnDynamoDb, String how) {
    }

    /** Per publish of an article into a corpus of about {@code articles}: the publish's own requests plus its refresh's. */
    record PublishCost(int publishes, Stats totalMs, Stats requests, double requestsPerPublish, double publishRequestsPerPublish,
                       double refreshRequestsPerPublish, Map<String, Double> requestsByOperation, double listsUpdatedPerPublish,
                       double keptPerPublish) {
    }

    /** Per look-up through the related-stories handler, in-process, of a random article of the corpus. */
    record LookupCost(int lookups, Stats totalUs, Stats handlerOnlyUs, double requestsPerLookup, double readUnitsPerLookup,
                      double storiesPerLookup) {
    }

    record Result(int articles, double tagsPerArticle, Loading loading, PublishCost publish, LookupCost lookup) {
    }

    private final Map<String, String> ingestEnvironment;
    private final Map<String, String> relatedEnvironment;
    private final Relevance relevance = new Relevance(RelevanceWeights.DEFAULT);

    /** Environments as the runner gives them to content-ingest (which publishes) and related-stories (which looks up). */
    RelatedAtScale(Map<String, String> ingestEnvironment, Map<String, String> relatedEnvironment) {
        this.ingestEnvironment = ingestEnvironment;
        this.relatedEnvironment = relatedEnvironment;
    }

    Result measure(int articles, int measuredPublishes, int lookups, long seed) throws Exception {
        String table = "bench-related-" + articles;
        Map<String, String> environment = new HashMap<>(ingestEnvironment);
        environment.put("CONTENT_TABLE", table);
        List<Article> corpus = corpus(articles, new Random(seed));
        int bulk = articles - measuredPublishes;
        // The ingest function's own client settings, so that a slow request fails here as it would there;
        // the bulk writes are scaffolding, not measured, and get room to be slow on a busy machine.
        try (DynamoDbClient dynamoDb = AwsClients.dynamoDb(new Config(environment));
             DynamoDbClient loader = AwsClients.configure(DynamoDbClient.builder(), new Config(environment), AwsClients.DYNAMODB_ENDPOINT,
                     AwsClients.Budget.TRANSFER).build()) {
            createTable(loader, table);
            long began = System.nanoTime();
            Simulated lists = simulate(corpus.subList(0, bulk));
            long latestBytes = 0;
            List<WriteRequest> writes = new ArrayList<>();
            for (int i = 0; i < bulk; i++) {
                Article article = corpus.get(i);
                for (Map<String, AttributeValue> item : BulkItems.items(article, version(article, i), lists.own().get(article.slug()),
                        lists.holding().get(article.slug()))) {
                    writes.add(WriteRequest.builder().putRequest(put -> put.item(item)).build());
                }
            }
            for (Article article : corpus) {
                latestBytes += SdkTimer.itemBytes(BulkItems.items(article, version(article, 0), List.of(), Set.of()).get(1));
            }
            write(loader, table, writes);
            double bulkSeconds = (System.nanoTime() - began) / 1e9;
            double meanKept = lists.own().values().stream().mapToInt(List::size).average().orElse(0);

            PublishCost publish = publishes(dynamoDb, table, corpus, bulk);
            LookupCost lookup = lookups(table, corpus, lookups, new Random(seed + 1));
            double tags = corpus.stream().mapToInt(a -> a.tags().size()).average().orElse(0);
            Loading loading = new Loading(bulk, measuredPublishes, bulkSeconds, meanKept, latestBytes, (int) Math.max(1, Math.ceil(latestBytes / (double) PAGE_BYTES)),
                    "oldest " + bulk + " written with BatchWriteItem (related lists computed in memory by the refresh's rules, in date order); newest "
                            + measuredPublishes + " published with ContentStore.publish + RelatedLists.refresh one at a time, in date order, each timed");
            return new Result(articles, tags, loading, publish, lookup);
        } finally {
            // Ten thousand articles weigh on the in-memory emulator that the rest of the run shares.
            try (DynamoDbClient dynamoDb = AwsClients.dynamoDb(new Config(environment))) {
                dynamoDb.deleteTable(delete -> delete.tableName(table));
            } catch (RuntimeException e) {
                // never created, or already gone
            }
        }
    }

    private PublishCost publishes(DynamoDbClient dynamoDb, String table, List<Article> corpus, int from) {
        ContentStore store = new ContentStore(dynamoDb, table);
        RelatedLists related = new RelatedLists(dynamoDb, table, relevance, Clock.systemUTC());
        int count = corpus.size() - from;
        double[] totalMs = new double[count];
        double[] requests = new double[count];
        long publishRequests = 0;
        long refreshRequests = 0;
        long listsUpdated = 0;
        long kept = 0;
        Map<String, Long> operations = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            Article article = corpus.get(from + i);
            SourceVersion version = version(article, from + i);
            SdkTimer.reset();
            long start = System.nanoTime();
            if (store.publish(article, version) != ContentStore.Publication.WRITTEN) {
                throw new IllegalStateException("a fresh synthetic article was not written: " + article.slug());
            }
            long afterPublish = SdkTimer.requests();
            RelatedLists.Refresh refresh = related.refresh(article, version);
            totalMs[i] = (System.nanoTime() - start) / 1e6;
            long all = SdkTimer.requests();
            if (all - afterPublish != refresh.requests()) {
                // Two counts of one thing: if they differ, one of them is not counting what the table is asked.
                throw new IllegalStateException("the refresh counted " + refresh.requests() + " requests, the SDK saw " + (all - afterPublish));
            }
            requests[i] = all;
            publishRequests += afterPublish;
            refreshRequests += refresh.requests();
            listsUpdated += refresh.listsUpdated();
            kept += refresh.kept();
            SdkTimer.operations().forEach((name, n) -> operations.merge(name, n, Long::sum));
        }
        Map<String, Double> byOperation = new LinkedHashMap<>();
        operations.forEach((name, n) -> byOperation.put(name, n / (double) count));
        return new PublishCost(count, Stats.of(totalMs), Stats.of(requests), (publishRequests + refreshRequests) / (double) count,
                publishRequests / (double) count, refreshRequests / (double) count, byOperation, listsUpdated / (double) count, kept / (double) count);
    }

    private LookupCost lookups(String table, List<Article> corpus, int lookups, Random random) throws Exception {
        Map<String, String> environment = new HashMap<>(relatedEnvironment);
        environment.put("CONTENT_TABLE", table);
        WarmInvocations handler = new WarmInvocations(com.meridianreview.related.InProcessRelatedHandler.create(environment));
        // Warmed on other random slugs than those timed, so that what is timed is not a re-read of a hot item.
        for (int i = 0; i < Math.max(1000, lookups); i++) {
            handler.invoke(event(corpus.get(random.nextInt(corpus.size())).slug()));
        }
        double[] total = new double[lookups];
        double[] own = new double[lookups];
        long requests = 0;
        double readUnits = 0;
        long stories = 0;
        for (int i = 0; i < lookups; i++) {
            byte[] event = event(corpus.get(random.nextInt(corpus.size())).slug());
            SdkTimer.reset();
            long start = System.nanoTime();
            ByteArrayOutputStream out = handler.invoke(event);
            long elapsed = System.nanoTime() - start;
            String answer = out.toString(StandardCharsets.UTF_8);
            if (!answer.startsWith("{\"statusCode\":200,")) {
                throw new IllegalStateException("a look-up failed: " + answer);
            }
            total[i] = elapsed / 1e3;
            own[i] = (elapsed - SdkTimer.nanos()) / 1e3;
            requests += SdkTimer.requests();
            readUnits += SdkTimer.readUnits();
            stories += occurrences(answer, "\\\"slug\\\":");
        }
        return new LookupCost(lookups, Stats.of(total), Stats.of(own), requests / (double) lookups, readUnits / lookups, stories / (double) lookups);
    }

    private static byte[] event(String slug) throws Exception {
        return WarmInvocations.event("GET /api/related/{slug}", "/api/related/" + slug, Map.of("slug", slug), Map.of(), null, Map.of(), "application/json");
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            count++;
        }
        return count;
    }

    /** What the refreshes of these articles, published one after another in this order, would have left in the table. */
    private record Simulated(Map<String, List<RelatedStory>> own, Map<String, Set<String>> holding) {
    }

    /**
     * {@link RelatedLists#refresh} played in memory over articles in date order: candidates are the
     * newest of each of the article's section, region and tag lists so far, tag rarity is counted
     * over the articles so far, the article keeps its best, and enters the lists of the best of its
     * candidates where it ranks. The scores are {@link Relevance}'s own.
     */
    private Simulated simulate(List<Article> articles) {
        Map<String, List<RelatedCandidate>> listings = new HashMap<>();
        Map<String, Long> withTag = new HashMap<>();
        Map<String, List<RelatedStory>> own = new HashMap<>();
        Map<String, Set<String>> holding = new HashMap<>();
        Map<String, Article> bySlug = new HashMap<>();
        long documents = 0;
        for (Article article : articles) {
            RelatedCandidate self = RelatedCandidate.of(article);
            bySlug.put(article.slug(), article);
            documents++;
            for (String tag : self.tagKeys()) {
                withTag.merge(tag, 1L, Long::sum);
            }
            Map<String, RelatedCandidate> candidates = new LinkedHashMap<>();
            for (Listing listing : article.listings()) {
                if (listing.kind() != Listing.Kind.SECTION && listing.kind() != Listing.Kind.REGION && listing.kind() != Listing.Kind.TAG) {
                    continue;
                }
                List<RelatedCandidate> members = listings.computeIfAbsent(listing.key(), k -> new ArrayList<>());
                for (int i = members.size() - 1; i >= Math.max(0, members.size() - BulkItems.PER_LISTING); i--) {
                    candidates.putIfAbsent(members.get(i).slug(), members.get(i));
                }
                members.add(self);
            }
            long n = documents;
            Relevance.TagFrequencies frequencies = new Relevance.TagFrequencies() {
                @Override
                public long documents() {
                    return n;
                }

                @Override
                public long articlesWithTag(String tagKey) {
                    return withTag.getOrDefault(tagKey, 0L);
                }
            };
            List<Relevance.Scored> ranked = relevance.rank(self, candidates.values(), frequencies, BulkItems.KEPT);
            List<RelatedStory> list = new ArrayList<>();
            for (Relevance.Scored scored : ranked) {
                list.add(new RelatedStory(bySlug.get(scored.candidate().slug()).teaser(), scored.score()));
            }
            own.put(article.slug(), list);
            Set<String> holders = new HashSet<>();
            for (Relevance.Scored scored : ranked.subList(0, Math.min(BulkItems.REACHED, ranked.size()))) {
                List<RelatedStory> other = new ArrayList<>(own.get(scored.candidate().slug()));
                other.add(new RelatedStory(article.teaser(), scored.score()));
                other.sort(BulkItems.BEST_FIRST);
                if (other.size() > BulkItems.KEPT) {
                    other = new ArrayList<>(other.subList(0, BulkItems.KEPT));
                }
                if (other.stream().anyMatch(story -> story.teaser().slug().equals(article.slug()))) {
                    holders.add(scored.candidate().slug());
                }
                own.put(scored.candidate().slug(), other);
            }
            holding.put(article.slug(), holders);
        }
        return new Simulated(own, holding);
    }

    private static void write(DynamoDbClient dynamoDb, String table, List<WriteRequest> writes) throws InterruptedException {
        for (int from = 0; from < writes.size(); from += BATCH) {
            Map<String, List<WriteRequest>> pending = Map.of(table, writes.subList(from, Math.min(writes.size(), from + BATCH)));
            for (int attempt = 0; !pending.isEmpty(); attempt++) {
                if (attempt > 10) {
                    throw new IllegalStateException("the emulator keeps leaving writes unprocessed");
                }
                if (attempt > 0) {
                    Thread.sleep(10L << Math.min(attempt, 6));
                }
                Map<String, List<WriteRequest>> request = pending;
                var response = dynamoDb.batchWriteItem(r -> r.requestItems(request));
                pending = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
            }
        }
    }

    /** Each article its own source version, growing with its place in date order, as a series of uploads would give. */
    private static SourceVersion version(Article article, int index) {
        return SourceVersion.of(article.publishedAt(), Integer.toHexString(index + 1));
    }

    /** The content table as infra/template.yaml declares it: the key schema and the listing index the refresh queries. */
    private static void createTable(DynamoDbClient dynamoDb, String name) {
        dynamoDb.createTable(table -> table
                .tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attribute(ContentTable.PK), attribute(ContentTable.SK), attribute(ContentTable.LISTING), attribute(ContentTable.LISTED_AT))
                .keySchema(key(ContentTable.PK, KeyType.HASH), key(ContentTable.SK, KeyType.RANGE))
                .globalSecondaryIndexes(index -> index
                        .indexName(ContentTable.BY_LISTING_INDEX)
                        .keySchema(key(ContentTable.LISTING, KeyType.HASH), key(ContentTable.LISTED_AT, KeyType.RANGE))
                        .projection(p -> p.projectionType(ProjectionType.ALL))));
    }

    private static AttributeDefinition attribute(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }

    /**
     * {@code count} published articles, oldest first. Each has a topic; most of its tags (two to
     * four) come from that topic's eight, one in four also carries a tag of another topic, and its
     * section follows the topic seven times in ten, so that related stories exist and are not all
     * alike. Texts are filler of the sample articles' length, so items weigh what real ones do.
     */
    static List<Article> corpus(int count, Random random) {
        Instant end = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        Instant start = end.minus(SPAN);
        String paragraph = "<p>" + "Filler text of a plausible length for a paragraph of reporting, repeated. ".repeat(6) + "</p>";
        String body = paragraph.repeat(8);
        List<Article> articles = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int topic = random.nextInt(TOPICS);
            String section = random.nextInt(10) < 7 ? SECTIONS.get(topic % SECTIONS.size()) : SECTIONS.get(random.nextInt(SECTIONS.size()));
            String region = REGIONS.get(random.nextInt(REGIONS.size()));
            List<String> tags = new ArrayList<>();
            int own = 2 + random.nextInt(3);
            while (tags.size() < own) {
                String tag = tag(topic, random.nextInt(TAGS_PER_TOPIC));
                if (!tags.contains(tag)) {
                    tags.add(tag);
                }
            }
            if (random.nextInt(4) == 0) {
                tags.add(tag((topic + 1 + random.nextInt(TOPICS - 1)) % TOPICS, random.nextInt(TAGS_PER_TOPIC)));
            }
            Instant publishedAt = start.plusSeconds((long) (random.nextDouble() * SPAN.toSeconds()));
            String slug = String.format(java.util.Locale.ROOT, "synthetic-%05d-topic-%02d", i, topic);
            String headline = "Synthetic story " + i + " on topic " + topic + ", from " + region;
            String imageKey = "published/synthetic/" + slug + ".jpg";
            Image image = new Image(imageKey, "A picture for " + headline, "Bench photographer", null, 1200, 675, List.of(
                    new Image.Rendition(imageKey.replace(".jpg", "-480.jpg"), 480, 270),
                    new Image.Rendition(imageKey.replace(".jpg", "-800.jpg"), 800, 450),
                    new Image.Rendition(imageKey.replace(".jpg", "-1200.jpg"), 1200, 675)));
            articles.add(new Article(slug, headline, "A standfirst of about the length the editors write, saying what the story is about and why it matters now.",
                    section, "analysis", null, region, tags, List.of(Author.named("Author " + random.nextInt(AUTHORS))),
                    publishedAt, null, Article.Status.PUBLISHED, image, body,
                    "An excerpt of a few sentences, as the teaser shows it under the headline on list pages, and as search results show it.",
                    5, List.of()));
        }
        articles.sort(Comparator.comparing(Article::publishedAt).thenComparing(Article::slug));
        return articles;
    }

    private static String tag(int topic, int index) {
        return "Topic " + topic + " tag " + index;
    }
}
