package com.meridianreview.core;

import java.time.Instant;
import java.util.List;

/**
 * What became of one upload under incoming/, for the editor who sent it: published (with the
 * page's address), rejected (with the problems, each naming its field), or superseded by a newer
 * version already live. Kept for {@link #KEPT_DAYS} days. {@code sequencer} is the S3 event's for
 * the write reported on, so that a late event's report never replaces a later write's.
 */
public record UploadReport(String key, State state, List<String> problems, String page, Instant checkedAt, String sequencer) {

    public static final int KEPT_DAYS = 30;

    public enum State { PUBLISHED, REJECTED, SUPERSEDED }

    public UploadReport {
        problems = List.copyOf(problems);
    }
}
