package com.meridianreview.subscribers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class NewsletterTokensTest {

    private static final String KEY = "k".repeat(40);
    private final Clock now = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);
    private final NewsletterTokens tokens = new NewsletterTokens(KEY, now);

    @Test
    void aConfirmationLinkWorksForSevenDaysAndOnlyAsSigned() {
        String token = tokens.confirmation("0123abcd", "weekly", "a1b2c3");
        assertEquals(new NewsletterTokens.Confirmation("0123abcd", "weekly", "a1b2c3"), tokens.readConfirmation(token).orElseThrow());
        NewsletterTokens later = new NewsletterTokens(KEY, Clock.offset(now, Duration.ofDays(7).plusSeconds(1)));
        assertTrue(later.readConfirmation(token).isEmpty(), "expired");
        assertTrue(new NewsletterTokens("x".repeat(40), now).readConfirmation(token).isEmpty(), "another key");
        assertTrue(tokens.readConfirmation(token.replace("weekly", "weekli")).isEmpty(), "altered");
        assertTrue(tokens.readConfirmation(token.substring(0, token.length() - 1)).isEmpty(), "truncated");
        assertTrue(tokens.readUnsubscribe(token).isEmpty(), "not an unsubscribe link");
        assertTrue(tokens.readConfirmation(null).isEmpty());
        assertTrue(tokens.readConfirmation("c....").isEmpty());
    }

    @Test
    void anUnsubscribeLinkNeverExpires() {
        String token = tokens.unsubscribe("0123abcd", "weekly");
        NewsletterTokens years = new NewsletterTokens(KEY, Clock.offset(now, Duration.ofDays(3650)));
        assertEquals(new NewsletterTokens.Unsubscribe("0123abcd", "weekly"), years.readUnsubscribe(token).orElseThrow());
        assertTrue(tokens.readConfirmation(token).isEmpty());
    }
}
