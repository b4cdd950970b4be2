package com.meridianreview.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.meridianreview.core.Article;
import com.meridianreview.core.Articles;
import com.meridianreview.core.Config;
import com.meridianreview.core.ContentStore;
import com.meridianreview.core.DynamoDbFixtures;
import com.meridianreview.emulators.EmulatorsExtension;
import com.meridianreview.emulators.TestResources;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** What readers get at the address of a draft, a story scheduled for later, and a story taken down. */
@ExtendWith(EmulatorsExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ArticleLifecycleTest {

    private PageHandler handler;

    @BeforeAll
    void publish(TestResources resources) {
        DynamoDbClient dynamoDb = DynamoDbFixtures.client(resources.emulators());
        String table = resources.name("content");
        DynamoDbFixtures.createContentTable(dynamoDb, table);
        ContentStore store = new ContentStore(dynamoDb, table);
        store.publish(Articles.withStatus(Articles.article("a-draft", "2026-11-20T08:00:00Z", "Analysis", List.of("Trade")), Article.Status.DRAFT));
        store.publish(Articles.article("next-year", "2099-01-01T08:00:00Z", "Analysis", List.of("Trade")));
        Article withdrawn = Articles.article("withdrawn", "2026-11-19T08:00:00Z", "Analysis", List.of("Trade"));
        store.publish(withdrawn);
        store.publish(Articles.withStatus(withdrawn, Article.Status.UNPUBLISHED));
        store.publish(Articles.article("live", "2026-11-18T08:00:00Z", "Analysis", List.of("Trade")));
        handler = new PageHandler(new Config(Map.of("CONTENT_TABLE", table, "PREVIEW_KEY", PREVIEW_KEY)), dynamoDb);
    }

    private static final String PREVIEW_KEY = "preview-key-for-tests-0123456789abcdef";

    @Test
    void anEditorsSignedLinkShowsTheDraftUncachedAndUnindexed() throws IOException {
        String link = new com.meridianreview.core.PreviewLinks(PREVIEW_KEY, java.time.Clock.systemUTC()).link("a-draft").orElseThrow();
        java.util.regex.Matcher parts = java.util.regex.Pattern.compile("/preview/a-draft\\?expires=(\\d+)&sig=(.+)").matcher(link);
        assertTrue(parts.matches(), link);
        JsonNode page = preview("a-draft", Map.of("expires", parts.group(1), "sig", parts.group(2)));
        assertEquals(200, page.get("statusCode").asInt());
        assertEquals("no-store", page.get("headers").get("cache-control").asText());
        assertEquals("noindex, nofollow", page.get("headers").get("x-robots-tag").asText());
        assertTrue(page.get("body").asText().contains("<meta name=\"robots\" content=\"noindex, nofollow\">"));
        assertTrue(page.get("body").asText().contains("<h1>Headline of a-draft</h1>"));

        assertEquals(404, preview("a-draft", Map.of("expires", parts.group(1), "sig", parts.group(2).substring(1) + "A")).get("statusCode").asInt(),
                "a tampered link is an unknown address");
        assertEquals(404, preview("next-year", Map.of("expires", parts.group(1), "sig", parts.group(2))).get("statusCode").asInt(),
                "a link opens its own article only");
        assertEquals(404, preview("a-draft", Map.of()).get("statusCode").asInt());
    }

    @Test
    void aCursorFromTheFutureOrWithAnImpossibleDateIsABadRequest() throws IOException {
        for (String cursor : List.of("2099-01-01T00:00:00Z#live", "2026-13-45T00:00:00Z#live")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            handler.handleRequest(new ByteArrayInputStream(HttpApiEvents.get("GET /tags/{slug}", "/tags/trade", Map.of("slug", "trade"),
                    Map.of("after", cursor), Map.of())), out, null);
            assertEquals(400, new ObjectMapper().readTree(out.toByteArray()).get("statusCode").asInt(), cursor);
        }
    }

    private JsonNode preview(String slug, Map<String, String> query) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(HttpApiEvents.get("GET /preview/{slug}", "/preview/" + slug,
                Map.of("slug", slug), query, Map.of())), out, null);
        return new ObjectMapper().readTree(out.toByteArray());
    }

    @Test
    void aDraftAndAStoryScheduledForLaterAreNotFound() throws IOException {
        for (String slug : List.of("a-draft", "next-year")) {
            JsonNode page = article(slug);
            assertEquals(404, page.get("statusCode").asInt(), slug);
            assertTrue(page.get("body").asText().contains("<h1>Page not found</h1>"), slug);
        }
    }

    @Test
    void aStoryTakenDownIsGoneWithTheMagazinesPage() throws IOException {
        JsonNode page = article("withdrawn");
        assertEquals(410, page.get("statusCode").asInt());
        assertTrue(page.get("body").asText().contains("<h1>This story has been withdrawn</h1>"), page.get("body").asText());
        assertEquals("public, max-age=60, s-maxage=60", page.get("headers").get("cache-control").asText());
    }

    @Test
    void onlyTheLiveStoryIsListed() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(HttpApiEvents.get("GET /tags/{slug}", "/tags/trade", Map.of("slug", "trade"), Map.of(), Map.of())), out, null);
        String html = new ObjectMapper().readTree(out.toByteArray()).get("body").asText();
        assertTrue(html.contains("href=\"/articles/live\""), html);
        for (String hidden : List.of("a-draft", "next-year", "withdrawn")) {
            assertTrue(!html.contains("/articles/" + hidden), hidden + " is not listed");
        }
        assertEquals(200, article("live").get("statusCode").asInt());
    }

    private JsonNode article(String slug) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(HttpApiEvents.get("GET /articles/{slug}", "/articles/" + slug,
                Map.of("slug", slug), Map.of(), Map.of())), out, null);
        return new ObjectMapper().readTree(out.toByteArray());
    }
}
