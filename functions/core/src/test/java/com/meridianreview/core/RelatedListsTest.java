package com.meridianreview.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meridianreview.emulators.EmulatorsExtension;
import com.meridianreview.emulators.TestResources;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Related lists kept at publish: what a reader of each article is offered next, and what it costs. */
@ExtendWith(EmulatorsExtension.class)
class RelatedListsTest {

    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    private final RequestCounter requests = new RequestCounter();
    private final ContentStore store;
    private final RelatedLists lists;

    RelatedListsTest(TestResources resources) {
        DynamoDbClient dynamoDb = DynamoDbFixtures.client(resources.emulators(), requests);
        String table = resources.name("related-" + System.nanoTime());
        DynamoDbFixtures.createContentTable(dynamoDb, table);
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        store = new ContentStore(dynamoDb, table, clock);
        lists = new RelatedLists(dynamoDb, table, new Relevance(RelevanceWeights.DEFAULT), clock);
    }

    @Test
    void aStoryIsOfferedTheStoriesItSharesRareTagsWithBestFirstAndNeverItself() {
        publish(Articles.article("gulf-talks", "2026-11-20T09:00:00Z", "Diplomacy Watch", List.of("Back-Channel Diplomacy", "Energy")));
        publish(Articles.article("oil-prices", "2026-11-19T09:00:00Z", "Analysis", List.of("Energy")));
        publish(Articles.article("muscat-meetings", "2026-11-18T09:00:00Z", "Diplomacy Watch", List.of("Back-Channel Diplomacy")));
        publish(Articles.article("unrelated", "2026-11-17T09:00:00Z", "Culture", List.of("Film")));
        for (int i = 0; i < 6; i++) {
            // "Energy" is common, "Back-Channel Diplomacy" rare: sharing the rare one counts for more.
            publish(Articles.article("energy-" + i, "2026-10-0" + (i + 1) + "T09:00:00Z", "Markets", List.of("Energy")));
        }
        Article fresh = Articles.article("new-hotline", "2026-11-21T09:00:00Z", "Diplomacy Watch", List.of("Back-Channel Diplomacy", "Energy"));
        publish(fresh);
        List<String> related = slugs("new-hotline");
        assertEquals("gulf-talks", related.get(0), "shares both tags and the section: " + related);
        assertEquals("muscat-meetings", related.get(1), "the rare tag and the section beat the common tag: " + related);
        assertFalse(related.contains("new-hotline"));
        // It shares the region only (every test article is "Middle East"): offered last, if at all.
        assertTrue(!related.contains("unrelated") || related.indexOf("unrelated") == related.size() - 1, related.toString());
        assertTrue(slugs("muscat-meetings").contains("new-hotline"), "the new story entered an older story's list");
    }

    @Test
    void aStoryTakenDownOrDraftedLeavesEveryListItWasIn() {
        publish(Articles.article("older", "2026-11-10T09:00:00Z", "Diplomacy Watch", List.of("Sanctions")));
        Article story = Articles.article("withdrawn", "2026-11-12T09:00:00Z", "Diplomacy Watch", List.of("Sanctions"));
        publish(story);
        assertEquals(List.of("withdrawn"), slugs("older"));
        publish(Articles.withStatus(story, Article.Status.UNPUBLISHED));
        assertEquals(List.of(), slugs("older"), "a taken-down story is nobody's related story");
        publish(story);
        assertEquals(List.of("withdrawn"), slugs("older"), "and back when it is published again");
        publish(Articles.withStatus(story, Article.Status.DRAFT));
        assertEquals(List.of(), slugs("older"));
    }

    @Test
    void anOlderStoryTakenDownLeavesTheListsOfStoriesPublishedAfterIt() {
        Article older = Articles.article("older-one", "2026-11-10T09:00:00Z", "Diplomacy Watch", List.of("Ceasefire"));
        publish(older);
        publish(Articles.article("newer-one", "2026-11-12T09:00:00Z", "Diplomacy Watch", List.of("Ceasefire")));
        assertEquals(List.of("older-one"), slugs("newer-one"), "the newer story's own list names the older one");
        publish(Articles.withStatus(older, Article.Status.UNPUBLISHED));
        assertEquals(List.of(), slugs("newer-one"), "and loses it when the older one is taken down");
    }

    @Test
    void listsWrittenAtTheSameTimeKeepEveryStory() throws Exception {
        publish(Articles.article("hub", "2026-11-01T09:00:00Z", "Diplomacy Watch", List.of("Grain")));
        List<Article> newcomers = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Article newcomer = Articles.article("spoke-" + i, "2026-11-0" + (i + 2) + "T09:00:00Z", "Diplomacy Watch", List.of("Grain"));
            store.publish(newcomer, SourceVersion.of(newcomer, "1"));
            newcomers.add(newcomer);
        }
        // Eight refreshes at once, each putting its story into the hub's list.
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (Article newcomer : newcomers) {
                done.add(pool.submit(() -> lists.refresh(newcomer, SourceVersion.of(newcomer, "1"))));
            }
            for (var future : done) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(8, slugs("hub").size(), "no refresh undid another's: " + slugs("hub"));
    }

    @Test
    void aScheduledStoryIsKeptButShownOnlyOnceItIsOut() {
        publish(Articles.article("today", "2026-11-25T09:00:00Z", "Diplomacy Watch", List.of("Elections")));
        publish(Articles.article("tomorrow", "2026-11-27T09:00:00Z", "Diplomacy Watch", List.of("Elections")));
        ContentStore.StoredArticle today = store.storedArticle("today").orElseThrow();
        assertEquals(List.of("tomorrow"), today.related().orElseThrow().stream().map(s -> s.teaser().slug()).toList());
        assertEquals(List.of(), today.liveRelated(NOW, 4), "not before its time");
        assertEquals(1, today.liveRelated(Instant.parse("2026-11-28T00:00:00Z"), 4).size());
    }

    @Test
    void aRefreshCostsAFewRequestsAndReadingTheListCostsNone() {
        publish(Articles.article("first", "2026-11-10T09:00:00Z", "Diplomacy Watch", List.of("Sanctions", "Energy")));
        requests.reset();
        Article second = Articles.article("second", "2026-11-11T09:00:00Z", "Diplomacy Watch", List.of("Sanctions", "Energy"));
        SourceVersion version = SourceVersion.of(second, "");
        store.publish(second, version);
        int publishing = requests.operations().size();
        requests.reset();
        RelatedLists.Refresh refresh = lists.refresh(second, version);
        // Section, region and 2 tag lists; 2 tag counts and the article count; a consistent read of
        // the candidates; its own list; the record on the story it lists; the one list it entered,
        // and its own record of that.
        assertEquals(List.of("Query", "Query", "Query", "Query", "Query", "Query", "Query", "BatchGetItem", "UpdateItem", "UpdateItem",
                "UpdateItem", "UpdateItem"), requests.operations());
        assertEquals(refresh.requests(), requests.operations().size());
        assertEquals(1, refresh.listsUpdated());
        assertEquals(2, publishing, "the publish itself: one query of the article's items, one transaction");
        requests.reset();
        assertEquals(1, store.storedArticle("second").orElseThrow().related().orElseThrow().size());
        assertEquals(List.of("GetItem"), requests.operations(), "the list comes with the article");
    }

    private void publish(Article article) {
        SourceVersion version = SourceVersion.of(article, Long.toString(System.nanoTime()));
        store.publish(article, version);
        lists.refresh(article, version);
    }

    private List<String> slugs(String slug) {
        return store.storedArticle(slug).orElseThrow().related().orElse(List.of()).stream().map(story -> story.teaser().slug()).toList();
    }
}
