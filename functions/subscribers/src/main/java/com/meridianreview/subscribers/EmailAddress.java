package com.meridianreview.subscribers;

import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An address mail can practically be sent to: a dot-atom local part (no quoted strings, no
 * comments), and a domain with at least two labels, internationalised names turned into their
 * ASCII form (IDNA) and lower-cased. The local part keeps its case: only its owner's server may
 * fold it. {@link #id} is the address's stable pseudonym, used in keys and links instead of the address.
 */
public record EmailAddress(String value) {

    public static final int MAX_LENGTH = 254;
    private static final Pattern LOCAL = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern TOP_LEVEL = Pattern.compile("[a-z]{2,63}|xn--[a-z0-9-]{1,59}");

    /** The address as given, trimmed and normalised; empty with the reason when it cannot be one. */
    public static Result parse(String given) {
        String text = given == null ? "" : given.strip();
        if (text.isEmpty()) {
            return new Result(Optional.empty(), "enter your email address");
        }
        int at = text.lastIndexOf('@');
        if (at <= 0 || at == text.length() - 1) {
            return new Result(Optional.empty(), "an email address looks like name@example.org");
        }
        String local = text.substring(0, at);
        String domain;
        try {
            domain = IDN.toASCII(text.substring(at + 1), IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return new Result(Optional.empty(), "the part after @ is not a domain name");
        }
        if (local.length() > 64 || !LOCAL.matcher(local).matches()) {
            return new Result(Optional.empty(), "the part before @ may use letters, digits and . _ + - (not at the start or end, not twice in a row)");
        }
        String[] labels = domain.split("\\.", -1);
        if (labels.length < 2 || domain.length() > 253) {
            return new Result(Optional.empty(), "the part after @ must be a full domain such as example.org");
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return new Result(Optional.empty(), "the part after @ is not a domain name");
            }
        }
        if (!TOP_LEVEL.matcher(labels[labels.length - 1]).matches()) {
            return new Result(Optional.empty(), "the part after @ must end in a domain such as .org or .com");
        }
        String address = local + "@" + domain;
        if (address.length() > MAX_LENGTH) {
            return new Result(Optional.empty(), "an email address is at most " + MAX_LENGTH + " characters");
        }
        return new Result(Optional.of(new EmailAddress(address)), null);
    }

    public record Result(Optional<EmailAddress> address, String problem) {
    }

    /**
     * What keys and links carry instead of the address: a hash of it, so that the address itself
     * is in neither. It is not a secret (whoever guesses an address can compute it); it is unkeyed
     * so that it survives a change of the signing key.
     */
    public String id() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        // Never an address in a log line, whatever prints this.
        return "EmailAddress[" + id() + "]";
    }
}
