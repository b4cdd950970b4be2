package com.meridianreview.page;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.meridianreview.core.Article;
import com.meridianreview.core.Author;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/** Schema.org NewsArticle JSON-LD, safe to place inside a script element. */
final class StructuredData {

    private final JsonFactory json;

    StructuredData(JsonFactory json) {
        this.json = json;
    }

    String newsArticle(Article article, Site site) {
        StringWriter out = new StringWriter(1024);
        try (JsonGenerator g = json.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("@context", "https://schema.org");
            g.writeStringField("@type", "NewsArticle");
            g.writeStringField("headline", article.headline());
            if (article.dek() != null) {
                g.writeStringField("description", article.dek());
            }
            g.writeStringField("mainEntityOfPage", site.absolute("/articles/" + article.slug()));
            if (article.image() != null) {
                g.writeArrayFieldStart("image");
                g.writeString(site.absoluteImageUrl(article.image()));
                g.writeEndArray();
            }
            g.writeStringField("datePublished", Dates.iso(article.publishedAt()));
            g.writeStringField("dateModified", Dates.iso(article.modifiedAt()));
            g.writeStringField("articleSection", article.section());
            g.writeArrayFieldStart("author");
            for (Author author : article.authors()) {
                g.writeStartObject();
                g.writeStringField("@type", "Person");
                g.writeStringField("name", author.name());
                g.writeStringField("url", site.absolute("/authors/" + author.slug()));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeObjectFieldStart("publisher");
            g.writeStringField("@type", "NewsMediaOrganization");
            g.writeStringField("name", site.name());
            g.writeStringField("url", site.absolute("/"));
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Markup characters only occur inside JSON strings, where these escapes mean the same; this
        // way no headline can end the script element early or open a comment inside it.
        return out.toString().replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
    }
}
