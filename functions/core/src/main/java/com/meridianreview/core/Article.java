package com.meridianreview.core;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A published (or draft) article as the table holds it: everything a reader's page needs, with
 * the body already rendered to sanitized HTML at ingest.
 */
public record Article(
        String slug,
        String headline,
        String dek,
        String section,
        String type,
        String channel,
        String region,
        List<String> tags,
        List<Author> authors,
        Instant publishedAt,
        Instant updatedAt,
        Status status,
        Image image,
        String bodyHtml,
        String excerpt,
        int readingMinutes,
        List<Correction> corrections) {

    public Article {
        Objects.requireNonNull(slug, "slug");
        Objects.requireNonNull(headline, "headline");
        Objects.requireNonNull(publishedAt, "publishedAt");
        Objects.requireNonNull(status, "status");
        tags = List.copyOf(tags);
        authors = List.copyOf(authors);
        corrections = corrections == null ? List.of() : List.copyOf(corrections);
    }

    /** Published: public from {@code publishedAt} on. Draft: never public. Unpublished: taken down, its address gone (410). */
    public enum Status {
        PUBLISHED, DRAFT, UNPUBLISHED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Status fromWireName(String value) {
            return valueOf(value.toUpperCase(Locale.ROOT));
        }
    }

    public boolean isPublished() {
        return status == Status.PUBLISHED;
    }

    public Article withImage(Image image) {
        return new Article(slug, headline, dek, section, type, channel, region, tags, authors, publishedAt, updatedAt, status, image,
                bodyHtml, excerpt, readingMinutes, corrections);
    }

    /** Whether readers may see it at {@code now}: published, and its publication time has come. */
    public boolean isLiveAt(Instant now) {
        return isPublished() && !publishedAt.isAfter(now);
    }

    /** The last time the text changed: the update time when there is one. */
    public Instant modifiedAt() {
        return updatedAt != null && updatedAt.isAfter(publishedAt) ? updatedAt : publishedAt;
    }

    public Teaser teaser() {
        return new Teaser(slug, headline, dek, section, type, region, authors, publishedAt, image, excerpt);
    }

    /** Every list this article appears in, newest first, on section, tag, author, region and home pages. */
    public List<Listing> listings() {
        if (!isPublished()) {
            return List.of();
        }
        // Keyed by table key: two spellings of one tag ("Energy", "energy") are one list, and one
        // transaction may not write the same item twice.
        LinkedHashMap<String, Listing> listings = new LinkedHashMap<>();
        Consumer<Listing> add = listing -> listings.putIfAbsent(listing.key(), listing);
        add.accept(Listing.LATEST);
        add.accept(Listing.of(Listing.Kind.SECTION, section));
        if (region != null) {
            add.accept(Listing.of(Listing.Kind.REGION, region));
        }
        tags.forEach(tag -> add.accept(Listing.of(Listing.Kind.TAG, tag)));
        authors.forEach(author -> add.accept(Listing.of(Listing.Kind.AUTHOR, author.name())));
        return List.copyOf(listings.values());
    }
}
