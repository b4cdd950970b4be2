package com.meridianreview.page;

import com.meridianreview.core.Config;
import com.meridianreview.core.ContentStore;
import com.meridianreview.core.Listing;
import com.meridianreview.core.Page;
import com.meridianreview.core.Teaser;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The site's newest stories, which the front page and every article page show, kept in the
 * container for a short time so that a warm container serves an article with its own GetItem
 * alone and the front page often with no request at all. One list, read in one Query: memory is
 * bounded by {@link #WINDOW} teasers, and nothing a reader sends (a cursor, a query) selects what
 * is kept. A story published meanwhile shows up at most {@code ttl} later, well within what the
 * CDN keeps a page anyway.
 */
final class SiteLists {

    /** Enough for the front page's lead, latest list and a few stories per section. */
    static final int WINDOW = 60;
    static final Duration DEFAULT_TTL = Duration.ofSeconds(60);

    private record Kept(Page<Teaser> newest, Instant readAt) {
    }

    private final ContentStore store;
    private final Duration ttl;
    private final Clock clock;
    private Kept kept;

    SiteLists(ContentStore store, Duration ttl, Clock clock) {
        if (ttl.isNegative()) {
            throw new IllegalArgumentException("a list cannot be kept for a negative time: " + ttl);
        }
        this.store = store;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** At most an hour: a list kept longer would hide new stories for longer than any page is cached. */
    static final long MAX_TTL_SECONDS = 3600;

    /** {@code SITE_LISTS_TTL_SECONDS} (0 reads the table for every page); a value that is not a whole number up to an hour stops the function at init. */
    static Duration ttl(Config config) {
        String seconds = config.get("SITE_LISTS_TTL_SECONDS", Long.toString(DEFAULT_TTL.toSeconds()));
        long parsed;
        try {
            parsed = Long.parseLong(seconds.strip());
        } catch (NumberFormatException e) {
            parsed = -1;
        }
        if (parsed < 0 || parsed > MAX_TTL_SECONDS) {
            throw new IllegalStateException("SITE_LISTS_TTL_SECONDS must be a whole number of seconds from 0 to " + MAX_TTL_SECONDS + ", not " + seconds);
        }
        return Duration.ofSeconds(parsed);
    }

    /** The newest {@link #WINDOW} stories on the site, with the cursor of the page after them. */
    synchronized Page<Teaser> newest() {
        Instant now = clock.instant();
        // A clock that went back (a restored snapshot's, say) makes the kept list as suspect as an old one.
        if (kept != null && now.isBefore(kept.readAt().plus(ttl)) && !now.isBefore(kept.readAt())) {
            return kept.newest();
        }
        Page<Teaser> newest = store.teasers(Listing.LATEST, WINDOW, null);
        kept = ttl.isZero() ? null : new Kept(newest, now);
        return newest;
    }

    /**
     * For a page whose own content is read already and shows the newest stories only beside it (an
     * article's "latest"): when the table cannot answer, the list kept last, however old, or none,
     * rather than no page at all.
     */
    synchronized Page<Teaser> newestOrKept() {
        try {
            return newest();
        } catch (RuntimeException e) {
            if (!com.meridianreview.core.BackendOutage.isOutage(e)) {
                throw e;
            }
            return kept != null ? kept.newest() : new Page<>(List.of(), null);
        }
    }

    /**
     * Drops what is kept: priming reads the lists before SnapStart's snapshot, and a list restored
     * from it must not be taken for a fresh one.
     */
    synchronized void forget() {
        kept = null;
    }
}
