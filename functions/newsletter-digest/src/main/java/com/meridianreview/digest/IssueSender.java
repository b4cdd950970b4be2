package com.meridianreview.digest;

import com.meridianreview.core.JsonLog;
import com.meridianreview.core.NewsletterIssue;
import com.meridianreview.subscribers.EmailAddress;
import com.meridianreview.subscribers.ListMail;
import com.meridianreview.subscribers.NewsletterTokens;
import com.meridianreview.subscribers.Subscribers;
import java.util.Map;
import java.util.function.LongSupplier;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sesv2.model.AccountSuspendedException;
import software.amazon.awssdk.services.sesv2.model.MailFromDomainNotVerifiedException;
import software.amazon.awssdk.services.sesv2.model.NotFoundException;
import software.amazon.awssdk.services.sesv2.model.SendingPausedException;

/**
 * Sends a stored issue to the list's confirmed subscribers, a page of them at a time, each after
 * claiming their delivery record, paced under the SES quota. A run stops in good time before
 * the function's deadline and records where it got to; the next run (the resume schedule, a
 * retried event, a second delivery of the same event) goes on from there.
 */
final class IssueSender {

    static final int PAGE_SIZE = 100;
    /** SES said "slow down": that message certainly was not taken, so it is tried again after a pause, this many times. */
    static final int THROTTLE_RETRIES = 5;
    /** Refusals in a row that point at the sender rather than at the addresses: the run stops for an operator. */
    static final int REFUSALS_IN_A_ROW = 10;

    enum Result { SENT, UNFINISHED, STOPPED }

    record Outcome(Result result, SendProgress.Counts counts, String reason) {
    }

    private final Subscribers subscribers;
    private final Deliveries deliveries;
    private final SendProgress progress;
    private final ListMail mail;
    private final NewsletterTokens tokens;
    private final SendPace pace;
    private final String siteUrl;
    private final long marginMillis;
    private final JsonLog log;

    IssueSender(Subscribers subscribers, Deliveries deliveries, SendProgress progress, ListMail mail, NewsletterTokens tokens, SendPace pace,
                String siteUrl, long marginMillis, JsonLog log) {
        this.subscribers = subscribers;
        this.deliveries = deliveries;
        this.progress = progress;
        this.mail = mail;
        this.tokens = tokens;
        this.pace = pace;
        this.siteUrl = siteUrl.replaceAll("/+$", "");
        this.marginMillis = marginMillis;
        this.log = log;
    }

    /** Sends what is left of the issue, for as long as {@code remainingMillis} allows. */
    Outcome send(NewsletterIssue issue, SendProgress.Progress begun, LongSupplier remainingMillis, String requestId) throws InterruptedException {
        SendProgress.Counts total = SendProgress.Counts.NONE;
        Map<String, AttributeValue> cursor = begun.cursor();
        int refusedInARow = 0;
        while (true) {
            if (remainingMillis.getAsLong() < marginMillis) {
                return new Outcome(Result.UNFINISHED, total, "time");
            }
            Subscribers.Recipients page = subscribers.recipients(issue.list(), cursor, PAGE_SIZE);
            int sent = 0;
            int skipped = 0;
            int refused = 0;
            int inDoubt = 0;
            for (Subscribers.Recipient recipient : page.recipients()) {
                if (remainingMillis.getAsLong() < marginMillis) {
                    // The page is done again from its start next time; the records make that harmless.
                    SendProgress.Counts counts = new SendProgress.Counts(sent, skipped, refused, inDoubt);
                    progress.advance(begun, cursor, counts);
                    return new Outcome(Result.UNFINISHED, total.plus(counts), "time");
                }
                Deliveries.Claim claim = deliveries.claim(recipient.id(), issue.list(), issue.date());
                if (claim == Deliveries.Claim.DONE_BEFORE) {
                    skipped++;
                    continue;
                }
                if (claim == Deliveries.Claim.IN_DOUBT) {
                    inDoubt++;
                    log.warn(requestId, "delivery in doubt: a run stopped while sending it; not sent again",
                            Map.of("issue", issue.date().toString(), "subscriber", recipient.id()));
                    continue;
                }
                Delivery delivery = deliver(issue, recipient, requestId);
                switch (delivery) {
                    case SENT -> {
                        sent++;
                        refusedInARow = 0;
                    }
                    case REFUSED -> {
                        refused++;
                        if (++refusedInARow >= REFUSALS_IN_A_ROW) {
                            SendProgress.Counts counts = new SendProgress.Counts(sent, skipped, refused, inDoubt);
                            progress.advance(begun, cursor, counts);
                            return new Outcome(Result.STOPPED, total.plus(counts), "SES refused " + REFUSALS_IN_A_ROW + " messages in a row");
                        }
                    }
                    case NOT_TAKEN, IN_DOUBT -> {
                        SendProgress.Counts counts = new SendProgress.Counts(sent, skipped, refused, inDoubt + (delivery == Delivery.IN_DOUBT ? 1 : 0));
                        progress.advance(begun, cursor, counts);
                        return new Outcome(Result.STOPPED, total.plus(counts), delivery == Delivery.IN_DOUBT
                                ? "SES could not be reached; the message in flight is in doubt" : "SES does not take mail from this sender now");
                    }
                }
            }
            SendProgress.Counts counts = new SendProgress.Counts(sent, skipped, refused, inDoubt);
            total = total.plus(counts);
            if (page.next().isEmpty()) {
                progress.finish(begun, counts);
                return new Outcome(Result.SENT, total, "");
            }
            progress.advance(begun, page.next(), counts);
            cursor = page.next();
        }
    }

    private enum Delivery { SENT, REFUSED, NOT_TAKEN, IN_DOUBT }

    private Delivery deliver(NewsletterIssue issue, Subscribers.Recipient recipient, String requestId) throws InterruptedException {
        String unsubscribe = siteUrl + "/newsletter/unsubscribe?token=" + tokens.unsubscribe(recipient.id(), issue.list());
        EmailAddress to = recipient.email();
        for (int attempt = 0; ; attempt++) {
            pace.await();
            try {
                String messageId = mail.send(to, issue.subject(), issue.text().replace(NewsletterIssue.UNSUBSCRIBE_LINK, unsubscribe),
                        issue.html().replace(NewsletterIssue.UNSUBSCRIBE_LINK, unsubscribe), unsubscribe);
                deliveries.sent(recipient.id(), issue.list(), issue.date(), messageId);
                return Delivery.SENT;
            } catch (AccountSuspendedException | SendingPausedException | MailFromDomainNotVerifiedException | NotFoundException e) {
                deliveries.release(recipient.id(), issue.list(), issue.date());
                log.error(requestId, "SES takes no mail from this sender now", Map.of("issue", issue.date().toString()), e);
                return Delivery.NOT_TAKEN;
            } catch (SdkServiceException e) {
                if (e.isThrottlingException() && attempt < THROTTLE_RETRIES) {
                    Thread.sleep(200L << attempt);
                    continue;
                }
                if (e.isThrottlingException() || e.statusCode() >= 500) {
                    // An answer from SES saying it did not take the message: the claim goes back for a later run.
                    deliveries.release(recipient.id(), issue.list(), issue.date());
                    log.warn(requestId, "SES did not take a message; a later run sends it", Map.of("status", e.statusCode(), "error", String.valueOf(e)));
                    return Delivery.NOT_TAKEN;
                }
                // Refused for this address or message (rejected, invalid): recorded, never retried for this issue.
                deliveries.refused(recipient.id(), issue.list(), issue.date(), e.getClass().getSimpleName());
                log.warn(requestId, "SES refused a message", Map.of("issue", issue.date().toString(), "subscriber", recipient.id(),
                        "error", e.getClass().getSimpleName()));
                return Delivery.REFUSED;
            } catch (SdkClientException e) {
                // No answer: SES may have taken the message. The claim stays, so it is never sent twice.
                log.error(requestId, "no answer from SES; the message in flight is in doubt",
                        Map.of("issue", issue.date().toString(), "subscriber", recipient.id()), e);
                return Delivery.IN_DOUBT;
            }
        }
    }
}
