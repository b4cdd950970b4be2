package com.meridianreview.page;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.meridianreview.core.Html5Check;
import com.meridianreview.core.Article;
import com.meridianreview.core.Articles;
import com.meridianreview.core.Author;
import com.meridianreview.core.ContentStore;
import com.meridianreview.core.SourceVersion;
import com.meridianreview.core.RelevanceWeights;
import com.meridianreview.core.Relevance;
import com.meridianreview.core.RelatedLists;
import com.meridianreview.core.Config;
import com.meridianreview.core.Correction;
import com.meridianreview.core.DynamoDbFixtures;
import com.meridianreview.core.Image;
import com.meridianreview.core.NewsletterIssue;
import com.meridianreview.core.NewsletterIssues;
import com.meridianreview.core.RequestCounter;
import com.meridianreview.emulators.EmulatorsExtension;
import com.meridianreview.emulators.TestResources;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The page function invoked as Lambda invokes it, with HTTP API events, against emulated DynamoDB. */
@ExtendWith(EmulatorsExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PageHandlerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final RequestCounter requests = new RequestCounter();
    /** Moved on by tests that step past how long lists are kept; ahead of every story's publication time. */
    private final MovableClock clock = new MovableClock(Instant.now());
    private PageHandler handler;
    private PageHandler withoutNewsletter;
    private TestResources resources;
    private DynamoDbClient dynamoDb;
    private String table;

    @BeforeAll
    void publishContent(TestResources resources) {
        this.resources = resources;
        dynamoDb = DynamoDbFixtures.client(resources.emulators(), requests);
        table = resources.name("content");
        DynamoDbFixtures.createContentTable(dynamoDb, table);
        ContentStore store = new ContentStore(dynamoDb, table);
        // As ingest publishes: the article, then its related lists.
        RelatedLists lists = new RelatedLists(dynamoDb, table, new Relevance(RelevanceWeights.DEFAULT), java.time.Clock.systemUTC());
        java.util.function.Consumer<Article> publish = article -> {
            SourceVersion version = SourceVersion.of(article, "");
            store.publish(article, version);
            lists.refresh(article, version);
        };
        publish.accept(new Article("quiet-channels", "Quiet Channels Reopen Between Gulf Rivals",
                "Talks in Muscat suggest both sides want a floor under their rivalry.", "Diplomacy Watch", "Reporting", "Field Notes",
                "Middle East", List.of("Energy", "Farid Al-Nassar"), List.of(Author.named("Lena Marsh"), Author.named("Tomás Ibarra")),
                Instant.parse("2026-11-20T09:30:00Z"), Instant.parse("2026-11-21T14:00:00Z"), Article.Status.PUBLISHED,
                new Image("quiet-channels.jpg", "Map-like shapes over navy", "Meridian Review graphics desk", "The Muscat sessions.")
                        .withSize(1600, 900, List.of(new Image.Rendition("quiet-channels-320w-a1b2c3d4e5.jpg", 320, 180),
                                new Image.Rendition("quiet-channels-640w-b2c3d4e5f6.jpg", 640, 360),
                                new Image.Rendition("quiet-channels-1024w-c3d4e5f6a7.jpg", 1024, 576))),
                "<p>Officials met.</p><h2 id=\"in-other-news\">In other news this week</h2><blockquote><p>A floor.</p></blockquote>",
                "Officials met.", 4, List.of(new Correction(LocalDate.parse("2026-11-22"), "An earlier version misstated the date."))));
        publish.accept(Articles.article("older-gulf-story", "2026-11-10T08:00:00Z", "Diplomacy Watch", List.of("Energy")));
        publish.accept(withImage(Articles.article("elsewhere", "2026-11-15T08:00:00Z", "Analysis", List.of("Trade")),
                new Image("elsewhere.jpg", "Cranes over a container port", "Port authority", null)
                        .withSize(800, 600, List.of(new Image.Rendition("elsewhere-320w-d4e5f6a7b8.jpg", 320, 240),
                                new Image.Rendition("elsewhere-640w-e5f6a7b8c9.jpg", 640, 480)))));
        publish.accept(Articles.withStatus(Articles.article("unfinished", "2026-11-18T08:00:00Z", "Analysis", List.of("Trade")), Article.Status.DRAFT));
        publish.accept(new Article("hostile", "<script>alert('x')</script> & \"quotes\" </script>", "dek <b>", "Opinion", "Opinion", null,
                "Europe", List.of("Tag <i>"), List.of(Author.named("Ruth Achieng")), Instant.parse("2026-11-01T08:00:00Z"), null,
                Article.Status.PUBLISHED, new Image("h.jpg", "alt\" onload=\"x", "credit <u>", null), "<p>ok</p>", "excerpt <s>", 1, List.of()));
        IntStream.rangeClosed(1, 25).forEach(i -> publish.accept(
                Articles.article("trade-" + i, String.format("2026-10-%02dT08:00:00Z", i), "Analysis", List.of("Tariffs"))));
        withoutNewsletter = new PageHandler(new Config(Map.of("CONTENT_TABLE", table, "SITE_URL", "https://www.example.org")), dynamoDb);
    }

    /** Each test starts with a container of its own: nothing kept from another test's requests. */
    @BeforeEach
    void newContainer() {
        handler = new PageHandler(new Config(Map.of("CONTENT_TABLE", table, "SITE_URL", "https://www.example.org",
                "NEWSLETTER_CONSENT_VERSION", "2026-11", "SITE_SECTIONS", "Diplomacy Watch, Analysis,,Opinion")), dynamoDb, clock,
                Sitemaps.Limits.DEFAULT);
        requests.reset();
    }

    private static Article withImage(Article a, Image image) {
        return new Article(a.slug(), a.headline(), a.dek(), a.section(), a.type(), a.channel(), a.region(), a.tags(), a.authors(),
                a.publishedAt(), a.updatedAt(), a.status(), image, a.bodyHtml(), a.excerpt(), a.readingMinutes(), a.corrections());
    }

    @Test
    void articlePageShowsTheWholeAnatomyFromOneRequestOnAWarmContainer() throws IOException {
        JsonNode response = get("GET /articles/{slug}", "/articles/quiet-channels", Map.of("slug", "quiet-channels"), Map.of(), Map.of());
        String html = response.get("body").asText();

        assertEquals(200, response.get("statusCode").asInt());
        assertEquals("text/html; charset=utf-8", header(response, "content-type"));
        assertTrue(html.contains("<p class=\"kicker\"><a href=\"/sections/diplomacy-watch\">Diplomacy Watch</a></p>"), "section label");
        assertTrue(html.contains("Reporting | Field Notes"), "type and channel");
        assertTrue(html.contains("<h1>Quiet Channels Reopen Between Gulf Rivals</h1>"), "headline");
        assertTrue(html.contains("<p class=\"dek\">Talks in Muscat"), "dek");
        assertTrue(html.contains("<a href=\"/authors/lena-marsh\" rel=\"author\">Lena Marsh</a> and <a href=\"/authors/tomas-ibarra\" rel=\"author\">Tomás Ibarra</a>"), "bylines");
        assertTrue(html.contains("<time datetime=\"2026-11-20T09:30:00Z\">20 November 2026</time>"), "published");
        assertTrue(html.contains("Updated <time datetime=\"2026-11-21T14:00:00Z\">21 November 2026</time>"), "updated");
        assertTrue(html.contains("<a href=\"/tags/farid-al-nassar\" rel=\"tag\">Farid Al-Nassar</a>"), "tags");
        assertTrue(html.contains("<img src=\"/images/quiet-channels.jpg\" srcset=\"/images/quiet-channels-320w-a1b2c3d4e5.jpg 320w, "
                + "/images/quiet-channels-640w-b2c3d4e5f6.jpg 640w, /images/quiet-channels-1024w-c3d4e5f6a7.jpg 1024w, /images/quiet-channels.jpg 1600w\" "
                + "sizes=\"(max-width: 44rem) 100vw, 44rem\" alt=\"Map-like shapes over navy\" width=\"1600\" height=\"900\" fetchpriority=\"high\">"), "top image");
        assertTrue(html.contains("Top photo credit: Meridian Review graphics desk"), "credit line");
        assertTrue(html.contains("<h2 id=\"in-other-news\">In other news this week</h2><blockquote>"), "body as ingested");
        assertTrue(html.contains("An earlier version misstated the date."), "corrections");
        assertTrue(html.contains("Keep reading") && html.contains("/articles/older-gulf-story"), "related stories, kept with the article");
        assertTrue(html.contains("<h2 id=\"latest\">Latest</h2>") && html.contains("/articles/elsewhere"), "latest list");
        assertFalse(html.contains("/articles/unfinished"), "drafts are never listed");
        assertTrue(html.contains("https://bsky.app/intent/compose?text="), "share links");
        assertTrue(html.contains("<link rel=\"canonical\" href=\"https://www.example.org/articles/quiet-channels\">"));
        assertTrue(html.contains("<meta property=\"og:image\" content=\"https://www.example.org/images/quiet-channels.jpg\">"));
        assertEquals(List.of("GetItem", "Query"), requests.operations(), "the article with its related stories, then the site's newest");

        requests.reset();
        String warm = get("GET /articles/{slug}", "/articles/quiet-channels", Map.of("slug", "quiet-channels"), Map.of(), Map.of()).get("body").asText();
        assertEquals(List.of("GetItem"), requests.operations(), "within the lists' lifetime the article is all a page reads");
        assertEquals(html, warm, "and the page is the same");
        requests.reset();
        get("GET /articles/{slug}", "/articles/elsewhere", Map.of("slug", "elsewhere"), Map.of(), Map.of());
        assertEquals(List.of("GetItem"), requests.operations(), "another article shares the kept list");

        clock.advance(Duration.ofSeconds(61));
        requests.reset();
        get("GET /articles/{slug}", "/articles/quiet-channels", Map.of("slug", "quiet-channels"), Map.of(), Map.of());
        assertEquals(List.of("GetItem", "Query"), requests.operations(), "a minute on, the newest stories are read again");

        JsonNode jsonLd = JSON.readTree(jsonLd(html));
        assertEquals("NewsArticle", jsonLd.get("@type").asText());
        assertEquals("Quiet Channels Reopen Between Gulf Rivals", jsonLd.get("headline").asText());
        assertEquals("2026-11-21T14:00:00Z", jsonLd.get("dateModified").asText());
        assertEquals("https://www.example.org/authors/tomas-ibarra", jsonLd.get("author").get(1).get("url").asText());
        assertEquals("https://www.example.org/images/quiet-channels.jpg", jsonLd.get("image").get(0).asText());
    }

    @Test
    void pagesAreCachedByTheCdnAndRevalidatedWithAnEtag() throws IOException {
        JsonNode first = get("GET /articles/{slug}", "/articles/quiet-channels", Map.of("slug", "quiet-channels"), Map.of(), Map.of());
        // Browsers keep a page a minute, the CDN five; for ten more the CDN may answer with its copy
        // while it fetches a new one, and for a day when the function fails.
        assertEquals("public, max-age=60, s-maxage=300, stale-while-revalidate=600, stale-if-error=86400", header(first, "cache-control"));
        String etag = header(first, "etag");
        assertTrue(etag.matches("\"[0-9a-f]{24}\""), "a strong validator: " + etag);

        JsonNode again = get("GET /articles/{slug}", "/articles/quiet-channels", Map.of("slug", "quiet-channels"), Map.of(), Map.of("if-none-match", etag));
        assertEquals(304, again.get("statusCode").asInt());
        assertEquals("", again.get("body").asText());
        assertEquals(etag, header(again, "etag"));
    }

    @Test
    void unknownAndDraftArticlesAreNotFoundPages() throws IOException {
        for (String slug : List.of("never-written", "unfinished", "UPPER", "..%2F..%2Fetc")) {
            JsonNode response = get("GET /articles/{slug}", "/articles/" + slug, Map.of("slug", slug), Map.of(), Map.of());
            assertEquals(404, response.get("statusCode").asInt(), slug);
            assertTrue(response.get("body").asText().contains("<h1>Page not found</h1>"), slug);
            assertEquals("public, max-age=60, s-maxage=60", header(response, "cache-control"), "a missing page is kept a minute");
        }
    }

    @Test
    void everythingFromTheTableIsEscaped() throws IOException {
        String html = get("GET /articles/{slug}", "/articles/hostile", Map.of("slug", "hostile"), Map.of(), Map.of()).get("body").asText();

        assertFalse(html.contains("<script>alert"), "headline markup is escaped");
        assertTrue(html.contains("&lt;script&gt;alert("), "and shown as text");
        assertFalse(html.contains("alt=\"alt\" onload=\"x\""), "attribute values cannot break out");
        assertFalse(html.contains("<b>") || html.contains("<i>") || html.contains("<u>"));
        String jsonLd = jsonLd(html);
        assertFalse(jsonLd.contains("</script"), "the headline cannot end the JSON-LD element early");
        assertEquals("<script>alert('x')</script> & \"quotes\" </script>", JSON.readTree(jsonLd).get("headline").asText());
    }

    @Test
    void listPagesAreNewestFirstAndPageThroughOlderStories() throws IOException {
        JsonNode first = get("GET /tags/{slug}", "/tags/tariffs", Map.of("slug", "tariffs"), Map.of(), Map.of());
        String html = first.get("body").asText();
        assertEquals(200, first.get("statusCode").asInt());
        assertTrue(html.contains("<h1>Tariffs</h1>"));
        assertTrue(html.indexOf("/articles/trade-25") < html.indexOf("/articles/trade-24"), "newest first");
        assertEquals(20, count(html.substring(html.indexOf("<main"), html.indexOf("</main>")), "<li>"), "twenty stories a page");
        assertEquals(List.of("Query"), requests.operations(), "a list page is one request");

        Matcher older = Pattern.compile("href=\"/tags/tariffs\\?after=([^\"]+)\" rel=\"next\"").matcher(html);
        assertTrue(older.find(), "a link to older stories");
        String cursor = java.net.URLDecoder.decode(older.group(1), StandardCharsets.UTF_8);
        String second = get("GET /tags/{slug}", "/tags/tariffs", Map.of("slug", "tariffs"), Map.of("after", cursor), Map.of()).get("body").asText();
        assertTrue(second.contains("/articles/trade-5") && second.contains("/articles/trade-1"));
        assertEquals(5, count(second.substring(second.indexOf("<main"), second.indexOf("</main>")), "<li>"), "the 25 tagged stories less the first page's 20");
        assertFalse(second.contains("/articles/trade-6\""));
        assertFalse(second.contains("rel=\"next\""), "the last page links no further");
    }

    @Test
    void homeSectionAuthorAndRegionPagesList() throws IOException {
        assertTrue(get("GET /", "/", Map.of(), Map.of(), Map.of()).get("body").asText().contains("/articles/quiet-channels"));
        assertTrue(get("GET /sections/{slug}", "/sections/diplomacy-watch", Map.of("slug", "diplomacy-watch"), Map.of(), Map.of())
                .get("body").asText().contains("<h1>Diplomacy Watch</h1>"));
        assertTrue(get("GET /authors/{slug}", "/authors/tomas-ibarra", Map.of("slug", "tomas-ibarra"), Map.of(), Map.of())
                .get("body").asText().contains("<h1>Stories by Tomás Ibarra</h1>"));
        assertTrue(get("GET /regions/{slug}", "/regions/europe", Map.of("slug", "europe"), Map.of(), Map.of())
                .get("body").asText().contains("/articles/hostile"));
        assertEquals(404, get("GET /tags/{slug}", "/tags/nobody", Map.of("slug", "nobody"), Map.of(), Map.of()).get("statusCode").asInt());
    }

    @Test
    void aDamagedCursorIsABadRequestNotAnError() throws IOException {
        JsonNode response = get("GET /tags/{slug}", "/tags/tariffs", Map.of("slug", "tariffs"), Map.of("after", "x\"}"), Map.of());
        assertEquals(400, response.get("statusCode").asInt());
        assertTrue(response.get("body").asText().contains("The link to older stories is damaged"));
        assertEquals(List.of(), requests.operations());
    }

    @Test
    void aFailingTableGivesAnUncachedErrorPageWithoutDetails() throws IOException {
        PageHandler broken = new PageHandler(new Config(Map.of("CONTENT_TABLE", resources.name("missing-table"))),
                DynamoDbFixtures.client(resources.emulators()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        broken.handleRequest(new ByteArrayInputStream(HttpApiEvents.get("GET /articles/{slug}", "/articles/quiet-channels",
                Map.of("slug", "quiet-channels"), Map.of(), Map.of())), out, null);
        JsonNode response = JSON.readTree(out.toByteArray());

        assertEquals(500, response.get("statusCode").asInt());
        assertEquals("no-store", header(response, "cache-control"));
        String html = response.get("body").asText();
        assertTrue(html.contains("Something went wrong"));
        assertFalse(html.contains("Exception") || html.contains("dynamodb") || html.contains("at com."), html);

        ByteArrayOutputStream headOut = new ByteArrayOutputStream();
        broken.handleRequest(new ByteArrayInputStream(HttpApiEvents.request("HEAD", "ANY /articles/{slug}", "/articles/quiet-channels",
                Map.of("slug", "quiet-channels"), Map.of(), Map.of())), headOut, null);
        JsonNode head = JSON.readTree(headOut.toByteArray());
        assertEquals(500, head.get("statusCode").asInt());
        assertEquals("", head.get("body").asText(), "HEAD never carries a body, not even an error page");
    }

    @Test
    void headGetsTheHeadersOfGetWithoutTheBodyAndOtherMethodsAreRefused() throws IOException {
        JsonNode page = get("GET /articles/{slug}", "/articles/quiet-channels", Map.of("slug", "quiet-channels"), Map.of(), Map.of());
        JsonNode head = invoke(HttpApiEvents.request("HEAD", "ANY /articles/{slug}", "/articles/quiet-channels", Map.of("slug", "quiet-channels"), Map.of(), Map.of()));
        assertEquals(200, head.get("statusCode").asInt());
        assertEquals("", head.get("body").asText());
        assertEquals(header(page, "etag"), header(head, "etag"));

        JsonNode post = invoke(HttpApiEvents.request("POST", "ANY /articles/{slug}", "/articles/quiet-channels", Map.of("slug", "quiet-channels"), Map.of(), Map.of()));
        assertEquals(405, post.get("statusCode").asInt());
        assertEquals("GET, HEAD", header(post, "allow"));
    }

    @Test
    void anyOtherAddressGetsTheNotFoundPage() throws IOException {
        JsonNode response = invoke(HttpApiEvents.get("$default", "/wp-login.php", Map.of(), Map.of(), Map.of()));
        assertEquals(404, response.get("statusCode").asInt());
        assertTrue(response.get("body").asText().contains("<h1>Page not found</h1>"));
        JsonNode post = invoke(HttpApiEvents.request("POST", "$default", "/wp-login.php", Map.of(), Map.of(), Map.of()));
        assertEquals(404, post.get("statusCode").asInt(), "no page there, whatever the method");
    }

    @Test
    void anOlderPageWithNothingOnItIsNotFound() throws IOException {
        JsonNode response = get("GET /tags/{slug}", "/tags/tariffs", Map.of("slug", "tariffs"), Map.of("after", "2000-01-01T00:00:00Z#x"), Map.of());
        assertEquals(404, response.get("statusCode").asInt());
        JsonNode invented = get("GET /tags/{slug}", "/tags/invented", Map.of("slug", "invented"), Map.of("after", "2026-11-01T00:00:00Z#x"), Map.of());
        assertEquals(404, invented.get("statusCode").asInt(), "a cursor does not make up a list");
    }

    @Test
    void primingCannotFailTheSnapshotWhenTheTableFails() throws IOException {
        RequestCounter attempts = new RequestCounter();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PageHandler broken = withLogTo(log, () -> {
            PageHandler created = new PageHandler(new Config(Map.of("CONTENT_TABLE", resources.name("missing-table"))),
                    DynamoDbFixtures.client(resources.emulators(), attempts));
            assertDoesNotThrow(() -> created.beforeCheckpoint(null), "a failed priming step never fails the snapshot");
            return created;
        });

        assertEquals(List.of("Query", "GetItem"), attempts.operations(), "the home page's list, then the probe article; each fails once");
        List<JsonNode> warnings = logLines(log, "WARN");
        assertEquals(2, warnings.size(), "one warning for each failed step: " + warnings);
        for (JsonNode warning : warnings) {
            assertEquals("a priming step failed; the snapshot is taken anyway", warning.get("message").asText());
            assertTrue(warning.get("error").asText().startsWith("software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException"),
                    warning.toString());
        }

        JsonNode afterwards = invoke(broken, HttpApiEvents.get("GET /", "/", Map.of(), Map.of(), Map.of()));
        assertEquals(500, afterwards.get("statusCode").asInt(), "the handler still answers, with its error page");
        assertTrue(afterwards.get("body").asText().contains("<h1>Something went wrong</h1>"));
    }

    @Test
    void primingForSnapStartOnlyReadsAndEveryStepSucceeds() throws IOException {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PageHandler primed = withLogTo(log, () -> {
            PageHandler created = new PageHandler(new Config(Map.of("CONTENT_TABLE", table, "SITE_URL", "https://www.example.org")),
                    DynamoDbFixtures.client(resources.emulators(), requests));
            created.beforeCheckpoint(null);
            return created;
        });

        // The front page (front.jte, one Query), the probe slug (GetItem, nothing found: the
        // not-found page, message.jte) and a sample article and list rendered without the table
        // (article.jte, listing.jte). Any step that threw would have logged a warning.
        assertEquals(List.of("Query", "GetItem"), requests.operations(), "reads only, and only these");
        assertEquals(List.of(), logLines(log, "WARN"), "every priming step succeeded");

        requests.reset();
        JsonNode page = invoke(primed, HttpApiEvents.get("GET /articles/{slug}", "/articles/quiet-channels", Map.of("slug", "quiet-channels"),
                Map.of(), Map.of()));
        assertEquals(200, page.get("statusCode").asInt());
        assertEquals(List.of("GetItem", "Query"), requests.operations(),
                "the newest stories priming read are not kept into the snapshot: a restore may come hours later");

        requests.reset();
        invoke(primed, HttpApiEvents.get("GET /", "/", Map.of(), Map.of(), Map.of()));
        assertEquals(List.of(), requests.operations(), "the article page's read serves the front page");
        primed.afterRestore(null);
        invoke(primed, HttpApiEvents.get("GET /", "/", Map.of(), Map.of(), Map.of()));
        assertEquals(List.of("Query"), requests.operations(), "and a restore drops whatever a snapshot holds");
    }

    @Test
    void anUnreadableEventGetsTheErrorPageAndNoDetails() throws IOException {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PageHandler logged = withLogTo(log, () -> new PageHandler(
                new Config(Map.of("CONTENT_TABLE", table, "SITE_URL", "https://www.example.org")), DynamoDbFixtures.client(resources.emulators())));
        for (String event : List.of("this is not JSON", "", "[\"GET /\"]", "{\"routeKey\": \"GET /articles/{slug}\", \"rawPath\": ")) {
            log.reset();
            JsonNode response = invoke(logged, event.getBytes(StandardCharsets.UTF_8));

            assertEquals(500, response.get("statusCode").asInt(), event);
            assertEquals("text/html; charset=utf-8", header(response, "content-type"), event);
            assertEquals("no-store", header(response, "cache-control"), event);
            String html = response.get("body").asText();
            assertTrue(html.startsWith("<!DOCTYPE html>\n<html lang=\"en\">"), event);
            assertTrue(html.contains("<h1>Something went wrong</h1>\n<p>We could not show this page just now. Please try again in a minute.</p>"), html);
            assertTrue(html.contains("<a class=\"brand\" href=\"/\">"), "the magazine's masthead");
            for (String detail : List.of("Exception", "JsonParse", "Unexpected", "not a JSON object", "at com.", "at java.", "jackson")) {
                assertFalse(html.contains(detail), event + " shows " + detail);
            }

            List<JsonNode> errors = logLines(log, "ERROR");
            assertEquals(1, errors.size(), event);
            assertEquals("unreadable event", errors.get(0).get("message").asText());
            JsonNode served = logLines(log, "INFO").stream().filter(line -> line.get("message").asText().equals("page served"))
                    .findFirst().orElseThrow();
            assertEquals("unreadable", served.get("route").asText(), "counted under a route of its own");
            assertEquals(1, served.get("serverError").asInt());
        }
    }

    @Test
    void everyPageEndsWithTheNewsletterBoxWhichWorksWithoutScripts() throws IOException {
        for (String[] page : List.of(new String[] {"GET /articles/{slug}", "/articles/quiet-channels"}, new String[] {"GET /", "/"},
                new String[] {"GET /tags/{slug}", "/tags/tariffs"})) {
            Map<String, String> parameters = page[0].contains("{slug}") ? Map.of("slug", page[1].substring(page[1].lastIndexOf('/') + 1)) : Map.of();
            String html = get(page[0], page[1], parameters, Map.of(), Map.of()).get("body").asText();
            assertTrue(html.contains("<form class=\"newsletter-box\" method=\"post\" action=\"/api/newsletter/subscriptions\">"), page[1]);
            assertTrue(html.contains("name=\"consentVersion\" value=\"2026-11\""), "the consent text version the reader sees");
            assertTrue(html.contains("name=\"page\" value=\"" + page[1] + "\""), "the page the box is on");
            assertTrue(html.contains("name=\"website\" type=\"text\" tabindex=\"-1\""), "the honeypot, out of sight and out of the tab order");
            assertTrue(html.contains("<script src=\"/newsletter/box.js\" defer></script>"));
        }
        JsonNode without = invoke(withoutNewsletter, HttpApiEvents.get("GET /articles/{slug}", "/articles/quiet-channels", Map.of("slug", "quiet-channels"),
                Map.of(), Map.of()));
        assertFalse(without.get("body").asText().contains("newsletter-box"), "no box on a stack without the newsletter, rather than a form posting nowhere");
    }

    @Test
    void everyPageStartsWithASkipLinkThenTheSectionsInTheEditorsOrder() throws IOException {
        for (String[] page : List.of(new String[] {"GET /articles/{slug}", "/articles/quiet-channels"}, new String[] {"GET /", "/"},
                new String[] {"GET /articles/{slug}", "/articles/never-written"})) {
            Map<String, String> parameters = page[0].contains("{slug}") ? Map.of("slug", page[1].substring(page[1].lastIndexOf('/') + 1)) : Map.of();
            String html = get(page[0], page[1], parameters, Map.of(), Map.of()).get("body").asText();
            String body = html.substring(html.indexOf("<body>") + "<body>".length()).strip();
            assertTrue(body.startsWith("<a class=\"skip\" href=\"#main\">"), "the first thing a keyboard reaches on " + page[1]);
            assertTrue(html.contains("<nav class=\"sections\" aria-label=\"Sections\"><ul>\n<li><a href=\"/sections/diplomacy-watch\">Diplomacy Watch</a></li>\n"
                    + "<li><a href=\"/sections/analysis\">Analysis</a></li>\n<li><a href=\"/sections/opinion\">Opinion</a></li>\n</ul></nav>"), html);
        }
        String without = invoke(withoutNewsletter, HttpApiEvents.get("GET /", "/", Map.of(), Map.of(), Map.of())).get("body").asText();
        assertFalse(without.contains("<nav class=\"sections\""), "no empty navigation when no sections are configured");
    }

    @Test
    void pagesAndErrorPagesCarryTheSecurityHeaders() throws IOException {
        JsonNode page = get("GET /articles/{slug}", "/articles/quiet-channels", Map.of("slug", "quiet-channels"), Map.of(), Map.of());
        JsonNode missing = get("GET /articles/{slug}", "/articles/never-written", Map.of("slug", "never-written"), Map.of(), Map.of());
        for (JsonNode response : List.of(page, missing)) {
            assertEquals("default-src 'none'; img-src 'self' https: data:; style-src 'unsafe-inline'; script-src 'self'; connect-src 'self'; "
                    + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'", header(response, "content-security-policy"));
            assertEquals("nosniff", header(response, "x-content-type-options"));
            assertEquals("strict-origin-when-cross-origin", header(response, "referrer-policy"));
        }
    }

    @Test
    void everyPageTypeIsValidHtml5() throws Exception {
        String emptyTable = resources.name("empty-content");
        DynamoDbFixtures.createContentTable(DynamoDbFixtures.client(resources.emulators()), emptyTable);
        PageHandler empty = new PageHandler(new Config(Map.of("CONTENT_TABLE", emptyTable)), DynamoDbFixtures.client(resources.emulators()));
        PageHandler broken = new PageHandler(new Config(Map.of("CONTENT_TABLE", resources.name("missing-table"))),
                DynamoDbFixtures.client(resources.emulators()));
        String tagPage = get("GET /tags/{slug}", "/tags/tariffs", Map.of("slug", "tariffs"), Map.of(), Map.of()).get("body").asText();
        String frontPage = get("GET /", "/", Map.of(), Map.of(), Map.of()).get("body").asText();
        storeIssue("2026-11-28");

        // Each kind of page the function answers with, and the status that shows it is that page.
        record Case(String page, int status, byte[] event, PageHandler handler) {
        }
        List<Case> cases = List.of(
                new Case("article", 200, article("quiet-channels"), handler),
                new Case("article without keep-reading, hostile text", 200, article("hostile"), handler),
                new Case("front page", 200, HttpApiEvents.get("GET /", "/", Map.of(), Map.of(), Map.of()), handler),
                new Case("front page with no stories yet", 200, HttpApiEvents.get("GET /", "/", Map.of(), Map.of(), Map.of()), empty),
                new Case("front page's older stories", 200, HttpApiEvents.get("GET /", "/", Map.of(), Map.of("after", olderCursor(frontPage)), Map.of()), handler),
                new Case("front page without sections", 200, HttpApiEvents.get("GET /", "/", Map.of(), Map.of(), Map.of()), withoutNewsletter),
                new Case("newsletter issue", 200, HttpApiEvents.get("ANY /newsletter/issues/{date}", "/newsletter/issues/2026-11-28",
                        Map.of("date", "2026-11-28"), Map.of(), Map.of()), handler),
                new Case("section", 200, listing("sections", "diplomacy-watch", Map.of()), handler),
                new Case("region", 200, listing("regions", "europe", Map.of()), handler),
                new Case("tag", 200, listing("tags", "tariffs", Map.of()), handler),
                new Case("tag, older page", 200, listing("tags", "tariffs", Map.of("after", olderCursor(tagPage))), handler),
                new Case("author", 200, listing("authors", "tomas-ibarra", Map.of()), handler),
                new Case("not found", 404, article("never-written"), handler),
                new Case("damaged cursor", 400, listing("tags", "tariffs", Map.of("after", "x\"}")), handler),
                new Case("method not allowed", 405, HttpApiEvents.request("POST", "ANY /articles/{slug}", "/articles/quiet-channels",
                        Map.of("slug", "quiet-channels"), Map.of(), Map.of()), handler),
                new Case("server error", 500, article("quiet-channels"), broken));

        Map<String, List<String>> problems = new LinkedHashMap<>();
        for (Case c : cases) {
            JsonNode response = invoke(c.handler(), c.event());
            assertEquals(c.status(), response.get("statusCode").asInt(), c.page());
            String html = response.get("body").asText();
            assertTrue(html.startsWith("<!DOCTYPE html>"), c.page() + " is a whole page");
            List<String> found = new ArrayList<>(Html5Check.validatorMessages(html));
            found.addAll(Html5Check.headingOutline(html));
            if (!found.isEmpty()) {
                problems.put(c.page(), found);
            }
        }
        assertEquals(Map.of(), problems);
    }

    @Test
    void theFrontPageLeadsWithTheNewestThenTheLatestThenEachSectionInTheEditorsOrderFromOneQuery() throws IOException {
        JsonNode response = get("GET /", "/", Map.of(), Map.of(), Map.of());
        assertEquals(200, response.get("statusCode").asInt());
        assertEquals(List.of("Query"), requests.operations(), "the whole front page from one Query of the site's newest stories");
        Document page = Jsoup.parse(response.get("body").asText());
        assertEquals("The Meridian Review", page.selectFirst("header.masthead h1").text(), "the magazine's name is the front page's heading");
        assertEquals("https://www.example.org/", page.selectFirst("link[rel=canonical]").attr("href"));

        Element lead = page.selectFirst("main article.lead");
        assertEquals("/articles/quiet-channels", lead.selectFirst("h2 a").attr("href"), "the newest story leads");
        assertEquals("Talks in Muscat suggest both sides want a floor under their rivalry.", lead.selectFirst(".dek").text());
        assertEquals("By Lena Marsh and Tomás Ibarra · 20 November 2026", lead.selectFirst(".meta").text());
        assertEquals("/images/quiet-channels.jpg", lead.selectFirst("img").attr("src"), "the lead's picture at full size");
        assertEquals("Map-like shapes over navy", lead.selectFirst("img").attr("alt"));

        assertEquals(List.of("/articles/elsewhere", "/articles/older-gulf-story", "/articles/hostile", "/articles/trade-25",
                "/articles/trade-24", "/articles/trade-23"), page.select("main .front-latest h3 a").eachAttr("href"), "then the latest, newest first");
        assertFalse(page.select("main .front-latest").html().contains("/articles/unfinished"), "drafts are never listed");

        assertEquals(List.of("Diplomacy Watch", "Analysis", "Opinion"), page.select("main .front-section h2").eachText(),
                "a block per section, in the order of SITE_SECTIONS");
        Element analysis = page.selectFirst("main section[aria-labelledby=section-analysis]");
        assertEquals(List.of("/articles/trade-22", "/articles/trade-21", "/articles/trade-20"), analysis.select("h3 a").eachAttr("href"),
                "three of the section's newest that the page has not shown above");
        assertEquals("/sections/analysis", analysis.selectFirst(".more-link a").attr("href"));
        Element diplomacy = page.selectFirst("main section[aria-labelledby=section-diplomacy-watch]");
        assertEquals(0, diplomacy.select(".teasers").size(), "its stories are all above: the block keeps its link only");
        assertEquals("More from Diplomacy Watch", diplomacy.selectFirst(".more-link a").text());
        assertEquals("/sections/diplomacy-watch", diplomacy.selectFirst(".more-link a").attr("href"));

        assertTrue(page.selectFirst("footer").text().contains("The Meridian Review is an online magazine of foreign policy news, analysis and opinion."),
                "an about line");
        assertEquals("https://www.example.org/feed.xml", page.selectFirst("footer .feeds a").attr("href"), "and the feed");

        requests.reset();
        assertEquals(response.get("body").asText(), get("GET /", "/", Map.of(), Map.of(), Map.of()).get("body").asText());
        assertEquals(List.of(), requests.operations(), "within the lists' lifetime the front page reads nothing");
    }

    @Test
    void theFrontPagesOlderStoriesAreAPlainListPageThatPagesOn() throws IOException {
        Document front = Jsoup.parse(get("GET /", "/", Map.of(), Map.of(), Map.of()).get("body").asText());
        String older = front.selectFirst("main a[rel=next]").attr("href");
        assertEquals("/?after=2026-10-23T08%3A00%3A00Z%23trade-23", older, "older stories start after the last one the latest list shows");

        requests.reset();
        String cursor = java.net.URLDecoder.decode(older.substring(older.indexOf('=') + 1), StandardCharsets.UTF_8);
        JsonNode second = get("GET /", "/", Map.of(), Map.of("after", cursor), Map.of());
        assertEquals(200, second.get("statusCode").asInt());
        assertEquals(List.of("Query"), requests.operations(), "an older page is one Query, never kept: its cursor is the reader's");
        Document page = Jsoup.parse(second.get("body").asText());
        assertEquals("Latest", page.selectFirst("main h1").text());
        List<String> stories = page.select("main .teasers h2 a").eachAttr("href");
        assertEquals(20, stories.size());
        assertEquals("/articles/trade-22", stories.get(0));
        assertEquals("/articles/trade-3", stories.get(19));
        assertTrue(page.selectFirst("main a[rel=next]").attr("href").startsWith("/?after="), "and it pages on");

        requests.reset();
        get("GET /", "/", Map.of(), Map.of("after", cursor), Map.of());
        assertEquals(List.of("Query"), requests.operations());
    }

    @Test
    void aSectionWithNothingAmongTheNewestStoriesGetsNoBlock() throws IOException {
        PageHandler reportingFirst = new PageHandler(new Config(Map.of("CONTENT_TABLE", table, "SITE_SECTIONS", "Reporting, Opinion, Analysis, Opinion")),
                dynamoDb, clock, Sitemaps.Limits.DEFAULT);
        Document page = Jsoup.parse(invoke(reportingFirst, HttpApiEvents.get("GET /", "/", Map.of(), Map.of(), Map.of())).get("body").asText());
        assertEquals(List.of("Opinion", "Analysis"), page.select("main .front-section h2").eachText(), "a section named twice gets one block");
        assertEquals("/sections/reporting", page.selectFirst("nav.sections a").attr("href"), "the header still links every section");
    }

    @Test
    void onAWarmContainerAListPageIsOneQueryAnArticleOneGetItemAndTheFrontPageNothing() throws IOException {
        get("GET /", "/", Map.of(), Map.of(), Map.of());
        assertEquals(List.of("Query"), requests.operations());
        Map<String, List<String>> counted = new LinkedHashMap<>();
        for (String[] page : List.of(new String[] {"GET /", "/"}, new String[] {"GET /articles/{slug}", "/articles/quiet-channels"},
                new String[] {"GET /sections/{slug}", "/sections/analysis"}, new String[] {"GET /regions/{slug}", "/regions/europe"},
                new String[] {"GET /tags/{slug}", "/tags/tariffs"}, new String[] {"GET /authors/{slug}", "/authors/lena-marsh"})) {
            requests.reset();
            Map<String, String> parameters = page[0].contains("{slug}") ? Map.of("slug", page[1].substring(page[1].lastIndexOf('/') + 1)) : Map.of();
            assertEquals(200, get(page[0], page[1], parameters, Map.of(), Map.of()).get("statusCode").asInt(), page[1]);
            counted.put(page[1], requests.operations());
        }
        assertEquals(Map.of("/", List.of(), "/articles/quiet-channels", List.of("GetItem"), "/sections/analysis", List.of("Query"),
                "/regions/europe", List.of("Query"), "/tags/tariffs", List.of("Query"), "/authors/lena-marsh", List.of("Query")), counted);
    }

    private static final String ISSUE_PAGE = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>The week in foreign policy, 21 November 2026 | The Meridian Review</title>
            <style>body{font-family:Georgia,serif;max-width:36rem;margin:0 auto;padding:1rem;color:#1a1a1a}a{color:#8a1c1c}</style>
            </head>
            <body>
            <h1>The week in foreign policy</h1>
            <p style="color:#5c5c5c">21 November 2026</p>
            <h2><a href="https://www.example.org/articles/quiet-channels">Quiet Channels Reopen Between Gulf Rivals</a></h2>
            <p>Talks in Muscat suggest both sides want a floor under their rivalry.</p>
            </body>
            </html>
            """;

    private void storeIssue(String date) {
        new NewsletterIssues(dynamoDb, table).storeFirst(new NewsletterIssue("weekly", LocalDate.parse(date), "The week in foreign policy",
                "Quiet channels reopen", "<p>email part</p>", "email part", ISSUE_PAGE, 1, Instant.parse(date + "T06:00:00Z")));
    }

    private JsonNode issue(String method, String date, Map<String, String> headers) throws IOException {
        return invoke(HttpApiEvents.request(method, "ANY /newsletter/issues/{date}", "/newsletter/issues/" + date, Map.of("date", date), Map.of(), headers));
    }

    @Test
    void aPastNewsletterIssueIsItsStoredPageUnderAPolicyWithoutScripts() throws IOException {
        storeIssue("2026-11-21");
        requests.reset();

        JsonNode response = issue("GET", "2026-11-21", Map.of());
        assertEquals(200, response.get("statusCode").asInt());
        assertEquals(ISSUE_PAGE, response.get("body").asText(), "served as composed, byte for byte");
        assertEquals(List.of("GetItem"), requests.operations());
        assertEquals("text/html; charset=utf-8", header(response, "content-type"));
        assertEquals(HtmlResponses.PAGE_CACHE, header(response, "cache-control"), "the CDN keeps it as it keeps an article");
        assertEquals("default-src 'none'; img-src 'self' https: data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; "
                + "frame-ancestors 'none'", header(response, "content-security-policy"));
        assertEquals("nosniff", header(response, "x-content-type-options"));
        String etag = header(response, "etag");

        JsonNode head = issue("HEAD", "2026-11-21", Map.of());
        assertEquals(200, head.get("statusCode").asInt());
        assertEquals("", head.get("body").asText());
        assertEquals(etag, header(head, "etag"));
        assertEquals(304, issue("GET", "2026-11-21", Map.of("if-none-match", etag)).get("statusCode").asInt());
        assertEquals(405, issue("POST", "2026-11-21", Map.of()).get("statusCode").asInt());
    }

    @Test
    void anythingButTheDateOfAStoredIssueIsTheMagazinesNotFoundPage() throws IOException {
        storeIssue("2026-11-21");
        for (String date : List.of("2026-13-40", "2026-02-30", "../x", "latest", "+12026-11-21", "2026-11-21x", "20261121", "")) {
            requests.reset();
            JsonNode response = issue("GET", date, Map.of());
            assertEquals(404, response.get("statusCode").asInt(), date);
            assertTrue(response.get("body").asText().contains("<h1>Page not found</h1>"), date);
            assertEquals(List.of(), requests.operations(), date + " is not a date: nothing to look up");
        }
        requests.reset();
        JsonNode none = issue("GET", "2026-11-14", Map.of());
        assertEquals(404, none.get("statusCode").asInt(), "a week with no issue");
        assertEquals(List.of("GetItem"), requests.operations());
        assertEquals(HtmlResponses.MISSING_CACHE, header(none, "cache-control"));
    }

    @Test
    void imagesAreSizedDescribedAndPrioritisedAndEveryPageHasItsLandmarksAndOutline() throws IOException {
        Map<String, byte[]> pages = new LinkedHashMap<>();
        pages.put("front", HttpApiEvents.get("GET /", "/", Map.of(), Map.of(), Map.of()));
        pages.put("article", article("quiet-channels"));
        pages.put("article, unsized image", article("hostile"));
        pages.put("article, sized image", article("elsewhere"));
        pages.put("tag", listing("tags", "energy", Map.of()));
        pages.put("section", listing("sections", "analysis", Map.of()));
        pages.put("not found", article("never-written"));
        Map<String, List<String>> problems = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> entry : pages.entrySet()) {
            String html = invoke(entry.getValue()).get("body").asText();
            List<String> found = new ArrayList<>(PageChecks.imageProblems(html));
            found.addAll(PageChecks.landmarkProblems(html));
            found.addAll(Html5Check.headingOutline(html));
            if (!found.isEmpty()) {
                problems.put(entry.getKey(), found);
            }
        }
        assertEquals(Map.of(), problems);

        Document front = Jsoup.parse(invoke(pages.get("front")).get("body").asText());
        Element lead = front.selectFirst("article.lead img");
        assertEquals("high", lead.attr("fetchpriority"));
        assertFalse(lead.hasAttr("loading"), "the lead loads at once");
        assertTrue(lead.attr("srcset").endsWith("/images/quiet-channels.jpg 1600w"), "every size up to the original");
        Element thumbnail = front.selectFirst(".front-latest img");
        assertEquals("/images/elsewhere-320w-d4e5f6a7b8.jpg", thumbnail.attr("src"), "a teaser shows the smallest rendition");
        assertEquals("/images/elsewhere-320w-d4e5f6a7b8.jpg 320w, /images/elsewhere-640w-e5f6a7b8c9.jpg 640w", thumbnail.attr("srcset"));
        assertEquals("320", thumbnail.attr("width"));
        assertEquals("240", thumbnail.attr("height"));
        assertEquals("lazy", thumbnail.attr("loading"));
        Element unsized = Jsoup.parse(invoke(pages.get("article, unsized image")).get("body").asText()).selectFirst("figure.top-image img");
        assertEquals("1200", unsized.attr("width"), "space kept at 16:9 until ingest has measured the image");
        assertFalse(unsized.hasAttr("srcset"));
    }

    @Test
    void theStylesheetKeepsTextAtAaContrastShowsFocusAndWidensTheFrontPage() throws IOException {
        String html = get("GET /", "/", Map.of(), Map.of(), Map.of()).get("body").asText();
        String css = Jsoup.parse(html).selectFirst("style").data();
        assertEquals(List.of(), PageChecks.contrastProblems(css));
        assertTrue(css.contains("a:focus-visible,button:focus-visible,input:focus-visible{outline:3px solid"), "every link and control shows focus");
        assertTrue(css.contains("@media (min-width:56.25rem){main.front{max-width:72rem"), "phone first; the wider front page from 900 px");
        assertFalse(css.contains("max-width:30rem"), "no desktop-first override for phones");
    }

    private static byte[] article(String slug) {
        return HttpApiEvents.get("GET /articles/{slug}", "/articles/" + slug, Map.of("slug", slug), Map.of(), Map.of());
    }

    private static byte[] listing(String kind, String slug, Map<String, String> query) {
        return HttpApiEvents.get("GET /" + kind + "/{slug}", "/" + kind + "/" + slug, Map.of("slug", slug), query, Map.of());
    }

    private JsonNode get(String routeKey, String path, Map<String, String> pathParameters, Map<String, String> query, Map<String, String> headers) throws IOException {
        return invoke(HttpApiEvents.get(routeKey, path, pathParameters, query, headers));
    }

    private JsonNode invoke(byte[] event) throws IOException {
        return invoke(handler, event);
    }

    private static JsonNode invoke(PageHandler target, byte[] event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        target.handleRequest(new ByteArrayInputStream(event), out, null);
        return JSON.readTree(out.toByteArray());
    }

    /**
     * Runs {@code action} with standard output going to {@code log}. The handler logs to the
     * standard output it finds when it is created, so a handler created in {@code action} goes on
     * logging there afterwards.
     */
    private static <T> T withLogTo(ByteArrayOutputStream log, Supplier<T> action) {
        PrintStream original = System.out;
        System.setOut(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            return action.get();
        } finally {
            System.setOut(original);
        }
    }

    private static List<JsonNode> logLines(ByteArrayOutputStream log, String level) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : log.toString(StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("{")) {
                JsonNode node = JSON.readTree(line);
                if (node.path("level").asText().equals(level)) {
                    lines.add(node);
                }
            }
        }
        return lines;
    }

    private static String header(JsonNode response, String name) {
        JsonNode value = response.get("headers").get(name);
        return value == null ? null : value.asText();
    }

    private static String jsonLd(String html) {
        Matcher m = Pattern.compile("<script type=\"application/ld\\+json\">(.*?)</script>", Pattern.DOTALL).matcher(html);
        assertTrue(m.find(), "JSON-LD present");
        return m.group(1);
    }

    private static String olderCursor(String html) {
        Matcher link = Pattern.compile("href=\"[^\"?]+\\?after=([^\"]+)\" rel=\"next\"").matcher(html);
        assertTrue(link.find(), "a link to older stories");
        return java.net.URLDecoder.decode(link.group(1), StandardCharsets.UTF_8);
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            count++;
        }
        return count;
    }
}
