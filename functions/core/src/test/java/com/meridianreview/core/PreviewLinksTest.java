package com.meridianreview.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** An editor's preview link works for its article until it expires, and for nothing else. */
class PreviewLinksTest {

    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
    private final PreviewLinks links = new PreviewLinks("a-key-only-the-functions-know-0123456789", Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aLinkOpensItsArticleForSevenDays() {
        String link = links.link("draft-story").orElseThrow();
        Matcher parts = Pattern.compile("/preview/draft-story\\?expires=(\\d+)&sig=([A-Za-z0-9_-]{43})").matcher(link);
        assertTrue(parts.matches(), link);
        assertEquals(NOW.plusSeconds(7 * 24 * 3600).getEpochSecond(), Long.parseLong(parts.group(1)));
        assertTrue(links.admits("draft-story", parts.group(1), parts.group(2)));

        PreviewLinks later = new PreviewLinks("a-key-only-the-functions-know-0123456789", Clock.fixed(NOW.plusSeconds(7 * 24 * 3600 + 1), ZoneOffset.UTC));
        assertFalse(later.admits("draft-story", parts.group(1), parts.group(2)), "expired");
        assertFalse(links.admits("other-story", parts.group(1), parts.group(2)), "another article");
        assertFalse(links.admits("draft-story", Long.toString(Long.parseLong(parts.group(1)) + 3600), parts.group(2)), "a longer life");
        assertFalse(new PreviewLinks("another-key-0123456789-0123456789", Clock.fixed(NOW, ZoneOffset.UTC)).admits("draft-story", parts.group(1), parts.group(2)));
        assertFalse(links.admits("draft-story", "soon", parts.group(2)));
        assertFalse(links.admits("draft-story", parts.group(1), null));
    }

    @Test
    void withoutAKeyNoLinkIsMadeOrAccepted() {
        PreviewLinks none = new PreviewLinks(null, Clock.fixed(NOW, ZoneOffset.UTC));
        assertEquals(Optional.empty(), none.link("draft-story"));
        assertFalse(none.admits("draft-story", "9999999999", "x"));
    }
}
