package com.meridianreview.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meridianreview.core.Article;
import com.meridianreview.core.Author;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArticleSourceTest {

    static final String FRONT_MATTER = """
            ---
            headline: "Quiet Channels Reopen"
            dek: "Talks in Muscat suggest both sides want a floor under their rivalry."
            section: "Diplomacy Watch"
            type: "Reporting"
            channel: "Field Notes"
            region: "Middle East"
            tags: ["Energy", "Tomás Ibarra", "Energy"]
            authors: ["Lena Marsh", "Tomás Ibarra"]
            publishedAt: "2026-11-20T09:30:00Z"
            updatedAt: 2026-11-21T14:00:00+01:00
            status: "published"
            image:
              key: "quiet-channels.jpg"
              alt: "Map-like shapes"
              credit: "Meridian Review graphics desk"
            corrections:
              - date: "2026-11-22"
                text: "An earlier version misstated the date of the summit."
            ---
            """;

    private final ArticleSource sources = new ArticleSource();

    @Test
    void readsFrontMatterAndRendersTheBody() throws InvalidSourceException {
        Article article = sources.parse("quiet-channels", FRONT_MATTER + """
                Officials met in Muscat three times.

                ## In other news this week

                > "We want a floor," said one official.

                - first
                - second

                See [the report](https://example.org/report).
                """);

        assertEquals("Quiet Channels Reopen", article.headline());
        assertEquals("Diplomacy Watch", article.section());
        assertEquals(List.of("Energy", "Tomás Ibarra"), article.tags(), "duplicates dropped, order kept");
        assertEquals(List.of(new Author("Lena Marsh", "lena-marsh"), new Author("Tomás Ibarra", "tomas-ibarra")), article.authors());
        assertEquals(Instant.parse("2026-11-20T09:30:00Z"), article.publishedAt());
        assertEquals(Instant.parse("2026-11-21T13:00:00Z"), article.updatedAt());
        assertEquals(Article.Status.PUBLISHED, article.status());
        assertEquals("quiet-channels.jpg", article.image().key());
        assertNull(article.image().caption());
        assertEquals(LocalDate.parse("2026-11-22"), article.corrections().get(0).date());
        assertTrue(article.bodyHtml().contains("<h2 id=\"h-in-other-news-this-week\">In other news this week</h2>"), article.bodyHtml());
        assertTrue(article.bodyHtml().contains("<blockquote>"));
        assertTrue(article.bodyHtml().contains("<a href=\"https://example.org/report\" rel=\"noopener\">the report</a>"), article.bodyHtml());
        assertEquals("Officials met in Muscat three times.", article.excerpt());
        assertEquals(1, article.readingMinutes());
    }

    @Test
    void rawHtmlAndDangerousLinksAreRefusedWithTheirLines() {
        int bodyLine = (int) FRONT_MATTER.lines().count() + 1;
        List<String> problems = assertThrows(InvalidSourceException.class, () -> sources.parse("hostile", FRONT_MATTER + """
                <script>alert(1)</script>

                Text with <img src=x onerror=alert(2)> inside.

                [click](javascript:alert(3)) and ![pic](data:image/png;base64,AAAA) and [ok](/articles/other)
                """)).problems();
        assertEquals(List.of(
                "line " + bodyLine + ": raw HTML (\"<script>alert(1)</script>\") is not allowed in a body: write it in Markdown",
                "line " + (bodyLine + 2) + ": raw HTML (\"<img src=x onerror=alert(2)>\") is not allowed in a body: write it in Markdown",
                "line " + (bodyLine + 4) + ": the link to \"javascript:alert(3)\" is not allowed: use an https:// address or a path on the site",
                "line " + (bodyLine + 4) + ": the image to \"data:image/png;base64,AAAA\" is not allowed: use an https:// address or a path on the site"
                        + " (images must be https:// or under /images/)"), problems);
    }

    @Test
    void plainHttpImagesAndImagesOutsideTheImagePathAreRefused() {
        List<String> problems = assertThrows(InvalidSourceException.class, () -> sources.parse("pictures", FRONT_MATTER
                + "![a](http://example.org/a.jpg) ![b](/articles/b.jpg) ![c](/images/c.jpg) ![d](https://example.org/d.jpg)\n")).problems();
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("\"http://example.org/a.jpg\""), problems.toString());
        assertTrue(problems.get(1).contains("\"/articles/b.jpg\""), problems.toString());
    }

    @Test
    void aBodyNestedThousandsDeepIsARejectionNotACrash() {
        for (String body : List.of(">".repeat(100_000) + " text\n", "- ".repeat(40_000) + "text\n", "*".repeat(50_000) + "text" + "*".repeat(50_000) + "\n")) {
            // Published, or refused with a sentence an editor can read; never a crash that would be retried.
            try {
                assertTrue(sources.parse("deep", FRONT_MATTER + body).bodyHtml().length() > 0);
            } catch (InvalidSourceException refused) {
                assertEquals(1, refused.problems().size(), refused.problems().toString());
                assertTrue(refused.problems().get(0).startsWith("the body "), refused.problems().toString());
            }
        }
    }

    @Test
    void theRendererStaysStrictWhateverReachesIt() {
        ArticleBody body = new ArticleBody.Renderer().render("""
                <script>alert(1)</script>

                <img src=x onerror=alert(2)>

                [click](javascript:alert(3)) and [ok](/articles/other)

                # A second headline
                """);
        String html = body.html();
        assertFalse(html.contains("<script"), html);
        assertFalse(html.matches("(?s).*<[^>]*onerror.*"), "no element carries an event handler: " + html);
        assertFalse(html.contains("javascript:"), html);
        assertTrue(html.contains("&lt;script&gt;"), "raw HTML is shown as text: " + html);
        assertTrue(html.contains("<a href=\"/articles/other\">ok</a>"), html);
        assertFalse(html.contains("<h1"), "the body cannot add a second h1: " + html);
    }

    @Test
    void reportsEveryProblemAtOnce() {
        InvalidSourceException problem = assertThrows(InvalidSourceException.class, () -> sources.parse("Bad Slug", """
                ---
                headline: ""
                section: "Analysis"
                type: "Analysis"
                region: "Europe"
                tags: []
                authors: ["Ruth Achieng"]
                publishedAt: "last tuesday"
                status: "maybe"
                image:
                  key: "../../secret.svg"
                ---
                Body.
                """));
        List<String> problems = problem.problems();
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("file name")), problems.toString());
        assertTrue(problems.contains("line 2: headline is required"), "a field that is there gets its line: " + problems);
        assertTrue(problems.contains("dek is required"), "a field that is missing has no line: " + problems);
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("line 6: tags must list")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("line 8: publishedAt must be")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("line 9: status must be")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("line 10: image.key must name")), problems.toString());
        assertTrue(problems.contains("line 10: image.alt is required"), problems.toString());
        assertTrue(problems.contains("line 10: image.credit is required"), problems.toString());
    }

    @Test
    void explainsStructuralMistakes() {
        assertEquals(List.of("the file must start with a front-matter block opened by a line of three hyphens (---)"),
                assertThrows(InvalidSourceException.class, () -> sources.parse("a", "headline: x")).problems());
        assertEquals(List.of("the front-matter block is not closed by a line of three hyphens (---)"),
                assertThrows(InvalidSourceException.class, () -> sources.parse("a", "---\nheadline: x\n")).problems());
        assertTrue(assertThrows(InvalidSourceException.class, () -> sources.parse("a", "---\nheadline: [unclosed\n---\nbody"))
                .problems().get(0).startsWith("the front matter is not valid YAML"));
        assertTrue(assertThrows(InvalidSourceException.class, () -> sources.parse("a", FRONT_MATTER + "\n  \n"))
                .problems().contains("the body after the front matter is empty"));
    }

    @Test
    void twoSpellingsOfOneTagOrAuthorAreRefused() {
        String source = FRONT_MATTER.replace("tags: [\"Energy\", \"Tomás Ibarra\", \"Energy\"]", "tags: [\"Energy\", \"energy\"]")
                .replace("authors: [\"Lena Marsh\", \"Tomás Ibarra\"]", "authors: [\"Tomás Ibarra\", \"Tomas Ibarra\"]") + "Body.";
        List<String> problems = assertThrows(InvalidSourceException.class, () -> sources.parse("a", source)).problems();
        assertTrue(problems.contains("line 8: tags lists \"Energy\" and \"energy\", which are the same; keep one spelling"), problems.toString());
        assertTrue(problems.contains("line 9: authors lists \"Tomás Ibarra\" and \"Tomas Ibarra\", which are the same; keep one spelling"), problems.toString());
    }

    @Test
    void aBodyTooLargeForTheTableIsRefused() {
        String source = FRONT_MATTER + "<&>".repeat(40_000);
        List<String> problems = assertThrows(InvalidSourceException.class, () -> sources.parse("a", source)).problems();
        assertTrue(problems.get(0).startsWith("the body is ") && problems.get(0).endsWith("so split the article"), problems.toString());
    }

    @Test
    void aLongListOfCorrectionsIsRefused() {
        StringBuilder corrections = new StringBuilder("corrections:\n");
        for (int i = 0; i < 21; i++) {
            corrections.append("  - date: \"2026-11-22\"\n    text: \"Fix ").append(i).append(".\"\n");
        }
        String source = FRONT_MATTER.replaceAll("(?s)corrections:.*?(?=---)", corrections.toString()) + "Body.";
        assertTrue(assertThrows(InvalidSourceException.class, () -> sources.parse("a", source)).problems()
                .stream().anyMatch(p -> p.matches("line \\d+: corrections lists 21; at most 20 are allowed")));
    }

    @Test
    void plainWordsStayWords() throws InvalidSourceException {
        Article article = sources.parse("norway", FRONT_MATTER.replace("region: \"Middle East\"", "region: NO")
                .replace("tags: [\"Energy\", \"Tomás Ibarra\", \"Energy\"]", "tags: [yes, 1984, Energy]") + "Body.");
        assertEquals("NO", article.region(), "YAML 1.1 would read this as false");
        assertEquals(List.of("yes", "1984", "Energy"), article.tags());
    }

    @Test
    void updateBeforePublicationIsRefused() {
        String source = FRONT_MATTER.replace("updatedAt: 2026-11-21T14:00:00+01:00", "updatedAt: \"2026-11-01T00:00:00Z\"") + "Body.";
        assertTrue(assertThrows(InvalidSourceException.class, () -> sources.parse("a", source))
                .problems().stream().anyMatch(p -> p.matches("line \\d+: updatedAt must not be before publishedAt")));
    }
}
