package com.meridianreview.page;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.meridianreview.core.Article;
import com.meridianreview.core.Author;
import com.meridianreview.core.Image;
import com.meridianreview.core.Listing;
import com.meridianreview.core.Page;
import com.meridianreview.core.Teaser;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Rendering alone, with no table: the precompiled article and list templates on realistic content. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TemplateRendering {

    private TemplateEngine templates;
    private Map<String, Object> article;
    private Map<String, Object> listing;

    @Setup
    public void prepare() {
        templates = TemplateEngine.createPrecompiled(null, ContentType.Html, TemplateRendering.class.getClassLoader());
        Site site = new Site("The Meridian Review", "https://www.example.org", "/images/");
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            body.append("<p>").append("Officials met in Muscat three times since late September, according to people familiar. ".repeat(4)).append("</p>");
            if (i % 4 == 3) {
                body.append("<h2 id=\"part-").append(i).append("\">What to watch</h2><blockquote><p>A floor under the rivalry.</p></blockquote>");
            }
        }
        Article story = new Article("quiet-channels", "Quiet Channels Reopen Between Gulf Rivals", "Talks in Muscat suggest both sides want a floor.",
                "Diplomacy Watch", "Reporting", "QiOSK", "Middle East", List.of("Energy", "Maritime Security", "Farid Al-Nassar"),
                List.of(Author.named("Lena Marsh"), Author.named("Tomás Ibarra")), Instant.parse("2026-11-20T09:30:00Z"),
                Instant.parse("2026-11-21T14:00:00Z"), Article.Status.PUBLISHED, new Image("quiet-channels.jpg", "Map-like shapes", "Graphics desk", "Caption."),
                body.toString(), "Officials met in Muscat three times since late September.", 4, List.of());
        List<Teaser> teasers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            teasers.add(story.teaser());
        }
        article = Map.of("site", site, "view", new ArticleView(story, teasers.subList(0, 3), teasers.subList(0, 5),
                new StructuredData(new ObjectMapper().getFactory()).newsArticle(story, site), ShareLinks.of("https://www.example.org/articles/quiet-channels", story.headline())));
        listing = Map.of("site", site, "view", new ListingView(Listing.of(Listing.Kind.TAG, "Energy"), new Page<>(teasers, "2026-11-20T09:30:00Z#quiet-channels"), true));
    }

    @Benchmark
    public String articlePage() {
        StringOutput out = new StringOutput(32 * 1024);
        templates.render("article.jte", article, out);
        return out.toString();
    }

    @Benchmark
    public String listPageOfTwenty() {
        StringOutput out = new StringOutput(32 * 1024);
        templates.render("listing.jte", listing, out);
        return out.toString();
    }
}
