package com.meridianreview.digest;

import com.meridianreview.core.NewsletterIssue;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns a round-up into the stored issue: the message's HTML (tables and inline styles, which is
 * what mail clients render alike; no scripts), its plain-text part, and the archive's page.
 * The precompiled template escapes every value it prints.
 */
final class IssueRenderer {

    private final TemplateEngine templates;

    IssueRenderer(TemplateEngine templates) {
        this.templates = templates;
    }

    NewsletterIssue render(RoundUp roundUp, Instant composedAt) {
        return new NewsletterIssue(roundUp.list(), roundUp.date(), roundUp.subject(), roundUp.preheader(),
                html(roundUp, false, NewsletterIssue.UNSUBSCRIBE_LINK), text(roundUp), html(roundUp, true, null), roundUp.storyCount(), composedAt);
    }

    private String html(RoundUp roundUp, boolean forBrowser, String unsubscribeUrl) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("roundUp", roundUp);
        params.put("forBrowser", forBrowser);
        params.put("unsubscribeUrl", unsubscribeUrl);
        StringOutput out = new StringOutput(32 * 1024);
        templates.render("issue.jte", params, out);
        return out.toString();
    }

    /** The plain-text part: what a text-only client shows, and what spam filters compare the HTML with. */
    static String text(RoundUp roundUp) {
        StringBuilder text = new StringBuilder(8 * 1024);
        text.append(roundUp.siteName()).append(": the weekly round-up, the week to ").append(roundUp.date()).append('\n')
                .append("View in your browser: ").append(roundUp.browserUrl()).append("\n\n");
        story(text, roundUp.lead());
        for (RoundUp.SectionBlock section : roundUp.sections()) {
            text.append("\n== ").append(section.name()).append(" ==\n\n");
            for (RoundUp.Story story : section.stories()) {
                story(text, story);
            }
        }
        text.append("--\nYou receive this because you subscribed to ").append(roundUp.siteName())
                .append("'s weekly round-up and confirmed it.\nUnsubscribe in one click: ").append(NewsletterIssue.UNSUBSCRIBE_LINK).append('\n');
        return text.toString();
    }

    private static void story(StringBuilder text, RoundUp.Story story) {
        text.append(story.headline()).append('\n');
        if (story.dek() != null && !story.dek().isBlank()) {
            text.append(story.dek()).append('\n');
        }
        text.append(story.link()).append("\n\n");
    }
}
