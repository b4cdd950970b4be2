package com.meridianreview.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.meridianreview.core.Articles;
import com.meridianreview.core.Config;
import com.meridianreview.core.ContentStore;
import com.meridianreview.core.DynamoDbFixtures;
import com.meridianreview.core.RequestCounter;
import com.meridianreview.emulators.EmulatorsExtension;
import com.meridianreview.emulators.TestResources;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * How long a container keeps the site's newest stories: one Query serves the front page and every
 * article page for SITE_LISTS_TTL_SECONDS, and a story published meanwhile shows up once that has
 * passed. Each test publishes into a table of its own.
 */
@ExtendWith(EmulatorsExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SiteListsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final RequestCounter requests = new RequestCounter();
    private TestResources resources;
    private DynamoDbClient dynamoDb;
    private MovableClock clock;
    private ContentStore store;
    private String table;
    private int tables;

    @BeforeAll
    void client(TestResources resources) {
        this.resources = resources;
        dynamoDb = DynamoDbFixtures.client(resources.emulators(), requests);
    }

    @BeforeEach
    void freshTable() {
        table = resources.name("content-" + ++tables);
        DynamoDbFixtures.createContentTable(dynamoDb, table);
        clock = new MovableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        store = new ContentStore(dynamoDb, table, clock);
        store.publish(Articles.article("first-story", "2026-11-20T08:00:00Z", "Analysis", List.of("Trade")));
        store.publish(Articles.article("second-story", "2026-11-21T08:00:00Z", "Opinion", List.of("Trade")));
        requests.reset();
    }

    @Test
    void aStoryPublishedWhileTheListIsKeptAppearsOnceItsLifetimeHasPassed() throws IOException {
        PageHandler handler = handler(Map.of());
        assertEquals("/articles/second-story", lead(front(handler)));
        assertEquals(List.of("Query"), requests.operations());

        store.publish(Articles.article("just-in", clock.instant().minusSeconds(5).toString(), "Analysis", List.of("Trade")));
        clock.advance(Duration.ofSeconds(59));
        requests.reset();
        assertEquals("/articles/second-story", lead(front(handler)), "the kept list until its minute is up");
        assertFalse(article(handler, "first-story").contains("/articles/just-in"));
        assertEquals(List.of("GetItem"), requests.operations(), "front page and article from the kept list");

        clock.advance(Duration.ofSeconds(1));
        requests.reset();
        assertEquals("/articles/just-in", lead(front(handler)), "then the new story leads");
        assertEquals(List.of("Query"), requests.operations(), "from one fresh Query");
        requests.reset();
        assertTrue(article(handler, "first-story").contains("/articles/just-in"), "and article pages list it");
        assertEquals(List.of("GetItem"), requests.operations());
    }

    @Test
    void theLifetimeIsASettingAndZeroReadsTheTableForEveryPage() throws IOException {
        PageHandler brief = handler(Map.of("SITE_LISTS_TTL_SECONDS", "5"));
        front(brief);
        clock.advance(Duration.ofSeconds(4));
        front(brief);
        assertEquals(List.of("Query"), requests.operations());
        clock.advance(Duration.ofSeconds(1));
        front(brief);
        assertEquals(List.of("Query", "Query"), requests.operations());

        PageHandler never = handler(Map.of("SITE_LISTS_TTL_SECONDS", "0"));
        requests.reset();
        front(never);
        front(never);
        article(never, "first-story");
        assertEquals(List.of("Query", "Query", "GetItem", "Query"), requests.operations());
    }

    @Test
    void aClockThatWentBackIsNoReasonToTrustTheKeptList() throws IOException {
        PageHandler handler = handler(Map.of());
        front(handler);
        clock.advance(Duration.ofSeconds(-30));
        front(handler);
        assertEquals(List.of("Query", "Query"), requests.operations());
    }

    @Test
    void aLifetimeThatIsNotAWholeNumberOfSecondsStopsTheFunctionAtInit() {
        for (String bad : List.of("sixty", "-1", "1.5")) {
            IllegalStateException failure = assertThrows(IllegalStateException.class, () -> handler(Map.of("SITE_LISTS_TTL_SECONDS", bad)), bad);
            assertTrue(failure.getMessage().contains("SITE_LISTS_TTL_SECONDS"), failure.getMessage());
        }
    }

    private PageHandler handler(Map<String, String> settings) {
        Map<String, String> environment = new HashMap<>(settings);
        environment.put("CONTENT_TABLE", table);
        environment.put("SITE_SECTIONS", "Analysis,Opinion");
        return new PageHandler(new Config(environment), dynamoDb, clock, Sitemaps.Limits.DEFAULT);
    }

    private static String front(PageHandler handler) throws IOException {
        JsonNode response = invoke(handler, HttpApiEvents.get("GET /", "/", Map.of(), Map.of(), Map.of()));
        assertEquals(200, response.get("statusCode").asInt());
        return response.get("body").asText();
    }

    private static String lead(String html) {
        return Jsoup.parse(html).selectFirst("article.lead h2 a").attr("href");
    }

    private static String article(PageHandler handler, String slug) throws IOException {
        JsonNode response = invoke(handler, HttpApiEvents.get("GET /articles/{slug}", "/articles/" + slug, Map.of("slug", slug), Map.of(), Map.of()));
        assertEquals(200, response.get("statusCode").asInt());
        return response.get("body").asText();
    }

    private static JsonNode invoke(PageHandler handler, byte[] event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event), out, null);
        return JSON.readTree(out.toByteArray());
    }
}
