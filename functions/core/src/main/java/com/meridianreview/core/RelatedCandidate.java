package com.meridianreview.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * What the related-stories ranking knows of an article: enough to score it, small enough to build
 * from a listing item without reading the whole article.
 *
 * <p>Tags keep the spelling the editors gave; they are compared by their listing key (see
 * {@link #tagKey}), so "Energy" and "energy" are one tag here as they are one list on the site.
 */
public record RelatedCandidate(String slug, String section, String region, List<String> tags, Instant publishedAt) {

    public RelatedCandidate {
        Objects.requireNonNull(slug, "slug");
        Objects.requireNonNull(publishedAt, "publishedAt");
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    public static RelatedCandidate of(Article article) {
        return new RelatedCandidate(article.slug(), article.section(), article.region(), article.tags(), article.publishedAt());
    }

    /**
     * The key of a tag's list in the table, as {@link Listing} writes it: the key the store keeps
     * tag counts under, so frequencies and shared tags agree on what "one tag" is.
     */
    public static String tagKey(String tag) {
        return Listing.of(Listing.Kind.TAG, tag).key();
    }

    /** This article's distinct tag keys, in the order its tags were given. */
    public List<String> tagKeys() {
        LinkedHashSet<String> keys = new LinkedHashSet<>();
        for (String tag : tags) {
            keys.add(tagKey(tag));
        }
        return List.copyOf(new ArrayList<>(keys));
    }
}
