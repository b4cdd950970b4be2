package com.meridianreview.local;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An EventBridge Scheduler schedule expression ({@code rate(...)}, {@code at(...)} or
 * {@code cron(...)}) and when it is next due. A malformed expression is refused with an
 * {@link IllegalArgumentException} naming what is wrong; an expression AWS accepts but the
 * runner does not evaluate (cron's {@code L}, {@code W} and {@code #}) with {@link Unsupported}.
 */
sealed interface ScheduleExpression permits ScheduleExpression.Rate, ScheduleExpression.At, CronExpression {

    /** The expression as the template wrote it. */
    String text();

    /** The first time strictly after {@code after} at which the schedule is due; empty when it never is again. */
    Optional<Instant> next(Instant after);

    /** An expression AWS would accept that the runner does not evaluate; such a schedule fires only on demand. */
    final class Unsupported extends IllegalArgumentException {
        Unsupported(String message) {
            super(message);
        }
    }

    static ScheduleExpression parse(String text, ZoneId zone) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a schedule expression is empty");
        }
        String trimmed = text.trim();
        int open = trimmed.indexOf('(');
        if (open < 0 || !trimmed.endsWith(")")) {
            throw new IllegalArgumentException(quoted(text) + " is not rate(...), at(...) or cron(...)");
        }
        String body = trimmed.substring(open + 1, trimmed.length() - 1).trim();
        return switch (trimmed.substring(0, open)) {
            case "rate" -> Rate.parse(trimmed, body);
            case "at" -> At.parse(trimmed, body, zone);
            case "cron" -> CronExpression.parse(trimmed, body, zone);
            default -> throw new IllegalArgumentException(quoted(text) + " is not rate(...), at(...) or cron(...)");
        };
    }

    static String quoted(String text) {
        return "\"" + text + "\"";
    }

    /**
     * {@code rate(N unit)}: a fixed duration apart, whatever the zone (a day is 24 hours even when
     * the clocks change), counted from the time it was last due.
     */
    record Rate(String text, Duration period) implements ScheduleExpression {

        private static final Pattern FORM = Pattern.compile("(\\d+)\\s+([a-z]+)");

        static Rate parse(String text, String body) {
            Matcher form = FORM.matcher(body);
            if (!form.matches()) {
                throw new IllegalArgumentException(quoted(text) + ": a rate is rate(N minutes|hours|days), N a whole number");
            }
            long value;
            try {
                value = Long.parseLong(form.group(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(quoted(text) + ": " + form.group(1) + " is too large");
            }
            if (value < 1) {
                throw new IllegalArgumentException(quoted(text) + ": a rate must be at least 1");
            }
            String unit = form.group(2);
            String singular = unit.endsWith("s") ? unit.substring(0, unit.length() - 1) : unit;
            Duration one = switch (singular) {
                case "minute" -> Duration.ofMinutes(1);
                case "hour" -> Duration.ofHours(1);
                case "day" -> Duration.ofDays(1);
                default -> throw new IllegalArgumentException(quoted(text) + ": the unit must be minute(s), hour(s) or day(s), not " + unit);
            };
            // AWS refuses "rate(1 minutes)" and "rate(5 minute)"; so does the runner, so that the template deploys.
            if ((value == 1) != unit.equals(singular)) {
                throw new IllegalArgumentException(quoted(text) + ": write " + (value == 1 ? "1 " + singular : value + " " + singular + "s"));
            }
            try {
                return new Rate(text, one.multipliedBy(value));
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException(quoted(text) + ": " + value + " is too large");
            }
        }

        @Override
        public Optional<Instant> next(Instant after) {
            return Optional.of(after.plus(period));
        }
    }

    /** {@code at(yyyy-MM-ddTHH:mm:ss)}: once, at that wall-clock time in the schedule's zone. */
    record At(String text, Instant time) implements ScheduleExpression {

        private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").withResolverStyle(ResolverStyle.STRICT);

        static At parse(String text, String body, ZoneId zone) {
            LocalDateTime local;
            try {
                local = LocalDateTime.parse(body, FORMAT);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(quoted(text) + ": a one-time schedule is at(yyyy-mm-ddThh:mm:ss), a date and time that exist");
            }
            // A time the clocks skip is moved on by the gap; one they repeat is the first of the two.
            return new At(text, local.atZone(zone).toInstant());
        }

        @Override
        public Optional<Instant> next(Instant after) {
            return time.isAfter(after) ? Optional.of(time) : Optional.empty();
        }
    }
}
