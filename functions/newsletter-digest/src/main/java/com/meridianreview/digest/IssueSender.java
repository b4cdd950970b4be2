package com.meridianreview.digest;

import com.meridianreview.core.JsonLog;
import com.meridianreview.core.NewsletterIssue;
import com.meridianreview.subscribers.EmailAddress;
import com.meridianreview.subscribers.ListMail;
import com.meridianreview.subscribers.NewsletterTokens;
import com.meridianreview.subscribers.Subscribers;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sesv2.model.BadRequestException;
import software.amazon.awssdk.services.sesv2.model.LimitExceededException;
import software.amazon.awssdk.services.sesv2.model.MessageRejectedException;
import software.amazon.awssdk.services.sesv2.model.TooManyRequestsException;

/**
 * Sends a stored issue to the list's confirmed subscribers, a page of them at a time, each after
 * claiming their delivery record, paced under the SES quota, while this run holds the send's
 * lease. A run stops in good time before the function's deadline and records where it got to;
 * the next run (the resume schedule, a retried event) goes on from there.
 */
final class IssueSender {

    static final int PAGE_SIZE = 100;
    /** SES said "slow down": that message certainly was not taken, so it is tried again after a pause, this many times. */
    static final int THROTTLE_RETRIES = 5;
    /** Refusals in a row point at the sender (an unverified From, say) rather than at the readers: the run stops and takes them back. */
    static final int REFUSALS_IN_A_ROW = 10;

    enum Result { SENT, UNFINISHED, STOPPED, BUSY }

    record Outcome(Result result, SendProgress.Counts counts, String reason) {
    }

    private enum Delivery { SENT, REFUSED, NOT_TAKEN, IN_DOUBT, OUT_OF_TIME }

    private final Subscribers subscribers;
    private final Deliveries deliveries;
    private final SendProgress progress;
    private final ListMail mail;
    private final NewsletterTokens tokens;
    private final SendPace pace;
    private final String siteUrl;
    private final long marginMillis;
    private final Clock clock;
    private final JsonLog log;

    IssueSender(Subscribers subscribers, Deliveries deliveries, SendProgress progress, ListMail mail, NewsletterTokens tokens, SendPace pace,
                String siteUrl, long marginMillis, Clock clock, JsonLog log) {
        this.subscribers = subscribers;
        this.deliveries = deliveries;
        this.progress = progress;
        this.mail = mail;
        this.tokens = tokens;
        this.pace = pace;
        this.siteUrl = siteUrl.replaceAll("/+$", "");
        this.marginMillis = marginMillis;
        this.clock = clock;
        this.log = log;
    }

    /** Sends what is left of the issue as run {@code run}, for as long as {@code remainingMillis} allows. */
    Outcome send(NewsletterIssue issue, String run, LongSupplier remainingMillis, String requestId) throws InterruptedException {
        var held = progress.acquire(issue.list(), issue.date(), run);
        if (held.isEmpty()) {
            return new Outcome(Result.BUSY, SendProgress.Counts.NONE, "another run is sending this issue, or it is sent");
        }
        SendProgress.Progress begun = held.get();
        Lease lease = new Lease(begun, run);
        SendProgress.Counts total = SendProgress.Counts.NONE;
        Map<String, AttributeValue> cursor = begun.cursor();
        List<String> refusedInARow = new ArrayList<>();
        // Where the current run of refusals began: taken back, they must be looked at again, on an earlier page too.
        Map<String, AttributeValue> refusalsFrom = cursor;
        while (true) {
            Subscribers.Recipients page = subscribers.recipients(issue.list(), cursor, PAGE_SIZE);
            Tally tally = new Tally();
            for (Subscribers.Recipient recipient : page.recipients()) {
                if (remainingMillis.getAsLong() < marginMillis) {
                    // The page is done again from its start next time; the records make that harmless.
                    return stop(begun, run, cursor, tally, total, Result.UNFINISHED, "time");
                }
                if (!lease.keep()) {
                    return new Outcome(Result.UNFINISHED, total.plus(tally.counts()), "the lease ran out and another run took the send");
                }
                Deliveries.Claim claim = deliveries.claim(recipient.id(), issue.list(), issue.date(), run);
                if (claim == Deliveries.Claim.DONE_BEFORE) {
                    tally.skipped++;
                    continue;
                }
                if (claim == Deliveries.Claim.IN_DOUBT) {
                    tally.inDoubt++;
                    log.warn(requestId, "delivery in doubt: a run stopped while sending it; not sent again",
                            Map.of("issue", issue.date().toString(), "subscriber", recipient.id()));
                    continue;
                }
                Delivery delivery = deliver(issue, recipient, remainingMillis, lease, requestId);
                switch (delivery) {
                    case SENT -> {
                        tally.sent++;
                        refusedInARow.clear();
                    }
                    case REFUSED -> {
                        tally.refused++;
                        if (refusedInARow.isEmpty()) {
                            refusalsFrom = cursor;
                        }
                        refusedInARow.add(recipient.id());
                        if (refusedInARow.size() >= REFUSALS_IN_A_ROW) {
                            lease.keep();
                            refusedInARow.forEach(id -> deliveries.unrefuse(id, issue.list(), issue.date()));
                            tally.refused -= Math.min(tally.refused, refusedInARow.size());
                            log.error(requestId, "SES refused " + REFUSALS_IN_A_ROW + " messages in a row: the send stops, and those readers get it later",
                                    Map.of("issue", issue.date().toString()), null);
                            return stop(begun, run, refusalsFrom, tally, total, Result.STOPPED, "SES refused " + REFUSALS_IN_A_ROW + " messages in a row");
                        }
                    }
                    case OUT_OF_TIME -> {
                        return stop(begun, run, cursor, tally, total, Result.UNFINISHED, "time");
                    }
                    case NOT_TAKEN -> {
                        return stop(begun, run, cursor, tally, total, Result.STOPPED, "SES does not take mail now");
                    }
                    case IN_DOUBT -> {
                        tally.inDoubt++;
                        return stop(begun, run, cursor, tally, total, Result.STOPPED, "SES did not answer; the message in flight is in doubt");
                    }
                }
            }
            total = total.plus(tally.counts());
            if (page.next().isEmpty()) {
                if (!progress.finish(begun, run, tally.counts())) {
                    return new Outcome(Result.UNFINISHED, total, "the lease ran out and another run took the send");
                }
                return new Outcome(Result.SENT, total, "");
            }
            if (!progress.advance(begun, run, page.next(), tally.counts())) {
                return new Outcome(Result.UNFINISHED, total, "the lease ran out and another run took the send");
            }
            cursor = page.next();
        }
    }

    /** Records this page's counts with the cursor still at its start, and hands the send back for the next run. */
    private Outcome stop(SendProgress.Progress begun, String run, Map<String, AttributeValue> cursor, Tally tally, SendProgress.Counts total,
                         Result result, String reason) {
        progress.advance(begun, run, cursor, tally.counts());
        progress.release(begun, run);
        return new Outcome(result, total.plus(tally.counts()), reason);
    }

    private Delivery deliver(NewsletterIssue issue, Subscribers.Recipient recipient, LongSupplier remainingMillis, Lease lease, String requestId)
            throws InterruptedException {
        String unsubscribe = siteUrl + "/newsletter/unsubscribe?token=" + tokens.unsubscribe(recipient.id(), issue.list());
        EmailAddress to = recipient.email();
        for (int attempt = 0; ; attempt++) {
            if (remainingMillis.getAsLong() < marginMillis) {
                deliveries.release(recipient.id(), issue.list(), issue.date());
                return Delivery.OUT_OF_TIME;
            }
            // Kept through throttling pauses too; should it be lost, the claim still makes this reader this run's alone.
            lease.keep();
            pace.await();
            try {
                String messageId = mail.send(to, issue.subject(), issue.text().replace(NewsletterIssue.UNSUBSCRIBE_LINK, unsubscribe),
                        issue.html().replace(NewsletterIssue.UNSUBSCRIBE_LINK, unsubscribe), unsubscribe);
                deliveries.sent(recipient.id(), issue.list(), issue.date(), messageId);
                return Delivery.SENT;
            } catch (MessageRejectedException | BadRequestException e) {
                // About this message or address: recorded, not retried for this issue (unless a run of them says otherwise).
                deliveries.refused(recipient.id(), issue.list(), issue.date(), e.getClass().getSimpleName());
                log.warn(requestId, "SES refused a message", Map.of("issue", issue.date().toString(), "subscriber", recipient.id(),
                        "error", e.getClass().getSimpleName()));
                return Delivery.REFUSED;
            } catch (SdkServiceException e) {
                boolean slowDown = e.isThrottlingException() || e instanceof TooManyRequestsException || e instanceof LimitExceededException;
                if (slowDown && attempt < THROTTLE_RETRIES) {
                    Thread.sleep(200L << attempt);
                    continue;
                }
                if (e.statusCode() >= 500 && e.statusCode() != 503) {
                    // A failure inside SES (500, 504) can follow a message it took: as for no answer at all.
                    log.error(requestId, "SES failed; the message in flight is in doubt",
                            Map.of("issue", issue.date().toString(), "subscriber", recipient.id(), "status", e.statusCode()), e);
                    return Delivery.IN_DOUBT;
                }
                // An answer from SES that it did not take the message (throttled, not allowed, paused, failing): the claim goes back.
                deliveries.release(recipient.id(), issue.list(), issue.date());
                log.error(requestId, "SES did not take a message; a later run sends it",
                        Map.of("issue", issue.date().toString(), "status", e.statusCode()), e);
                return Delivery.NOT_TAKEN;
            } catch (SdkClientException e) {
                if (neverConnected(e)) {
                    deliveries.release(recipient.id(), issue.list(), issue.date());
                    log.error(requestId, "SES could not be reached; a later run sends the message", Map.of("issue", issue.date().toString()), e);
                    return Delivery.NOT_TAKEN;
                }
                // No answer after the request went out: SES may have taken the message. The claim stays, so it is never sent twice.
                log.error(requestId, "no answer from SES; the message in flight is in doubt",
                        Map.of("issue", issue.date().toString(), "subscriber", recipient.id()), e);
                return Delivery.IN_DOUBT;
            }
        }
    }

    /** A failure before any byte of the request could reach SES. */
    private static boolean neverConnected(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof UnknownHostException || cause instanceof NoRouteToHostException) {
                return true;
            }
        }
        return false;
    }

    /** This run's hold on the send, renewed when a third of it has passed. */
    private final class Lease {
        private final SendProgress.Progress begun;
        private final String run;
        private Instant renewAt;
        private boolean held = true;

        Lease(SendProgress.Progress begun, String run) {
            this.begun = begun;
            this.run = run;
            this.renewAt = clock.instant().plus(SendProgress.LEASE.dividedBy(3));
        }

        /** Renews the lease when due; false once it has been lost. */
        boolean keep() {
            if (held && !clock.instant().isBefore(renewAt)) {
                held = progress.renew(begun, run);
                renewAt = clock.instant().plus(SendProgress.LEASE.dividedBy(3));
            }
            return held;
        }
    }

    private static final class Tally {
        int sent;
        int skipped;
        int refused;
        int inDoubt;

        SendProgress.Counts counts() {
            return new SendProgress.Counts(sent, skipped, refused, inDoubt);
        }
    }
}
