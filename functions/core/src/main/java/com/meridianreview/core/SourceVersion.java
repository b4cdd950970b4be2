package com.meridianreview.core;

import java.time.Instant;

/**
 * Orders the versions of an article's source: by the update time the editor gave it
 * ({@code updatedAt}), then by the S3 event's sequencer, which grows with each write of a key.
 * Without an update time only the order of writes counts: {@code publishedAt} is not an edit
 * time (moving a scheduled story earlier must not make the new version look older). Both parts
 * are fixed-width in {@link #value()}, so the strings compare as the versions do.
 */
public record SourceVersion(String value) {

    private static final int SEQUENCER_WIDTH = 32;

    public static SourceVersion of(Article article, String sequencer) {
        return of(article.updatedAt() != null ? article.updatedAt() : Instant.EPOCH, sequencer);
    }

    public static SourceVersion of(Instant editedAt, String sequencer) {
        return new SourceVersion(String.format("%015d", editedAt.toEpochMilli()) + "#" + comparableSequencer(sequencer));
    }

    /** An S3 sequencer as a fixed-width string that compares as S3 says sequencers compare. */
    public static String comparableSequencer(String sequencer) {
        String hex = sequencer == null ? "" : sequencer.toUpperCase(java.util.Locale.ROOT);
        if (!hex.matches("[0-9A-F]{0,32}")) {
            throw new IllegalArgumentException("a sequencer is up to 32 hex digits, not " + sequencer);
        }
        // S3 compares sequencers of different lengths after padding the shorter on the left with zeros.
        return "0".repeat(SEQUENCER_WIDTH - hex.length()) + hex;
    }
}
