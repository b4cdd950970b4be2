package com.meridianreview.subscribers;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The links in newsletter mail. A confirmation token names the subscriber (by pseudonym), the
 * list, the single-use nonce stored with the pending subscription, and when it expires; an
 * unsubscribe token names the subscriber and the list and never expires (a message read years
 * later must still unsubscribe). Both are signed with HMAC-SHA256; nothing is stored to check them.
 */
public final class NewsletterTokens {

    public static final Duration CONFIRMATION_VALIDITY = Duration.ofDays(7);
    private static final Pattern PART = Pattern.compile("[a-z0-9-]{1,64}");
    private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();

    public record Confirmation(String subscriberId, String list, String nonce) {
    }

    public record Unsubscribe(String subscriberId, String list) {
    }

    private final SecretKeySpec key;
    private final Clock clock;

    public NewsletterTokens(String secret, Clock clock) {
        if (secret == null || secret.length() < 32) {
            throw new IllegalStateException("NEWSLETTER_KEY must be a secret of at least 32 characters");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.clock = clock;
    }

    public String confirmation(String subscriberId, String list, String nonce) {
        String body = "c." + subscriberId + "." + list + "." + nonce + "." + clock.instant().plus(CONFIRMATION_VALIDITY).getEpochSecond();
        return body + "." + sign(body);
    }

    public String unsubscribe(String subscriberId, String list) {
        String body = "u." + subscriberId + "." + list;
        return body + "." + sign(body);
    }

    public Optional<Confirmation> readConfirmation(String token) {
        String[] parts = verified(token, 6, "c");
        if (parts == null || !parts[4].matches("\\d{1,12}") || Instant.ofEpochSecond(Long.parseLong(parts[4])).isBefore(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(new Confirmation(parts[1], parts[2], parts[3]));
    }

    public Optional<Unsubscribe> readUnsubscribe(String token) {
        String[] parts = verified(token, 4, "u");
        return parts == null ? Optional.empty() : Optional.of(new Unsubscribe(parts[1], parts[2]));
    }

    /** A keyed hash of a client's IP address: enough to count its requests, never the address itself. */
    public String ipHash(String ip) {
        return sign("ip|" + ip);
    }

    private String[] verified(String token, int parts, String purpose) {
        if (token == null || token.length() > 300) {
            return null;
        }
        String[] split = token.split("\\.", -1);
        if (split.length != parts || !split[0].equals(purpose)) {
            return null;
        }
        for (int i = 1; i < parts - 1; i++) {
            if (!PART.matcher(split[i]).matches()) {
                return null;
            }
        }
        String body = token.substring(0, token.lastIndexOf('.'));
        // Compared in constant time: timing tells nothing about a forged signature.
        return MessageDigest.isEqual(sign(body).getBytes(StandardCharsets.US_ASCII), split[parts - 1].getBytes(StandardCharsets.US_ASCII)) ? split : null;
    }

    private String sign(String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] full = mac.doFinal(("meridian-newsletter|" + body).getBytes(StandardCharsets.UTF_8));
            return BASE64.encodeToString(java.util.Arrays.copyOf(full, 18));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
