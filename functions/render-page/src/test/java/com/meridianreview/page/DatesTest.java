package com.meridianreview.page;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class DatesTest {

    @Test
    void everyMonthIsSpelledOutAsReadersReadIt() {
        String[] months = {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
                "December"};
        for (int month = 1; month <= 12; month++) {
            Instant first = Instant.parse(String.format("2026-%02d-01T00:00:00Z", month));
            assertEquals("1 " + months[month - 1] + " 2026", Dates.display(first));
        }
        assertEquals("31 December 2026", Dates.display(Instant.parse("2026-12-31T23:59:59Z")), "a date is the UTC day");
    }
}
