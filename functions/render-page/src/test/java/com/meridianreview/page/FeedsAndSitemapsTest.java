package com.meridianreview.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.meridianreview.core.Article;
import com.meridianreview.core.Articles;
import com.meridianreview.core.Author;
import com.meridianreview.core.Config;
import com.meridianreview.core.ContentStore;
import com.meridianreview.core.DynamoDbFixtures;
import com.meridianreview.core.Image;
import com.meridianreview.core.RequestCounter;
import com.meridianreview.emulators.EmulatorsExtension;
import com.meridianreview.emulators.TestResources;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The feeds, sitemaps and robots.txt, parsed as the readers and crawlers that fetch them parse them. */
@ExtendWith(EmulatorsExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FeedsAndSitemapsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SITE = "https://www.example.org";
    private static final String ATOM = "http://www.w3.org/2005/Atom";
    private static final String DC = "http://purl.org/dc/elements/1.1/";
    private static final String SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9";
    private static final String NEWS = "http://www.google.com/schemas/sitemap-news/0.9";
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    /** What readers may see at NOW, newest first. */
    private static final List<String> LIVE = new ArrayList<>();
    private static final List<String> NEVER_LISTED = List.of("scheduled", "unfinished", "withdrawn");
    private static final String HOSTILE_HEADLINE = "Tariffs & <Trade> \"Talks\" ]]> \u0001end";

    private final RequestCounter requests = new RequestCounter();
    private PageHandler handler;
    private PageHandler smallSitemaps;
    private TestResources resources;

    @BeforeAll
    void publishContent(TestResources resources) {
        this.resources = resources;
        DynamoDbClient dynamoDb = DynamoDbFixtures.client(resources.emulators(), requests);
        String table = resources.name("content");
        DynamoDbFixtures.createContentTable(dynamoDb, table);
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        ContentStore store = new ContentStore(dynamoDb, table, clock);

        store.publish(new Article("just-in", HOSTILE_HEADLINE, "dek <b>", "Analysis", "Reporting", null, "Asia", List.of("Trade"),
                List.of(Author.named("Ruth Achieng")), NOW.minus(Duration.ofHours(1)), null, Article.Status.PUBLISHED,
                new Image("j.jpg", "alt", "credit", null), "<p>Body.</p>", "Excerpt with <markup> & more", 2, List.of()));
        store.publish(new Article("yesterday", "Quiet Channels Reopen", "Talks in Muscat.", "Diplomacy Watch", "Reporting", null, "Europe",
                List.of("Energy"), List.of(Author.named("Lena Marsh"), Author.named("Tomás Ibarra")), NOW.minus(Duration.ofHours(30)),
                NOW.minus(Duration.ofHours(2)), Article.Status.PUBLISHED, new Image("y.jpg", "alt", "credit", null), "<p>Body.</p>", null, 3, List.of()));
        store.publish(Articles.article("two-days", NOW.minus(Duration.ofHours(47)).toString(), "Diplomacy Watch", List.of("Energy")));
        store.publish(Articles.article("three-days", NOW.minus(Duration.ofHours(72)).toString(), "Analysis", List.of("Energy")));
        IntStream.rangeClosed(1, 31).forEach(i -> store.publish(
                Articles.article("archive-" + i, String.format("2026-10-%02dT08:00:00Z", i), "Analysis", List.of("Archive"))));
        store.publish(Articles.article("scheduled", NOW.plus(Duration.ofHours(2)).toString(), "Diplomacy Watch", List.of("Energy")));
        store.publish(Articles.withStatus(Articles.article("unfinished", NOW.minus(Duration.ofHours(3)).toString(), "Analysis",
                List.of("Energy")), Article.Status.DRAFT));
        Article withdrawn = Articles.article("withdrawn", NOW.minus(Duration.ofHours(5)).toString(), "Diplomacy Watch", List.of("Energy"));
        store.publish(withdrawn);
        store.publish(Articles.withStatus(withdrawn, Article.Status.UNPUBLISHED));

        LIVE.clear();
        LIVE.addAll(List.of("just-in", "yesterday", "two-days", "three-days"));
        IntStream.iterate(31, i -> i >= 1, i -> i - 1).forEach(i -> LIVE.add("archive-" + i));

        Config config = new Config(Map.of("CONTENT_TABLE", table, "SITE_URL", SITE + "/"));
        handler = new PageHandler(config, dynamoDb, clock, Sitemaps.Limits.DEFAULT);
        smallSitemaps = new PageHandler(config, dynamoDb, clock, new Sitemaps.Limits(10, 5));
    }

    @BeforeEach
    void resetCounts() {
        requests.reset();
    }

    @Test
    void theSiteFeedIsRss2OfTheLatest30WithExcerptsFromOneQuery() throws Exception {
        JsonNode response = get(handler, "/feed.xml");
        assertEquals(200, response.get("statusCode").asInt());
        assertEquals("application/rss+xml; charset=utf-8", header(response, "content-type"));
        assertEquals(HtmlResponses.PAGE_CACHE, header(response, "cache-control"), "cached as list pages are");
        assertTrue(header(response, "etag").matches("\"[0-9a-f]{24}\""));
        assertEquals(List.of("Query"), requests.operations(), "one Query, the body never read");

        Document rss = parse(response);
        Element root = rss.getDocumentElement();
        assertEquals("rss", root.getLocalName());
        assertEquals("2.0", root.getAttribute("version"));
        Element channel = only(root, "channel");
        assertEquals("The Meridian Review", text(channel, "title"));
        assertEquals(SITE + "/", text(channel, "link"));
        assertFalse(text(channel, "description").isBlank());
        assertEquals("en", text(channel, "language"));
        Element self = (Element) channel.getElementsByTagNameNS(ATOM, "link").item(0);
        assertEquals(SITE + "/feed.xml", self.getAttribute("href"));
        assertEquals("self", self.getAttribute("rel"));
        assertEquals("application/rss+xml", self.getAttribute("type"));

        List<Element> items = children(channel, "item");
        assertEquals(30, items.size(), "the latest 30 of " + LIVE.size());
        assertEquals(LIVE.subList(0, 30).stream().map(slug -> SITE + "/articles/" + slug).toList(), items.stream().map(i -> text(i, "link")).toList(),
                "newest first, and only what readers may see");
        assertEquals(text(items.get(0), "pubDate"), text(channel, "lastBuildDate"), "built when its newest story appeared");
        Instant previous = Instant.MAX;
        for (Element item : items) {
            assertFalse(text(item, "title").isBlank());
            Element guid = only(item, "guid");
            assertEquals("true", guid.getAttribute("isPermaLink"));
            assertEquals(text(item, "link"), guid.getTextContent());
            Instant published = ZonedDateTime.parse(text(item, "pubDate"), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            assertFalse(published.isAfter(previous), "newest first");
            previous = published;
            assertFalse(text(item, "description").isBlank(), "an excerpt or the dek");
            assertTrue(item.getElementsByTagNameNS(DC, "creator").getLength() >= 1);
            assertEquals(1, children(item, "category").size(), "the section");
        }

        Element hostile = items.get(0);
        assertEquals("Tariffs & <Trade> \"Talks\" ]]> end", text(hostile, "title"), "escaped, and what XML cannot hold dropped");
        assertEquals("Excerpt with <markup> & more", text(hostile, "description"), "the excerpt, as text");
        assertEquals("Analysis", text(hostile, "category"));
        assertEquals("Tue, 1 Dec 2026 11:00:00 GMT", text(hostile, "pubDate"));
        Element twoAuthors = items.get(1);
        assertEquals("Talks in Muscat.", text(twoAuthors, "description"), "the dek when there is no excerpt");
        NodeList creators = twoAuthors.getElementsByTagNameNS(DC, "creator");
        assertEquals(List.of("Lena Marsh", "Tomás Ibarra"), List.of(creators.item(0).getTextContent(), creators.item(1).getTextContent()));
        assertFalse(response.get("body").asText().contains("Body."), "excerpts, never the body");
    }

    @Test
    void eachListHasAFeedAndAnUnknownListHasNone() throws Exception {
        Map<String, String> titles = new LinkedHashMap<>();
        titles.put("/sections/diplomacy-watch/feed.xml", "The Meridian Review: Diplomacy Watch");
        titles.put("/regions/europe/feed.xml", "The Meridian Review: Europe");
        titles.put("/tags/energy/feed.xml", "The Meridian Review: Energy");
        titles.put("/authors/tomas-ibarra/feed.xml", "The Meridian Review: Tomás Ibarra");
        for (Map.Entry<String, String> feed : titles.entrySet()) {
            requests.reset();
            JsonNode response = get(handler, feed.getKey());
            assertEquals(200, response.get("statusCode").asInt(), feed.getKey());
            assertEquals(List.of("Query"), requests.operations(), feed.getKey());
            Element channel = only(parse(response).getDocumentElement(), "channel");
            assertEquals(feed.getValue(), text(channel, "title"));
            String list = feed.getKey().substring(0, feed.getKey().length() - "/feed.xml".length());
            assertEquals(SITE + list, text(channel, "link"));
            assertEquals(SITE + feed.getKey(), ((Element) channel.getElementsByTagNameNS(ATOM, "link").item(0)).getAttribute("href"));
            for (Element item : children(channel, "item")) {
                String slug = text(item, "link").substring((SITE + "/articles/").length());
                assertFalse(NEVER_LISTED.contains(slug), feed.getKey() + " lists " + slug);
            }
        }
        Element energy = only(parse(get(handler, "/tags/energy/feed.xml")).getDocumentElement(), "channel");
        assertEquals(List.of("yesterday", "two-days", "three-days"), children(energy, "item").stream()
                .map(i -> text(i, "link").substring((SITE + "/articles/").length())).toList(), "newest first, none of the unlisted");

        for (String kind : List.of("sections", "regions", "tags", "authors")) {
            for (String slug : List.of("nobody", "UPPER", "a..b", "x".repeat(300))) {
                JsonNode missing = get(handler, "/" + kind + "/" + slug + "/feed.xml", Map.of("slug", slug), Map.of());
                assertEquals(404, missing.get("statusCode").asInt(), kind + "/" + slug);
                assertTrue(missing.get("body").asText().contains("<h1>Page not found</h1>"));
            }
        }
    }

    @Test
    void theSitemapListsTheHomePageAndEveryLiveStory() throws Exception {
        JsonNode response = get(handler, "/sitemap.xml");
        assertEquals(200, response.get("statusCode").asInt());
        assertEquals("application/xml; charset=utf-8", header(response, "content-type"));
        assertEquals(HtmlResponses.SITEMAP_CACHE, header(response, "cache-control"));
        assertEquals(List.of("Query", "Query"), requests.operations(), "a page of up to 1,000, then the empty page that proves the end");

        Element urlset = parse(response).getDocumentElement();
        assertEquals(SITEMAP, urlset.getNamespaceURI());
        assertEquals("urlset", urlset.getLocalName());
        List<String> expected = new ArrayList<>(List.of(SITE + "/"));
        LIVE.forEach(slug -> expected.add(SITE + "/articles/" + slug));
        assertEquals(expected, locs(urlset, "url"));
        List<Element> urls = children(urlset, "url");
        assertEquals(NOW.minus(Duration.ofHours(1)).toString(), text(urls.get(0), "lastmod"), "the home page changes with its newest story");
        assertEquals("2026-10-01T08:00:00Z", text(urls.get(urls.size() - 1), "lastmod"));
        for (Element url : urls) {
            Instant.parse(text(url, "lastmod"));
        }
    }

    @Test
    void pastTheLimitTheSitemapIsAnIndexOfChildrenThatTogetherHoldEveryAddress() throws Exception {
        JsonNode response = get(smallSitemaps, "/sitemap.xml");
        assertEquals(200, response.get("statusCode").asInt());
        // 35 live stories, five a Query, then the empty page that proves the end.
        assertEquals(8, requests.operations().size(), requests.operations().toString());
        Element index = parse(response).getDocumentElement();
        assertEquals("sitemapindex", index.getLocalName());
        assertEquals(SITEMAP, index.getNamespaceURI());
        List<String> children = locs(index, "sitemap");
        assertEquals(IntStream.rangeClosed(1, 4).mapToObj(n -> SITE + "/sitemaps/articles-" + n + ".xml").toList(), children,
                "the home page and 35 stories, 10 a sitemap");
        for (Element sitemap : children(index, "sitemap")) {
            Instant.parse(text(sitemap, "lastmod"));
        }

        List<String> all = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        for (String child : children) {
            String name = child.substring(child.lastIndexOf('/') + 1);
            JsonNode part = get(smallSitemaps, "/sitemaps/" + name, Map.of("name", name), Map.of());
            assertEquals(200, part.get("statusCode").asInt(), name);
            assertEquals("application/xml; charset=utf-8", header(part, "content-type"));
            Element urlset = parse(part).getDocumentElement();
            assertEquals("urlset", urlset.getLocalName());
            List<String> locs = locs(urlset, "url");
            sizes.add(locs.size());
            all.addAll(locs);
        }
        assertEquals(List.of(10, 10, 10, 6), sizes);
        assertEquals(locs(parse(get(handler, "/sitemap.xml")).getDocumentElement(), "url"), all, "every address once, in order");

        for (String name : List.of("articles-5.xml", "articles-0.xml", "articles-01.xml", "articles-1", "articles-99999999.xml", "index.xml", "..")) {
            assertEquals(404, get(smallSitemaps, "/sitemaps/" + name, Map.of("name", name), Map.of()).get("statusCode").asInt(), name);
        }
        assertEquals(404, get(handler, "/sitemaps/articles-1.xml", Map.of("name", "articles-1.xml"), Map.of()).get("statusCode").asInt(),
                "no children while one sitemap holds everything");
    }

    @Test
    void theNewsSitemapHoldsTheLast48HoursOnly() throws Exception {
        JsonNode response = get(handler, "/news-sitemap.xml");
        assertEquals(200, response.get("statusCode").asInt());
        assertEquals("application/xml; charset=utf-8", header(response, "content-type"));
        assertEquals(List.of("Query"), requests.operations(), "paging stops at the first story older than 48 hours");

        Element urlset = parse(response).getDocumentElement();
        assertEquals(SITEMAP, urlset.getNamespaceURI());
        assertEquals(List.of(SITE + "/articles/just-in", SITE + "/articles/yesterday", SITE + "/articles/two-days"), locs(urlset, "url"));
        for (Element url : children(urlset, "url")) {
            Element news = (Element) url.getElementsByTagNameNS(NEWS, "news").item(0);
            Element publication = (Element) news.getElementsByTagNameNS(NEWS, "publication").item(0);
            assertEquals("The Meridian Review", publication.getElementsByTagNameNS(NEWS, "name").item(0).getTextContent());
            assertEquals("en", publication.getElementsByTagNameNS(NEWS, "language").item(0).getTextContent());
            Instant published = Instant.parse(news.getElementsByTagNameNS(NEWS, "publication_date").item(0).getTextContent());
            assertTrue(published.isAfter(NOW.minus(Duration.ofHours(48))) && !published.isAfter(NOW), published.toString());
            assertFalse(news.getElementsByTagNameNS(NEWS, "title").item(0).getTextContent().isBlank());
        }
        assertEquals(HOSTILE_HEADLINE.replace("\u0001", ""), ((Element) urlset.getElementsByTagNameNS(NEWS, "title").item(0)).getTextContent());
    }

    @Test
    void robotsTxtKeepsCrawlersOutOfPrivateAddressesAndNamesTheSitemaps() throws IOException {
        JsonNode response = get(handler, "/robots.txt");
        assertEquals(200, response.get("statusCode").asInt());
        assertEquals("text/plain; charset=utf-8", header(response, "content-type"));
        assertEquals(List.of(), requests.operations());
        List<String> lines = List.of(response.get("body").asText().split("\n"));
        for (String line : List.of("User-agent: *", "Allow: /", "Disallow: /preview/", "Disallow: /api/", "Disallow: /editor", "Disallow: /newsletter/",
                "Sitemap: " + SITE + "/sitemap.xml", "Sitemap: " + SITE + "/news-sitemap.xml")) {
            assertTrue(lines.contains(line), line);
        }
    }

    @Test
    void pagesAdvertiseTheirFeeds() throws IOException {
        String site = "<link rel=\"alternate\" type=\"application/rss+xml\" title=\"The Meridian Review\" href=\"" + SITE + "/feed.xml\">";
        String home = get(handler, "/", Map.of(), Map.of(), "GET /").get("body").asText();
        assertTrue(home.contains(site), home);
        String article = get(handler, "/articles/yesterday", Map.of("slug", "yesterday"), Map.of(), "GET /articles/{slug}").get("body").asText();
        assertTrue(article.contains(site));
        String tag = get(handler, "/tags/energy", Map.of("slug", "energy"), Map.of(), "GET /tags/{slug}").get("body").asText();
        assertTrue(tag.contains("<link rel=\"alternate\" type=\"application/rss+xml\" title=\"The Meridian Review: Energy\" href=\""
                + SITE + "/tags/energy/feed.xml\">"), tag);
        assertTrue(tag.contains(site), "and the whole site's");
        String author = get(handler, "/authors/tomas-ibarra", Map.of("slug", "tomas-ibarra"), Map.of(), "GET /authors/{slug}").get("body").asText();
        assertTrue(author.contains("href=\"" + SITE + "/authors/tomas-ibarra/feed.xml\""));
    }

    @Test
    void headAndConditionalRequestsWorkAsOnPagesAndOtherMethodsAreRefused() throws IOException {
        for (String path : List.of("/feed.xml", "/sitemap.xml", "/news-sitemap.xml", "/robots.txt")) {
            JsonNode full = get(handler, path);
            JsonNode head = invoke(handler, HttpApiEvents.request("HEAD", "ANY " + path, path, Map.of(), Map.of(), Map.of()));
            assertEquals(200, head.get("statusCode").asInt(), path);
            assertEquals("", head.get("body").asText(), path);
            assertEquals(header(full, "content-type"), header(head, "content-type"));
            assertEquals(header(full, "etag"), header(head, "etag"));
            JsonNode again = invoke(handler, HttpApiEvents.request("GET", "ANY " + path, path, Map.of(), Map.of(), Map.of("if-none-match", header(full, "etag"))));
            assertEquals(304, again.get("statusCode").asInt(), path);
            JsonNode post = invoke(handler, HttpApiEvents.request("POST", "ANY " + path, path, Map.of(), Map.of(), Map.of()));
            assertEquals(405, post.get("statusCode").asInt(), path);
        }
    }

    @Test
    void oddQueriesAreIgnoredAndNeverAnError() throws IOException {
        List<Map<String, String>> queries = List.of(Map.of("after", "garbage"), Map.of("after", "x\"}<"), Map.of("after", "2000-01-01T00:00:00Z#x"),
                Map.of("after", "2999-01-01T00:00:00Z#x"), Map.of("limit", "-1"), Map.of("limit", "99999999999"), Map.of("expires", "0", "sig", "%00"));
        Map<String, Map<String, String>> routes = new LinkedHashMap<>();
        routes.put("/feed.xml", Map.of());
        routes.put("/tags/energy/feed.xml", Map.of("slug", "energy"));
        routes.put("/sitemap.xml", Map.of());
        routes.put("/sitemaps/articles-1.xml", Map.of("name", "articles-1.xml"));
        routes.put("/news-sitemap.xml", Map.of());
        routes.put("/robots.txt", Map.of());
        for (Map.Entry<String, Map<String, String>> route : routes.entrySet()) {
            PageHandler target = route.getKey().startsWith("/sitemaps/") ? smallSitemaps : handler;
            String plain = get(target, route.getKey(), route.getValue(), Map.of()).get("body").asText();
            for (Map<String, String> query : queries) {
                JsonNode response = get(target, route.getKey(), route.getValue(), query);
                assertEquals(200, response.get("statusCode").asInt(), route.getKey() + " " + query);
                assertEquals(plain, response.get("body").asText(), "feeds and sitemaps take no query parameters");
            }
        }
    }

    @Test
    void aFailingTableGivesTheUncachedErrorPageAsPagesDo() throws IOException {
        PageHandler broken = new PageHandler(new Config(Map.of("CONTENT_TABLE", resources.name("missing-table"))),
                DynamoDbFixtures.client(resources.emulators()));
        for (String path : List.of("/feed.xml", "/sitemap.xml", "/news-sitemap.xml")) {
            JsonNode response = get(broken, path);
            assertEquals(500, response.get("statusCode").asInt(), path);
            assertEquals("no-store", header(response, "cache-control"));
            assertFalse(response.get("body").asText().contains("Exception"));
        }
        assertEquals(200, get(broken, "/robots.txt").get("statusCode").asInt(), "robots.txt needs no table");
    }

    private static Document parse(JsonNode response) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
        factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        factory.setXIncludeAware(false);
        factory.setExpandEntityReferences(false);
        String body = response.get("body").asText();
        assertTrue(body.matches("(?s)<\\?xml version=.1\\.0. encoding=.UTF-8.\\?>.*"), body);
        return factory.newDocumentBuilder().parse(new InputSource(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))));
    }

    /** The direct children of this name, in the parent's own namespace (sitemaps) or none (RSS). */
    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element e && e.getLocalName().equals(name)
                    && java.util.Objects.equals(e.getNamespaceURI(), parent.getNamespaceURI())) {
                found.add(e);
            }
        }
        return found;
    }

    private static Element only(Element parent, String name) {
        List<Element> found = children(parent, name);
        assertEquals(1, found.size(), name + " in " + parent.getLocalName());
        return found.get(0);
    }

    private static String text(Element parent, String name) {
        return only(parent, name).getTextContent();
    }

    private static List<String> locs(Element root, String entry) {
        List<String> locs = new ArrayList<>();
        for (Element element : children(root, entry)) {
            String loc = text(element, "loc");
            assertTrue(loc.startsWith(SITE + "/"), "absolute: " + loc);
            locs.add(loc);
        }
        return locs;
    }

    private JsonNode get(PageHandler target, String path) throws IOException {
        String[] segments = path.split("/");
        Map<String, String> parameters = segments.length == 4 ? Map.of("slug", segments[2]) : Map.of();
        return get(target, path, parameters, Map.of());
    }

    private JsonNode get(PageHandler target, String path, Map<String, String> pathParameters, Map<String, String> query) throws IOException {
        return get(target, path, pathParameters, query, "ANY " + routeOf(path));
    }

    private JsonNode get(PageHandler target, String path, Map<String, String> pathParameters, Map<String, String> query, String routeKey) throws IOException {
        return invoke(target, HttpApiEvents.get(routeKey, path, pathParameters, query, Map.of()));
    }

    /** The template route an address matches, as API Gateway would pick it. */
    private static String routeOf(String path) {
        if (path.startsWith("/sitemaps/")) {
            return "/sitemaps/{name}";
        }
        return path.matches("/(sections|regions|tags|authors)/[^/]+/feed\\.xml") ? path.replaceFirst("/[^/]+/feed\\.xml$", "/{slug}/feed.xml") : path;
    }

    private static JsonNode invoke(PageHandler target, byte[] event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        target.handleRequest(new ByteArrayInputStream(event), out, null);
        return JSON.readTree(out.toByteArray());
    }

    private static String header(JsonNode response, String name) {
        JsonNode value = response.get("headers").get(name);
        return value == null ? null : value.asText();
    }
}
