package com.meridianreview.core;

/** An image in the image bucket, with what a reader needs around it. */
public record Image(String key, String alt, String credit, String caption) {
}
