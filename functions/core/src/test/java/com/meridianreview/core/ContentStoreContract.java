package com.meridianreview.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What the content store promises, run against any DynamoDB: the Dynoxide emulator here, and
 * LocalStack where a Docker engine runs.
 */
abstract class ContentStoreContract {

    private final RequestCounter requests = new RequestCounter();
    private DynamoDbClient dynamoDb;
    private String table;
    private ContentStore store;

    /** A client of the DynamoDB under test, with the given interceptor installed. */
    abstract DynamoDbClient client(RequestCounter counter);

    @BeforeEach
    void createTable() {
        dynamoDb = client(requests);
        table = "content-" + UUID.randomUUID();
        DynamoDbFixtures.createContentTable(dynamoDb, table);
        store = new ContentStore(dynamoDb, table);
    }

    @Test
    void anOlderVersionArrivingLateNeverOverwritesANewerOne() {
        Article older = edited(Articles.article("late-story", "2026-11-20T09:00:00Z", "Analysis", List.of("Old Tag")), "2026-11-21T10:00:00Z");
        Article newer = edited(Articles.withTags(older, List.of("New Tag")), "2026-11-22T10:00:00Z");

        assertEquals(ContentStore.Publication.WRITTEN, store.publish(newer, SourceVersion.of(newer, "0A")));
        assertEquals(ContentStore.Publication.NEWER_VERSION_KEPT, store.publish(older, SourceVersion.of(older, "0B")),
                "an older edit is refused even with a later sequencer");
        assertEquals(ContentStore.Publication.WRITTEN, store.publish(newer, SourceVersion.of(newer, "0A")), "the same event twice changes nothing");
        assertEquals(ContentStore.Publication.NEWER_VERSION_KEPT, store.publish(newer, SourceVersion.of(newer, "09")),
                "the same edit written earlier to S3 (smaller sequencer) is older");

        assertEquals(List.of("New Tag"), store.publishedArticle("late-story").orElseThrow().tags());
        assertTrue(store.teasers(Listing.of(Listing.Kind.TAG, "Old Tag"), 10, null).items().isEmpty());
        assertEquals(1, store.teasers(Listing.of(Listing.Kind.TAG, "New Tag"), 10, null).items().size());
    }

    @Test
    void concurrentPublishesOfOneSlugLeaveExactlyTheNewestVersion() throws Exception {
        int versions = 8;
        List<Article> edits = IntStream.range(0, versions).mapToObj(i -> edited(
                Articles.article("busy-story", "2026-11-20T09:00:00Z", "Analysis", List.of("Tag " + i, "Shared")),
                String.format("2026-11-21T10:00:%02dZ", i))).toList();
        List<Integer> order = new java.util.ArrayList<>(IntStream.range(0, versions).boxed().toList());
        java.util.Collections.shuffle(order, new java.util.Random(7));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(versions);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<ContentStore.Publication>> results = new java.util.ArrayList<>();
        for (int i : order) {
            results.add(pool.submit(() -> {
                start.await();
                return store.publish(edits.get(i), SourceVersion.of(edits.get(i), "01"));
            }));
        }
        start.countDown();
        for (var result : results) {
            result.get(60, java.util.concurrent.TimeUnit.SECONDS);
        }
        pool.shutdown();

        Article stored = store.publishedArticle("busy-story").orElseThrow();
        assertEquals(List.of("Tag 7", "Shared"), stored.tags(), "the newest edit wins, whatever the order of arrival");
        for (int i = 0; i < versions - 1; i++) {
            assertTrue(store.teasers(Listing.of(Listing.Kind.TAG, "Tag " + i), 10, null).items().isEmpty(), "no teaser of an older version: Tag " + i);
        }
        assertEquals(1, store.teasers(Listing.of(Listing.Kind.TAG, "Shared"), 10, null).items().size());
        assertEquals(1, store.teasers(Listing.of(Listing.Kind.TAG, "Tag 7"), 10, null).items().size());
    }

    @Test
    void aScheduledStoryIsServedAndListedFromItsPublicationTimeOn() {
        store.publish(Articles.article("tomorrow", "2030-12-01T08:00:00Z", "Analysis", List.of("Trade")));
        ContentStore before = new ContentStore(dynamoDb, table, java.time.Clock.fixed(java.time.Instant.parse("2030-12-01T07:59:59Z"), java.time.ZoneOffset.UTC));
        ContentStore after = new ContentStore(dynamoDb, table, java.time.Clock.fixed(java.time.Instant.parse("2030-12-01T08:00:00Z"), java.time.ZoneOffset.UTC));

        assertTrue(before.publishedArticle("tomorrow").isEmpty(), "not served before its time");
        assertTrue(before.teasers(Listing.of(Listing.Kind.TAG, "Trade"), 10, null).items().isEmpty(), "not listed before its time");
        assertTrue(before.teasers(Listing.LATEST, 10, null).items().stream().noneMatch(t -> t.slug().equals("tomorrow")));
        requests.reset();
        assertEquals("tomorrow", after.publishedArticle("tomorrow").orElseThrow().slug(), "served from its time on, with no new upload");
        assertEquals(List.of("tomorrow"), after.teasers(Listing.of(Listing.Kind.TAG, "Trade"), 10, null).items().stream().map(Teaser::slug).toList());
        assertEquals(List.of("GetItem", "Query"), requests.operations(), "the time filter costs no extra request");
    }

    @Test
    void anUnpublishedStoryLeavesEveryListButIsStillKnown() {
        Article story = Articles.article("withdrawn", "2026-11-20T08:00:00Z", "Analysis", List.of("Trade"));
        store.publish(story);
        store.publish(Articles.withStatus(story, Article.Status.UNPUBLISHED));

        assertTrue(store.publishedArticle("withdrawn").isEmpty());
        assertEquals(Article.Status.UNPUBLISHED, store.article("withdrawn").orElseThrow().status(), "so that its page can say it is gone");
        assertTrue(store.teasers(Listing.of(Listing.Kind.TAG, "Trade"), 10, null).items().isEmpty());
        assertTrue(store.teasers(Listing.LATEST, 10, null).items().isEmpty());
    }

    @Test
    void aLateEventsReportNeverReplacesALaterWritesReport() {
        java.time.Instant at = java.time.Instant.parse("2026-11-26T10:00:00Z");
        store.recordUpload(new UploadReport("incoming/a.md", UploadReport.State.PUBLISHED, List.of(), "/articles/a", at, "0B"));
        store.recordUpload(new UploadReport("incoming/a.md", UploadReport.State.SUPERSEDED, List.of(), null, at.plusSeconds(1), "0A"));
        assertEquals(UploadReport.State.PUBLISHED, store.uploadReport("incoming/a.md").orElseThrow().state(), "the late event of an earlier write");
        store.recordUpload(new UploadReport("incoming/a.md", UploadReport.State.REJECTED, List.of("line 3: dek is too long"), null, at.plusSeconds(2), "0C"));
        UploadReport latest = store.uploadReport("incoming/a.md").orElseThrow();
        assertEquals(UploadReport.State.REJECTED, latest.state(), "a later write's report replaces it");
        assertEquals(List.of("line 3: dek is too long"), latest.problems());
    }

    private static Article edited(Article a, String updatedAt) {
        return new Article(a.slug(), a.headline(), a.dek(), a.section(), a.type(), a.channel(), a.region(), a.tags(), a.authors(),
                a.publishedAt(), java.time.Instant.parse(updatedAt), a.status(), a.image(), a.bodyHtml(), a.excerpt(), a.readingMinutes(), a.corrections());
    }

    @Test
    void publishedArticleReadsBackWhole() {
        Article article = Articles.article("gulf-talks", "2026-11-20T09:30:00Z", "Diplomacy Watch", List.of("Energy", "Sanctions"));
        store.publish(article);
        requests.reset();

        assertEquals(article, store.publishedArticle("gulf-talks").orElseThrow());
        assertEquals(List.of("GetItem"), requests.operations(), "an article is one GetItem");
    }

    @Test
    void unknownDraftAndMalformedSlugsAreNotFound() {
        store.publish(Articles.withStatus(Articles.article("unfinished", "2026-11-20T09:30:00Z", "Analysis", List.of("Trade")), Article.Status.DRAFT));

        assertTrue(store.publishedArticle("unfinished").isEmpty(), "a draft is not served");
        assertTrue(store.publishedArticle("never-written").isEmpty());
        requests.reset();
        assertTrue(store.publishedArticle("../etc/passwd").isEmpty());
        assertEquals(List.of(), requests.operations(), "a malformed slug never reaches the table");
        assertTrue(store.teasers(Listing.of(Listing.Kind.TAG, "Trade"), 10, null).items().isEmpty(), "a draft is in no list");
    }

    @Test
    void listsAreNewestFirstAndPageWithACursor() {
        IntStream.rangeClosed(1, 5).forEach(day -> store.publish(
                Articles.article("story-" + day, "2026-11-0" + day + "T08:00:00Z", "Analysis", List.of("Trade"))));
        Listing trade = Listing.of(Listing.Kind.TAG, "Trade");
        requests.reset();

        Page<Teaser> first = store.teasers(trade, 2, null);
        assertEquals(List.of("story-5", "story-4"), slugs(first));
        assertEquals(List.of("Query"), requests.operations(), "a page of a list is one Query");
        Page<Teaser> second = store.teasers(trade, 2, first.nextCursor());
        assertEquals(List.of("story-3", "story-2"), slugs(second));
        Page<Teaser> last = store.teasers(trade, 2, second.nextCursor());
        assertEquals(List.of("story-1"), slugs(last));
        assertNull(last.nextCursor(), "the last page has no next");
    }

    @Test
    void aListThatFillsItsLastPageExactlyLinksNoFurther() {
        IntStream.rangeClosed(1, 4).forEach(day -> store.publish(
                Articles.article("even-" + day, "2026-11-0" + day + "T08:00:00Z", "Analysis", List.of("Even"))));
        Listing even = Listing.of(Listing.Kind.TAG, "Even");

        Page<Teaser> first = store.teasers(even, 2, null);
        Page<Teaser> second = store.teasers(even, 2, first.nextCursor());
        assertEquals(List.of("even-2", "even-1"), slugs(second));
        assertNull(second.nextCursor(), "no link to an empty page");
        assertTrue(store.listingPage(Listing.Kind.TAG, "even", 2, "2026-11-01T08:00:00Z#even-1").isEmpty(), "nothing older than the oldest");
    }

    @Test
    void twoSpellingsOfATagAreOneList() {
        store.publish(Articles.article("spelled", "2026-11-01T08:00:00Z", "Analysis", List.of("Energy", "energy")));
        assertEquals(List.of("spelled"), slugs(store.teasers(Listing.of(Listing.Kind.TAG, "Energy"), 10, null)));
    }

    @Test
    void teasersCarryNoBody() {
        store.publish(Articles.article("light", "2026-11-01T08:00:00Z", "Analysis", List.of("Trade")));
        Map<String, AttributeValue> item = dynamoDb.query(q -> q.tableName(table).indexName(ContentTable.BY_LISTING_INDEX)
                .keyConditionExpression("listing = :l").expressionAttributeValues(Map.of(":l", AttributeValue.fromS("latest#all"))))
                .items().get(0);
        assertFalse(item.containsKey("bodyHtml"), "list pages must not read article bodies");
        assertEquals("Excerpt of light", store.teasers(Listing.LATEST, 1, null).items().get(0).excerpt());
    }

    @Test
    void republishingMovesTheArticleBetweenListsAndIsIdempotent() {
        Article article = Articles.article("moving", "2026-11-01T08:00:00Z", "Analysis", List.of("Trade", "Energy"));
        store.publish(article);
        store.publish(Articles.withTags(article, List.of("Energy", "Climate")));
        int itemsAfterFirst = itemCount();
        store.publish(Articles.withTags(article, List.of("Energy", "Climate")));

        assertEquals(itemsAfterFirst, itemCount(), "the same upload twice changes nothing");
        assertTrue(store.teasers(Listing.of(Listing.Kind.TAG, "Trade"), 10, null).items().isEmpty(), "left the Trade list");
        assertEquals(List.of("moving"), slugs(store.teasers(Listing.of(Listing.Kind.TAG, "Climate"), 10, null)));
        assertEquals(List.of("moving"), slugs(store.teasers(Listing.of(Listing.Kind.TAG, "Energy"), 10, null)));
    }

    @Test
    void unpublishingTakesTheArticleOffEveryList() {
        Article article = Articles.article("withdrawn", "2026-11-01T08:00:00Z", "Analysis", List.of("Trade"));
        store.publish(article);
        store.publish(Articles.withStatus(article, Article.Status.DRAFT));

        assertTrue(store.publishedArticle("withdrawn").isEmpty());
        assertTrue(store.teasers(Listing.LATEST, 10, null).items().isEmpty());
        assertTrue(store.teasers(Listing.of(Listing.Kind.SECTION, "Analysis"), 10, null).items().isEmpty());
    }

    @Test
    void listingNamesComeFromTheContent() {
        store.publish(Articles.article("named", "2026-11-01T08:00:00Z", "Diplomacy Watch", List.of("Amara Okafor")));

        requests.reset();
        ListingPage tag = store.listingPage(Listing.Kind.TAG, "amara-okafor", 10, null).orElseThrow();
        assertEquals("Amara Okafor", tag.listing().name());
        assertEquals(List.of("named"), slugs(tag.page()));
        assertEquals(List.of("Query"), requests.operations(), "a list page with its name is one Query");
        assertEquals("Diplomacy Watch", store.listingPage(Listing.Kind.SECTION, "diplomacy-watch", 10, null).orElseThrow().listing().name());
        assertTrue(store.listingPage(Listing.Kind.TAG, "nobody", 10, null).isEmpty());
    }

    @Test
    void aForgedCursorIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> store.teasers(Listing.LATEST, 10, "latest#all\"}"));
        assertFalse(ContentStore.isValidCursor("2026-11-01T08:00:00Z#../x"));
        assertTrue(ContentStore.isValidCursor("2026-11-01T08:00:00Z#some-slug"));
    }

    private int itemCount() {
        return dynamoDb.scan(s -> s.tableName(table)).count();
    }

    private static List<String> slugs(Page<Teaser> page) {
        return page.items().stream().map(Teaser::slug).toList();
    }
}
