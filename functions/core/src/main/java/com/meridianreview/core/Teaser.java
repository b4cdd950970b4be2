package com.meridianreview.core;

import java.time.Instant;
import java.util.List;

/** What a list of stories shows of one article: never its body. */
public record Teaser(
        String slug,
        String headline,
        String dek,
        String section,
        String type,
        String region,
        List<Author> authors,
        Instant publishedAt,
        Image image,
        String excerpt) {

    public Teaser {
        authors = List.copyOf(authors);
    }
}
