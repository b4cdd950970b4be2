package com.meridianreview.core;

import java.time.Instant;
import java.time.LocalDate;

/**
 * One issue of a newsletter as composed, frozen once so that every subscriber, and every later run
 * that continues the send, gets the same stories. {@code html} and {@code text} are the message's
 * parts, with {@link #UNSUBSCRIBE_LINK} where each subscriber's own link goes; {@code page} is the
 * same issue as a web page for the archive ("view in browser"), with no one's link in it.
 */
public record NewsletterIssue(String list, LocalDate date, String subject, String preheader, String html, String text, String page,
                              int storyCount, Instant composedAt) {

    /** Stands for a subscriber's unsubscribe address in the stored parts: characters no link or story text holds. */
    public static final String UNSUBSCRIBE_LINK = "%%UNSUBSCRIBE%%";

    /** The archive page's path on the site. */
    public String path() {
        return "/newsletter/issues/" + date;
    }
}
