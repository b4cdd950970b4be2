package com.meridianreview.local;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code cron(minutes hours day-of-month month day-of-week year)} as EventBridge Scheduler reads
 * it, evaluated on the wall clock of the schedule's zone. Each field takes {@code *}, values,
 * {@code ,} lists, {@code -} ranges and {@code /} steps; months may be JAN-DEC and days of the
 * week 1-7 or SUN-SAT; exactly one of the two day fields is {@code ?}. When the clocks go forward
 * a time they skip is not due at all, and when they go back a repeated time is due once, as AWS
 * documents for its scheduler.
 */
record CronExpression(String text, ZoneId zone, Field minutes, Field hours, Field daysOfMonth, Field months, Field daysOfWeek,
                      Field years) implements ScheduleExpression {

    static final int FIRST_YEAR = 1970;
    static final int LAST_YEAR = 2199;

    private static final Map<String, Integer> MONTHS = Map.ofEntries(Map.entry("JAN", 1), Map.entry("FEB", 2), Map.entry("MAR", 3),
            Map.entry("APR", 4), Map.entry("MAY", 5), Map.entry("JUN", 6), Map.entry("JUL", 7), Map.entry("AUG", 8), Map.entry("SEP", 9),
            Map.entry("OCT", 10), Map.entry("NOV", 11), Map.entry("DEC", 12));
    private static final Map<String, Integer> DAYS = Map.of("SUN", 1, "MON", 2, "TUE", 3, "WED", 4, "THU", 5, "FRI", 6, "SAT", 7);

    /** The values one field allows; {@code ?} allows every value, leaving the choice to the other day field. */
    record Field(String name, Set<Integer> values) {
        Field {
            values = Set.copyOf(values);
        }

        boolean allows(int value) {
            return values.contains(value);
        }
    }

    static CronExpression parse(String text, String body, ZoneId zone) {
        String[] parts = body.trim().split("\\s+");
        if (parts.length != 6) {
            throw new IllegalArgumentException(ScheduleExpression.quoted(text)
                    + ": a cron expression has six fields (minutes hours day-of-month month day-of-week year), this has " + parts.length);
        }
        String dayOfMonth = parts[2];
        String dayOfWeek = parts[4];
        // Valid in AWS, but "last", "nearest weekday" and "n-th" days are not evaluated here.
        if (dayOfMonth.toUpperCase(Locale.ROOT).matches(".*[LW].*") || dayOfWeek.toUpperCase(Locale.ROOT).matches(".*[L#].*")) {
            throw new Unsupported(ScheduleExpression.quoted(text) + ": the local runner does not evaluate L, W or # in the day fields");
        }
        if (dayOfMonth.equals("?") == dayOfWeek.equals("?")) {
            throw new IllegalArgumentException(ScheduleExpression.quoted(text)
                    + ": exactly one of day-of-month and day-of-week must be ?, the other gives the days");
        }
        Parser parser = new Parser(text);
        return new CronExpression(text, zone,
                parser.field("minutes", parts[0], 0, 59, Map.of(), false),
                parser.field("hours", parts[1], 0, 23, Map.of(), false),
                parser.field("day-of-month", dayOfMonth, 1, 31, Map.of(), true),
                parser.field("month", parts[3], 1, 12, MONTHS, false),
                parser.field("day-of-week", dayOfWeek, 1, 7, DAYS, true),
                parser.field("year", parts[5], FIRST_YEAR, LAST_YEAR, Map.of(), false));
    }

    @Override
    public Optional<Instant> next(Instant after) {
        // Walks the zone's wall clock a field at a time: a year, month, day or hour that cannot
        // match is skipped whole, so even a date that never comes ends within a few thousand steps.
        LocalDateTime time = LocalDateTime.ofInstant(after, zone).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        while (time.getYear() <= LAST_YEAR) {
            if (!years.allows(time.getYear())) {
                time = LocalDateTime.of(time.getYear() + 1, 1, 1, 0, 0);
            } else if (!months.allows(time.getMonthValue())) {
                time = time.toLocalDate().withDayOfMonth(1).plusMonths(1).atStartOfDay();
            } else if (!daysOfMonth.allows(time.getDayOfMonth()) || !daysOfWeek.allows(dayOfWeek(time))) {
                time = time.toLocalDate().plusDays(1).atStartOfDay();
            } else if (!hours.allows(time.getHour())) {
                time = time.truncatedTo(ChronoUnit.HOURS).plusHours(1);
            } else if (!minutes.allows(time.getMinute())) {
                time = time.plusMinutes(1);
            } else {
                // No offset: the clocks skip this time. Two: they repeat it, and only the first counts,
                // which may already be past when {@code after} falls in the repeated hour.
                List<ZoneOffset> offsets = zone.getRules().getValidOffsets(time);
                if (!offsets.isEmpty()) {
                    Instant due = time.toInstant(offsets.get(0));
                    if (due.isAfter(after)) {
                        return Optional.of(due);
                    }
                }
                time = time.plusMinutes(1);
            }
        }
        return Optional.empty();
    }

    /** EventBridge numbers the days of the week 1 (Sunday) to 7 (Saturday). */
    private static int dayOfWeek(LocalDateTime time) {
        return time.getDayOfWeek().getValue() % 7 + 1;
    }

    /** Reads the fields of one expression, naming it in every refusal. */
    private record Parser(String text) {

        Field field(String name, String spec, int min, int max, Map<String, Integer> names, boolean dayField) {
            Set<Integer> values = new HashSet<>();
            if (spec.equals("?")) {
                if (!dayField) {
                    throw refusal(name, spec, "? is only for day-of-month or day-of-week");
                }
                addRange(values, min, max, 1);
                return new Field(name, values);
            }
            for (String item : spec.split(",", -1)) {
                int slash = item.indexOf('/');
                String range = slash < 0 ? item : item.substring(0, slash);
                int step = slash < 0 ? 1 : step(name, item, item.substring(slash + 1));
                int from;
                int to;
                if (range.equals("*")) {
                    from = min;
                    to = max;
                } else if (range.indexOf('-') > 0) {
                    int dash = range.indexOf('-');
                    from = number(name, item, range.substring(0, dash), min, max, names);
                    to = number(name, item, range.substring(dash + 1), min, max, names);
                    if (from > to) {
                        throw refusal(name, item, "a range runs from the lower value to the higher");
                    }
                } else {
                    from = number(name, item, range, min, max, names);
                    // "5/15" means from 5 to the end in steps of 15
                    to = slash < 0 ? from : max;
                }
                addRange(values, from, to, step);
            }
            return new Field(name, values);
        }

        private int number(String name, String item, String token, int min, int max, Map<String, Integer> names) {
            Integer named = names.get(token.toUpperCase(Locale.ROOT));
            if (named != null) {
                return named;
            }
            int value;
            try {
                value = Integer.parseInt(token);
            } catch (NumberFormatException e) {
                throw refusal(name, item, token.isEmpty() ? "a value is missing" : "\"" + token + "\" is not a value"
                        + (names.isEmpty() ? "" : " (use " + min + "-" + max + " or " + String.join(", ", inOrder(names)) + ")"));
            }
            if (value < min || value > max) {
                throw refusal(name, item, value + " is outside " + min + "-" + max);
            }
            return value;
        }

        private int step(String name, String item, String token) {
            try {
                int step = Integer.parseInt(token);
                if (step >= 1) {
                    return step;
                }
            } catch (NumberFormatException e) {
                // refused below
            }
            throw refusal(name, item, "a step is a whole number of at least 1");
        }

        private static List<String> inOrder(Map<String, Integer> names) {
            return names.entrySet().stream().sorted(Map.Entry.comparingByValue()).map(Map.Entry::getKey).toList();
        }

        private static void addRange(Set<Integer> values, int from, int to, int step) {
            for (long value = from; value <= to; value += step) {
                values.add((int) value);
            }
        }

        private IllegalArgumentException refusal(String field, String item, String why) {
            return new IllegalArgumentException(ScheduleExpression.quoted(text) + ": " + field + " \"" + item + "\": " + why);
        }
    }
}
