package com.meridianreview.page;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How pages show times: a reader's date, and the machine-readable form for datetime attributes. */
public final class Dates {

    private static final DateTimeFormatter DISPLAY = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private Dates() {
    }

    public static String display(Instant instant) {
        return DISPLAY.format(instant);
    }

    public static String iso(Instant instant) {
        return instant.toString();
    }
}
