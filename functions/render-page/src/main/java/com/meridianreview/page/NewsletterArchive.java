package com.meridianreview.page;

import com.meridianreview.core.NewsletterIssue;
import com.meridianreview.core.NewsletterIssues;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Past issues of the weekly round-up, each as the page composed when it was sent (its "view in
 * browser" link). Only a real calendar date is looked up: anything else in the address is an
 * unknown page without a request to the table.
 */
final class NewsletterArchive {

    static final String LIST = "weekly";
    /** Four-digit years only: {@link LocalDate#parse} would also take "+12026-01-01". */
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    private final NewsletterIssues issues;

    NewsletterArchive(NewsletterIssues issues) {
        this.issues = issues;
    }

    /** The issue's page as stored (one GetItem); empty for an address that is not a date, or a date with no issue. */
    Optional<String> page(String date) {
        if (date == null || !DATE.matcher(date).matches()) {
            return Optional.empty();
        }
        LocalDate day;
        try {
            day = LocalDate.parse(date);
        } catch (DateTimeParseException e) {
            return Optional.empty(); // 2026-13-40, 2026-02-30
        }
        return issues.issue(LIST, day).map(NewsletterIssue::page);
    }
}
