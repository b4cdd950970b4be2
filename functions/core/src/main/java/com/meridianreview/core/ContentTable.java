package com.meridianreview.core;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The key design of the content table, in one place.
 *
 * <pre>
 * item                pk                sk                          listing (GSI ByListing)   listedAt
 * article (+ body)    article#{slug}    article                     -                         -
 * teaser per listing  article#{slug}    listing#{kind}#{slug}       {kind}#{slug}             {publishedAt}#{slug}
 * upload report       upload#{key}      report                      -                         -   (expires: TTL)
 * ingested image      image#{key}       image                       -                         -
 * </pre>
 *
 * All of an article's items share a partition, so a republish reads them with one query and
 * replaces them in one transaction. Teaser items carry no body: list pages never read one.
 */
public final class ContentTable {

    public static final String PK = "pk";
    public static final String SK = "sk";
    public static final String LISTING = "listing";
    public static final String LISTED_AT = "listedAt";
    public static final String BY_LISTING_INDEX = "ByListing";
    /** Items DynamoDB deletes by itself after this time (epoch seconds): the table's TTL attribute. */
    public static final String EXPIRES_AT = "expiresAt";
    static final String UPLOAD_PREFIX = "upload#";
    static final String IMAGE_PREFIX = "image#";
    static final String IMAGE_SK = "image";
    static final String UPLOAD_SK = "report";
    /** On the article item: the version of the source it was published from (see {@link SourceVersion}). */
    public static final String SOURCE_VERSION = "sourceVersion";
    /** On an article item: its related stories, best first. */
    static final String RELATED = "related";
    /** On an article item: the slugs of the articles whose related lists hold it. */
    static final String RELATED_IN = "relatedIn";
    /** On an article item: counts writes to its related list and record, so that each write can hold only if none came between. */
    static final String RELATED_REVISION = "relatedRev";

    static final String ARTICLE_PREFIX = "article#";
    static final String ARTICLE_SK = "article";
    static final String LISTING_SK_PREFIX = "listing#";

    private ContentTable() {
    }

    static String articlePk(String slug) {
        return ARTICLE_PREFIX + slug;
    }

    static String listingSk(Listing listing) {
        return LISTING_SK_PREFIX + listing.key();
    }

    /** Fixed-width seconds so that the strings sort as the instants do. */
    static String listedAt(Instant publishedAt, String slug) {
        return publishedAt.truncatedTo(ChronoUnit.SECONDS).toString() + "#" + slug;
    }
}
