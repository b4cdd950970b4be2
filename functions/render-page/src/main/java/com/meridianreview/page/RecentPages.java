package com.meridianreview.page;

import com.meridianreview.core.HttpApiResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The pages this container served lately, kept so that a short DynamoDB outage shows readers a
 * recent copy instead of an error. Bounded in entries, page size and age; the oldest go first.
 */
final class RecentPages {

    /** A recent copy goes out with a short CDN lifetime, so the fresh page follows soon after the outage. */
    static final String STALE_CACHE = "public, max-age=0, s-maxage=30";

    private record Entry(HttpApiResponse response, Instant servedAt) {
    }

    private final int maxEntries;
    private final int maxBodyChars;
    private final Duration maxAge;
    private final Clock clock;
    private final Map<String, Entry> entries;

    RecentPages(int maxEntries, int maxBodyChars, Duration maxAge, Clock clock) {
        this.maxEntries = maxEntries;
        this.maxBodyChars = maxBodyChars;
        this.maxAge = maxAge;
        this.clock = clock;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > RecentPages.this.maxEntries;
            }
        };
    }

    /** Keeps a page served with 200, unless it must not be stored (a signed preview is no-store, and must not outlive its check). */
    synchronized void remember(String address, HttpApiResponse response) {
        String cacheControl = response.headers().getOrDefault("cache-control", "");
        if (response.statusCode() == 200 && !cacheControl.contains("no-store") && response.body().length() <= maxBodyChars) {
            entries.put(address, new Entry(response, clock.instant()));
        } else if (response.statusCode() != 304) {
            // A page that is gone (a takedown answers 410) must not come back as a copy during an outage.
            entries.remove(address);
        }
    }

    /** The copy of this address, if one was served within the age limit, with headers fit for an outage. */
    synchronized Optional<HttpApiResponse> recall(String address) {
        Entry entry = entries.get(address);
        if (entry == null || entry.servedAt().plus(maxAge).isBefore(clock.instant())) {
            return Optional.empty();
        }
        Map<String, String> headers = new LinkedHashMap<>(entry.response().headers());
        headers.put("cache-control", STALE_CACHE);
        return Optional.of(HttpApiResponse.of(200, headers, entry.response().body()));
    }
}
