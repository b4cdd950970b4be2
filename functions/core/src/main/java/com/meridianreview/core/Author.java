package com.meridianreview.core;

/** A byline. The slug names the author's page. */
public record Author(String name, String slug) {

    public static Author named(String name) {
        return new Author(name, Slugs.of(name));
    }
}
