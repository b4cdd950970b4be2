package com.meridianreview.page;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** How pages show times: a reader's date, and the machine-readable form for datetime attributes. */
public final class Dates {

    /**
     * Spelled out here rather than by a locale-aware formatter: the first use of one loads the JDK's
     * locale data (about 20 ms of a cold start), for twelve English words.
     */
    private static final String[] MONTHS = {"January", "February", "March", "April", "May", "June", "July", "August", "September",
            "October", "November", "December"};

    private Dates() {
    }

    public static String display(Instant instant) {
        LocalDate date = LocalDate.ofInstant(instant, ZoneOffset.UTC);
        return date.getDayOfMonth() + " " + MONTHS[date.getMonthValue() - 1] + " " + date.getYear();
    }

    public static String iso(Instant instant) {
        return instant.toString();
    }
}
