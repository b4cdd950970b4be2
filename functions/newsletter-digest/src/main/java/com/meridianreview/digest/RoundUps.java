package com.meridianreview.digest;

import com.meridianreview.core.JsonLog;
import com.meridianreview.core.NewsletterIssue;
import com.meridianreview.core.NewsletterIssues;
import com.meridianreview.subscribers.EmailAddress;
import com.meridianreview.subscribers.ListMail;
import com.meridianreview.subscribers.NewsletterTokens;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The round-up's life: an issue is named by the date of its scheduled time in the magazine's time
 * zone, composed once (the first run stores it; every other run, retry or duplicate reads the
 * stored one), archived, then sent; a send that did not finish is taken up again by the next run.
 */
final class RoundUps {

    record RunReport(String issue, String result, SendProgress.Counts counts, int stories, String reason) {
    }

    private final String list;
    private final ZoneId zone;
    private final RoundUpComposer composer;
    private final IssueRenderer renderer;
    private final NewsletterIssues issues;
    private final SendProgress progress;
    private final IssueSender sender;
    private final ListMail mail;
    private final NewsletterTokens tokens;
    private final String siteUrl;
    private final Clock clock;
    private final JsonLog log;

    RoundUps(String list, ZoneId zone, RoundUpComposer composer, IssueRenderer renderer, NewsletterIssues issues, SendProgress progress,
             IssueSender sender, ListMail mail, NewsletterTokens tokens, String siteUrl, Clock clock, JsonLog log) {
        this.list = list;
        this.zone = zone;
        this.composer = composer;
        this.renderer = renderer;
        this.issues = issues;
        this.progress = progress;
        this.sender = sender;
        this.mail = mail;
        this.tokens = tokens;
        this.siteUrl = siteUrl.replaceAll("/+$", "");
        this.clock = clock;
        this.log = log;
    }

    /** The issue of a scheduled time: composed and stored unless it was, then sent to whoever has not had it. */
    RunReport send(Instant scheduledTime, LongSupplier remainingMillis, String requestId) throws InterruptedException {
        LocalDate date = LocalDate.ofInstant(scheduledTime, zone);
        Optional<NewsletterIssue> stored = issues.issue(list, date);
        NewsletterIssue issue;
        if (stored.isPresent()) {
            issue = stored.get();
        } else {
            Optional<RoundUp> roundUp = composer.compose(list, date, scheduledTime);
            if (roundUp.isEmpty()) {
                log.warn(requestId, "no stories this week: no issue", Map.of("issue", date.toString()));
                return new RunReport(date.toString(), "empty", SendProgress.Counts.NONE, 0, "nothing was published in the week");
            }
            issue = issues.storeFirst(renderer.render(roundUp.get(), clock.instant()));
        }
        SendProgress.Progress begun = progress.begin(list, date);
        if (begun.state() == SendProgress.State.SENT) {
            return new RunReport(date.toString(), "sent before", SendProgress.Counts.NONE, issue.storyCount(), "");
        }
        return report(issue, sender.send(issue, newRun(), remainingMillis, requestId));
    }

    /** Goes on with the newest issue whose send has not finished; nothing when every send has. */
    Optional<RunReport> resume(LongSupplier remainingMillis, String requestId) throws InterruptedException {
        Optional<SendProgress.Progress> unfinished = progress.unfinished(list);
        if (unfinished.isEmpty()) {
            return Optional.empty();
        }
        SendProgress.Progress begun = unfinished.get();
        Optional<NewsletterIssue> issue = issues.issue(list, begun.date());
        if (issue.isEmpty()) {
            // Only a hand-made deletion does this; retrying cannot bring the issue back.
            log.error(requestId, "an unfinished send's issue is not stored; nothing to send", Map.of("issue", begun.date().toString()), null);
            return Optional.of(new RunReport(begun.date().toString(), "missing", SendProgress.Counts.NONE, 0, "the issue is not stored"));
        }
        return Optional.of(report(issue.get(), sender.send(issue.get(), newRun(), remainingMillis, requestId)));
    }

    /**
     * Each run is told apart from every other, a retry of the same event included (Lambda gives a
     * retry the same request id), so that a run never takes another's claim for its own.
     */
    private static String newRun() {
        return java.util.UUID.randomUUID().toString();
    }

    /** The next issue as it would be if it went out now, as the archive will show it. */
    Optional<String> preview() {
        Instant now = clock.instant();
        return composer.compose(list, LocalDate.ofInstant(now, zone), now).map(roundUp -> renderer.render(roundUp, now).page());
    }

    /** Sends the next issue as it stands now to one address, marked as a test; SES's message id. */
    Optional<String> testSend(EmailAddress to) {
        Instant now = clock.instant();
        return composer.compose(list, LocalDate.ofInstant(now, zone), now).map(roundUp -> {
            NewsletterIssue issue = renderer.render(roundUp, now);
            String unsubscribe = siteUrl + "/newsletter/unsubscribe?token=" + tokens.unsubscribe(to.id(), list);
            return mail.send(to, "[Test] " + issue.subject(), issue.text().replace(NewsletterIssue.UNSUBSCRIBE_LINK, unsubscribe),
                    issue.html().replace(NewsletterIssue.UNSUBSCRIBE_LINK, unsubscribe), unsubscribe);
        });
    }

    private RunReport report(NewsletterIssue issue, IssueSender.Outcome outcome) {
        return new RunReport(issue.date().toString(), outcome.result().name().toLowerCase(java.util.Locale.ROOT), outcome.counts(),
                issue.storyCount(), outcome.reason());
    }
}
