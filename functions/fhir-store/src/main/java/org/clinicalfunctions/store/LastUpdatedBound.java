package org.clinicalfunctions.store;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code _lastUpdated} condition as SQL. FHIR R4 search.html#date: the value is a range as wide as its
 * precision (a second, a millisecond, a day), and the prefix compares the stored instant with that range.
 *
 * @param sql a condition on {@code last_updated} with one or two {@code ?} placeholders
 * @param low the first parameter
 * @param high the second parameter, or null when {@code sql} has one placeholder
 */
public record LastUpdatedBound(String sql, OffsetDateTime low, OffsetDateTime high) {

    private static final Pattern PREFIXED = Pattern.compile("(eq|ne|gt|ge|lt|le)?(.+)");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern FRACTION = Pattern.compile("T\\d{2}:\\d{2}:\\d{2}\\.(\\d{1,9})");
    private static final Pattern SECONDS = Pattern.compile("T\\d{2}:\\d{2}:\\d{2}");

    /**
     * Parses {@code [prefix]instant} or {@code [prefix]yyyy-MM-dd} (a UTC day).
     *
     * @throws StoreRejection when the value is not one of those
     */
    public static LastUpdatedBound parse(String raw) {
        // Servlet decoding turns an unescaped '+' of a time-zone offset into a space; put it back.
        Matcher prefixed = PREFIXED.matcher(raw.replace(' ', '+'));
        if (!prefixed.matches()) {
            throw invalid();
        }
        String prefix = prefixed.group(1) == null ? "eq" : prefixed.group(1);
        Instant[] range = range(prefixed.group(2));
        OffsetDateTime low = range[0].atOffset(ZoneOffset.UTC);
        OffsetDateTime high = range[1].atOffset(ZoneOffset.UTC);
        return switch (prefix) {
            case "ne" -> new LastUpdatedBound("(last_updated < ? OR last_updated >= ?)", low, high);
            case "gt" -> new LastUpdatedBound("last_updated >= ?", high, null);
            case "ge" -> new LastUpdatedBound("last_updated >= ?", low, null);
            case "lt" -> new LastUpdatedBound("last_updated < ?", low, null);
            case "le" -> new LastUpdatedBound("last_updated < ?", high, null);
            default -> new LastUpdatedBound("(last_updated >= ? AND last_updated < ?)", low, high);
        };
    }

    /** The value's range: [start, start + precision). */
    private static Instant[] range(String value) {
        try {
            if (DATE.matcher(value).matches()) {
                Instant day = LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
                return new Instant[] {day, day.plus(1, ChronoUnit.DAYS)};
            }
            Instant start = OffsetDateTime.parse(value).toInstant();
            return new Instant[] {start, start.plusNanos(precisionNanos(value))};
        } catch (DateTimeParseException e) {
            throw invalid();
        }
    }

    private static long precisionNanos(String value) {
        Matcher fraction = FRACTION.matcher(value);
        if (fraction.find()) {
            return (long) Math.pow(10, 9 - fraction.group(1).length());
        }
        return SECONDS.matcher(value).find() ? 1_000_000_000L : 60_000_000_000L;
    }

    private static StoreRejection invalid() {
        return new StoreRejection(StoreProblem.INVALID_SEARCH_VALUE, "_lastUpdated");
    }
}
