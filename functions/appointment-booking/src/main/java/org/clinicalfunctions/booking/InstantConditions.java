package org.clinicalfunctions.booking;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * FHIR date search on an instant column: {@code start=ge2026-11-01T08:00:00-04:00&start=lt2026-11-02}. A value
 * is the range its precision covers (a second, or a day in UTC); {@code eq} (the default), {@code gt}, {@code ge},
 * {@code lt} and {@code le} compare the column with that range. Times must carry an offset: a bare local time
 * names no instant.
 */
final class InstantConditions {

    private record Condition(String prefix, Instant low, Instant high) {
    }

    private final List<Condition> conditions;

    private InstantConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    static InstantConditions none() {
        return new InstantConditions(List.of());
    }

    /** Reads the repeated values of the search parameter {@code name}; 400 naming it when one is unreadable. */
    static InstantConditions parse(String name, List<String> values) {
        List<Condition> parsed = new ArrayList<>();
        for (String raw : values == null ? List.<String>of() : values) {
            // An unencoded '+' in a query string arrives as a space.
            String value = raw.trim().replace(' ', '+');
            String prefix = value.length() > 2 && Character.isLetter(value.charAt(0)) ? value.substring(0, 2) : "eq";
            String time = "eq".equals(prefix) && !value.startsWith("eq") ? value : value.substring(2);
            if (!List.of("eq", "gt", "ge", "lt", "le").contains(prefix)) {
                throw BookingProblem.invalid("BK-140", name, "search parameter " + name
                        + " takes the prefixes eq, gt, ge, lt and le");
            }
            parsed.add(condition(name, prefix, time));
        }
        return new InstantConditions(parsed);
    }

    private static Condition condition(String name, String prefix, String time) {
        try {
            if (time.length() == 10) {
                LocalDate date = LocalDate.parse(time);
                checkYear(name, date.getYear());
                Instant day = date.atStartOfDay(ZoneOffset.UTC).toInstant();
                return new Condition(prefix, day, day.plus(1, ChronoUnit.DAYS));
            }
            OffsetDateTime dateTime = OffsetDateTime.parse(time);
            checkYear(name, dateTime.getYear());
            Instant instant = dateTime.toInstant();
            Instant second = instant.truncatedTo(ChronoUnit.SECONDS);
            return new Condition(prefix, second, second.plusSeconds(1));
        } catch (DateTimeParseException e) {
            throw BookingProblem.invalid("BK-141", name, "search parameter " + name
                    + " needs a date (yyyy-MM-dd) or an instant with its offset");
        }
    }

    /**
     * FHIR years have four digits, 0001 to 9999; beyond them an instant overflows Java's timestamp or
     * PostgreSQL's range and the search would fail as a 500.
     */
    private static void checkYear(String name, int year) {
        if (year < 1 || year > 9999) {
            throw BookingProblem.invalid("BK-141", name, "search parameter " + name
                    + " needs a year from 0001 to 9999");
        }
    }

    /** Appends the SQL conditions on {@code column} and their arguments. */
    void appendTo(StringBuilder sql, List<Object> args, String column) {
        for (Condition condition : conditions) {
            switch (condition.prefix()) {
                case "gt" -> append(sql, args, column + " >= ?", condition.high());
                case "ge" -> append(sql, args, column + " >= ?", condition.low());
                case "lt" -> append(sql, args, column + " < ?", condition.low());
                case "le" -> append(sql, args, column + " < ?", condition.high());
                default -> {
                    append(sql, args, column + " >= ?", condition.low());
                    append(sql, args, column + " < ?", condition.high());
                }
            }
        }
    }

    private static void append(StringBuilder sql, List<Object> args, String condition, Instant value) {
        sql.append(" and ").append(condition);
        args.add(Timestamp.from(value));
    }
}
