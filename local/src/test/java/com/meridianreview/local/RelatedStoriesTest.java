package com.meridianreview.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.meridianreview.emulators.EmulatorsExtension;
import com.meridianreview.emulators.TestResources;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The related-stories API through the runner, on the sample content as ingest published it: every
 * published story has related stories, never itself, never a draft, best first, and the article
 * page's "keep reading" shows the same ranking.
 */
@ExtendWith(EmulatorsExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RelatedStoriesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DRAFT = "a-missile-test-moratorium-is-worth-the-gamble";
    private final HttpClient http = HttpClient.newHttpClient();
    private LocalRunner runner;
    private List<String> published;

    @BeforeAll
    void start(TestResources resources) throws Exception {
        runner = LocalRunner.start(new LocalRunner.Options(0, null, true, LocalRunnerTest.TEMPLATE, LocalRunnerTest.SAMPLES, resources.prefix()),
                resources.emulators(), new PrintStream(java.io.OutputStream.nullOutputStream()));
        try (Stream<Path> files = Files.list(LocalRunnerTest.SAMPLES.resolve("articles"))) {
            published = files.map(f -> f.getFileName().toString().replace(".md", "")).filter(slug -> !slug.equals(DRAFT)).sorted().toList();
        }
    }

    @AfterAll
    void stop() {
        if (runner != null) {
            runner.close();
        }
    }

    @Test
    void everyPublishedStoryHasRelatedStoriesBestFirstAndNeverItselfOrADraft() throws Exception {
        for (String slug : published) {
            HttpResponse<String> answer = get("/api/related/" + slug);
            assertEquals(200, answer.statusCode(), slug + ": " + answer.body());
            assertEquals("application/json", answer.headers().firstValue("content-type").orElse(""));
            JsonNode stories = JSON.readTree(answer.body());
            assertTrue(stories.size() >= 1 && stories.size() <= 4, slug + " has 1 to 4 related stories by default: " + stories.size());
            Set<String> seen = new HashSet<>();
            double previous = Double.MAX_VALUE;
            for (JsonNode story : stories) {
                String related = story.get("slug").asText();
                assertFalse(related.equals(slug), slug + " is not related to itself");
                assertFalse(related.equals(DRAFT), "a draft is nobody's related story");
                assertTrue(seen.add(related), slug + ": no duplicates");
                assertTrue(published.contains(related));
                double score = story.get("score").asDouble();
                assertTrue(score <= previous, slug + ": best first");
                previous = score;
                assertEquals("http://127.0.0.1:" + runner.port() + "/articles/" + related, story.get("url").asText());
                assertFalse(Instant.parse(story.get("publishedAt").asText()).isAfter(Instant.now()));
                for (String field : List.of("headline", "dek", "section", "region")) {
                    assertTrue(story.hasNonNull(field), slug + " → " + related + " has " + field);
                }
                JsonNode image = story.get("image");
                assertTrue(image.get("url").asText().startsWith("http://127.0.0.1:" + runner.port() + "/images/"));
                assertTrue(image.get("width").asInt() > 0 && image.get("height").asInt() > 0 && image.hasNonNull("alt") && image.hasNonNull("credit"));
            }
        }
    }

    @Test
    void theArticlePageKeepsReadingInTheSameOrder() throws Exception {
        for (String slug : published) {
            List<String> api = new ArrayList<>();
            JSON.readTree(get("/api/related/" + slug + "?limit=3").body()).forEach(story -> api.add(story.get("slug").asText()));
            String page = get("/articles/" + slug).body();
            int start = page.indexOf("<section class=\"more keep-reading\"");
            assertTrue(start > 0, slug + " has a keep-reading block");
            String block = page.substring(start, page.indexOf("</section>", start));
            List<String> shown = new ArrayList<>();
            Matcher link = Pattern.compile("href=\"/articles/([a-z0-9-]+)\"").matcher(block);
            while (link.find()) {
                if (!shown.contains(link.group(1))) {
                    shown.add(link.group(1));
                }
            }
            assertEquals(api, shown, slug);
        }
    }

    @Test
    void limitsAndUnknownStoriesAreAnsweredPlainly() throws Exception {
        String slug = "quiet-channels-reopen-between-gulf-rivals";
        assertEquals(1, JSON.readTree(get("/api/related/" + slug + "?limit=1").body()).size());
        assertTrue(JSON.readTree(get("/api/related/" + slug + "?limit=12").body()).size() <= 12);
        for (String limit : List.of("0", "13", "-1", "abc", "4.5", "99999999999999999999", "")) {
            HttpResponse<String> answer = get("/api/related/" + slug + "?limit=" + limit);
            assertEquals(400, answer.statusCode(), "limit=" + limit);
            assertEquals("application/problem+json", answer.headers().firstValue("content-type").orElse(""));
            assertEquals("limit", JSON.readTree(answer.body()).get("errors").get(0).get("field").asText());
        }
        for (String unknown : List.of("no-such-story", DRAFT, "UPPER", "..%2F..%2Fetc", "%00")) {
            HttpResponse<String> answer = get("/api/related/" + unknown);
            assertEquals(404, answer.statusCode(), unknown);
            assertEquals("application/problem+json", answer.headers().firstValue("content-type").orElse(""));
        }
    }

    @Test
    void theCdnAndBrowsersCanCacheAndRevalidateIt() throws Exception {
        HttpResponse<String> first = get("/api/related/baltic-grid-after-the-switch");
        String etag = first.headers().firstValue("etag").orElseThrow();
        assertTrue(first.headers().firstValue("cache-control").orElse("").contains("s-maxage="));
        assertEquals("http://127.0.0.1:" + runner.port(), first.headers().firstValue("access-control-allow-origin").orElse(""),
                "only the site's own pages may read it from a script");
        HttpResponse<String> again = http.send(HttpRequest.newBuilder(address("/api/related/baltic-grid-after-the-switch"))
                .header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(304, again.statusCode());
        assertEquals("", again.body());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(address(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI address(String path) {
        return URI.create("http://127.0.0.1:" + runner.port() + path);
    }
}
