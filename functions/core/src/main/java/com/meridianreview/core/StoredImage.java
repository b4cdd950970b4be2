package com.meridianreview.core;

import java.util.List;

/**
 * An image ingest has checked and published: its key under images/, its size, its renditions,
 * and the upload it came from (key and S3 sequencer), so that the same upload delivered twice is
 * recognised as done rather than refused as a second image of the same name.
 */
public record StoredImage(String key, String contentType, int width, int height, List<Image.Rendition> renditions, String source) {

    public StoredImage {
        renditions = List.copyOf(renditions);
    }
}
