package com.meridianreview.core;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed, expiring links that let an editor see an article before readers can (a draft, or a
 * story scheduled for later): {@code /preview/{slug}?expires={epoch seconds}&sig={HMAC-SHA256}}.
 * Ingest makes them, the page function checks them; both hold the same key. Without a key no
 * link is made and none is accepted.
 */
public final class PreviewLinks {

    public static final Duration VALID_FOR = Duration.ofDays(7);
    private static final String ALGORITHM = "HmacSHA256";

    private final byte[] key;
    private final Clock clock;

    public PreviewLinks(String key, Clock clock) {
        this.key = key == null || key.isBlank() ? null : key.getBytes(StandardCharsets.UTF_8);
        this.clock = clock;
    }

    /** The preview path for this slug, valid for {@link #VALID_FOR}; empty without a key. */
    public Optional<String> link(String slug) {
        if (key == null) {
            return Optional.empty();
        }
        long expires = clock.instant().plus(VALID_FOR).getEpochSecond();
        return Optional.of("/preview/" + slug + "?expires=" + expires + "&sig=" + signature(slug, expires));
    }

    /** Whether {@code signature} was made for this slug and expiry with the key, and has not expired. */
    public boolean admits(String slug, String expires, String signature) {
        if (key == null || slug == null || expires == null || signature == null || !expires.matches("\\d{1,12}")) {
            return false;
        }
        long at = Long.parseLong(expires);
        if (Instant.ofEpochSecond(at).isBefore(clock.instant())) {
            return false;
        }
        return MessageDigest.isEqual(signature(slug, at).getBytes(StandardCharsets.US_ASCII), signature.getBytes(StandardCharsets.US_ASCII));
    }

    private String signature(String slug, long expires) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            byte[] digest = mac.doFinal((slug + "\n" + expires).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
