package com.meridianreview.core;

import java.time.Instant;
import java.util.List;

/** Articles for tests, built in code so each test states what it depends on. */
public final class Articles {

    private Articles() {
    }

    public static Article article(String slug, String publishedAt, String section, List<String> tags) {
        return new Article(slug, "Headline of " + slug, "Dek of " + slug, section, "Reporting", "Field Notes", "Middle East",
                tags, List.of(Author.named("Lena Marsh")), Instant.parse(publishedAt), null, Article.Status.PUBLISHED,
                new Image(slug + ".jpg", "Alt of " + slug, "Credit of " + slug, null),
                "<p>Body of " + slug + ".</p>", "Excerpt of " + slug, 3, List.of());
    }

    public static Article withStatus(Article a, Article.Status status) {
        return new Article(a.slug(), a.headline(), a.dek(), a.section(), a.type(), a.channel(), a.region(), a.tags(), a.authors(),
                a.publishedAt(), a.updatedAt(), status, a.image(), a.bodyHtml(), a.excerpt(), a.readingMinutes(), a.corrections());
    }

    public static Article withTags(Article a, List<String> tags) {
        return new Article(a.slug(), a.headline(), a.dek(), a.section(), a.type(), a.channel(), a.region(), tags, a.authors(),
                a.publishedAt(), a.updatedAt(), a.status(), a.image(), a.bodyHtml(), a.excerpt(), a.readingMinutes(), a.corrections());
    }
}
