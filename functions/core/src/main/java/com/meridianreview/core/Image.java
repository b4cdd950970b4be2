package com.meridianreview.core;

import java.util.List;

/**
 * An image in the image bucket, with what a reader needs around it. Once the image has been
 * ingested, its size and the smaller renditions for {@code srcset} travel with it, so a page
 * needs no extra request to lay it out; {@code width} and {@code height} are 0 until then.
 */
public record Image(String key, String alt, String credit, String caption, int width, int height, List<Rendition> renditions) {

    /** A smaller copy of the image, under its own content-hashed key. */
    public record Rendition(String key, int width, int height) {
    }

    public Image {
        renditions = renditions == null ? List.of() : List.copyOf(renditions);
    }

    /** An image as an article's source names it, before its size is known. */
    public Image(String key, String alt, String credit, String caption) {
        this(key, alt, credit, caption, 0, 0, List.of());
    }

    public Image withSize(int width, int height, List<Rendition> renditions) {
        return new Image(key, alt, credit, caption, width, height, renditions);
    }

    public boolean hasSize() {
        return width > 0 && height > 0;
    }
}
