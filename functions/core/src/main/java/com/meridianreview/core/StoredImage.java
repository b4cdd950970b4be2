package com.meridianreview.core;

import java.util.List;

/** An image ingest has checked and published: its key under images/, its size and its renditions. */
public record StoredImage(String key, String contentType, int width, int height, List<Image.Rendition> renditions) {

    public StoredImage {
        renditions = List.copyOf(renditions);
    }
}
