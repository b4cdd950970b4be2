package com.meridianreview.newsletter;

import com.meridianreview.subscribers.EmailAddress;
import com.meridianreview.subscribers.NewsletterTokens;
import com.meridianreview.subscribers.Subscribers;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Double opt-in that tells no one who is subscribed. Whatever the address (new, pending,
 * confirmed or unsubscribed) a valid signup gets the same answer and does the same work: count
 * the request, read the subscriber, make one conditional write, send one message (a confirmation,
 * or a short "you are already subscribed"). The conditional write decides who sends, so parallel
 * signups of one address send one message; a message goes out at most once per pause per address.
 */
final class Subscriptions {

    /** The requests one client address may make per hour, and one email address. */
    static final RateLimits.Limit PER_CLIENT = new RateLimits.Limit("ip", 20, Duration.ofHours(1));
    static final RateLimits.Limit PER_ADDRESS = new RateLimits.Limit("address", 5, Duration.ofHours(1));

    /** What became of a signup: accepted (whatever happened behind it), or limited. */
    sealed interface Outcome permits Accepted, Limited {
    }

    /** {@code sent} is for the log's counters only; the reader's answer never shows it. */
    record Accepted(String action, boolean sent) implements Outcome {
    }

    record Limited(long retryAfterSeconds) implements Outcome {
    }

    private final Subscribers subscribers;
    private final RateLimits limits;
    private final Mailer mailer;
    private final NewsletterTokens tokens;
    private final Duration resendPause;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    Subscriptions(Subscribers subscribers, RateLimits limits, Mailer mailer, NewsletterTokens tokens, Duration resendPause, Clock clock) {
        this.subscribers = subscribers;
        this.limits = limits;
        this.mailer = mailer;
        this.tokens = tokens;
        this.resendPause = resendPause;
        this.clock = clock;
    }

    Outcome signUp(Signup signup, String clientIp) {
        String ipHash = tokens.ipHash(clientIp);
        OptionalLong limited = limits.count(PER_CLIENT, ipHash);
        if (limited.isEmpty()) {
            limited = limits.count(PER_ADDRESS, signup.email().id());
        }
        if (limited.isPresent()) {
            return new Limited(limited.getAsLong());
        }
        if (signup.honeypot()) {
            // A bot filled in the field people never see: it is told what everyone is told.
            return new Accepted("honeypot", false);
        }
        EmailAddress email = signup.email();
        Subscribers.Consent consent = new Subscribers.Consent(clock.instant(), signup.page(), signup.consentVersion(), ipHash);
        Optional<Subscribers.Subscriber> existing = subscribers.find(email.id(), signup.list());
        Instant pauseStart = clock.instant().minus(resendPause);
        if (existing.isEmpty()) {
            String nonce = nonce();
            return subscribers.addPending(email, signup.list(), signup.name(), nonce, consent)
                    ? confirm(email, signup.list(), signup.name(), nonce, "new")
                    : new Accepted("new, raced", false);
        }
        Subscribers.Subscriber subscriber = existing.get();
        return switch (subscriber.state()) {
            case PENDING -> subscribers.claimSend(email, signup.list(), Subscribers.State.PENDING, pauseStart, null, null, consent)
                    ? confirm(email, signup.list(), subscriber.name(), subscriber.nonce(), "pending, resent")
                    : new Accepted("pending, paused", false);
            case CONFIRMED -> {
                if (!subscribers.claimSend(email, signup.list(), Subscribers.State.CONFIRMED, pauseStart, null, null, consent)) {
                    yield new Accepted("confirmed, paused", false);
                }
                send(email.id(), signup.list(), () -> mailer.alreadySubscribed(email, tokens.unsubscribe(email.id(), signup.list())));
                yield new Accepted("confirmed, told", true);
            }
            case UNSUBSCRIBED -> {
                String nonce = nonce();
                // Signing up again after unsubscribing starts over: a new consent, a new confirmation.
                yield subscribers.claimSend(email, signup.list(), Subscribers.State.UNSUBSCRIBED, clock.instant().plusSeconds(1), signup.name(), nonce, consent)
                        ? confirm(email, signup.list(), signup.name(), nonce, "returning")
                        : new Accepted("returning, raced", false);
            }
        };
    }

    private Accepted confirm(EmailAddress email, String list, String name, String nonce, String action) {
        send(email.id(), list, () -> mailer.confirmation(email, tokens.confirmation(email.id(), list, nonce), tokens.unsubscribe(email.id(), list)));
        return new Accepted(action, true);
    }

    /** Sends, and on failure lets the next signup send at once instead of after the pause. */
    private void send(String id, String list, Runnable message) {
        try {
            message.run();
        } catch (RuntimeException e) {
            try {
                subscribers.releaseSend(id, list);
            } catch (RuntimeException ignored) {
                // the pause then applies; the reader can try again after it
            }
            throw e;
        }
    }

    private String nonce() {
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
