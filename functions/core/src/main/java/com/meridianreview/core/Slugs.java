package com.meridianreview.core;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/** URL slugs: lower-case ASCII letters, digits and single hyphens. */
public final class Slugs {

    public static final int MAX_LENGTH = 120;
    private static final Pattern VALID = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern OTHER = Pattern.compile("[^a-z0-9]+");

    private Slugs() {
    }

    /** "Tomás Ibarra" becomes "tomas-ibarra". */
    public static String of(String text) {
        // Most names are plain ASCII already; decomposing them would load the JDK's Unicode tables
        // (about 10 ms of a cold start) for nothing.
        String ascii = isAscii(text) ? text : MARKS.matcher(Normalizer.normalize(text, Normalizer.Form.NFD)).replaceAll("");
        String slug = OTHER.matcher(ascii.toLowerCase(Locale.ROOT)).replaceAll("-");
        slug = slug.replaceAll("^-+|-+$", "");
        return slug.length() > MAX_LENGTH ? slug.substring(0, MAX_LENGTH).replaceAll("-+$", "") : slug;
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    public static boolean isValid(String slug) {
        return slug != null && slug.length() <= MAX_LENGTH && VALID.matcher(slug).matches();
    }
}
