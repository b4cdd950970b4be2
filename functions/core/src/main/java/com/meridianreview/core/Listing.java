package com.meridianreview.core;

import java.util.Locale;

/**
 * A list of teasers, newest first: the home page's latest stories, or one section, region, tag or
 * author. {@code name} is what a reader sees; {@code slug} is what the URL and the table use.
 */
public record Listing(Kind kind, String slug, String name) {

    public static final Listing LATEST = new Listing(Kind.LATEST, "all", "Latest");

    public enum Kind {
        LATEST("latest"), SECTION("sections"), REGION("regions"), TAG("tags"), AUTHOR("authors");

        /** The URL segment of this kind's pages, as in {@code /tags/sanctions}. */
        private final String path;

        Kind(String path) {
            this.path = path;
        }
    }

    public static Listing of(Kind kind, String name) {
        return new Listing(kind, Slugs.of(name), name);
    }

    /** The partition key of this listing in the table's listing index. */
    public String key() {
        return kind.name().toLowerCase(Locale.ROOT) + "#" + slug;
    }

    public String url() {
        return kind == Kind.LATEST ? "/" : "/" + kind.path + "/" + slug;
    }
}
