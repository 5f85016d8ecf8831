package org.clinicalfunctions.lab;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Turns HL7 v2 DTM values into FHIR dateTime text, keeping the precision and the offset that were sent. A value
 * without offset takes MSH-7's offset, else the deployment's configured zone, never the server's. A date stays a
 * date. FHIR has no minute precision, so {@code 202106130143} becomes {@code 2021-06-13T01:43:00}.
 */
final class Hl7DateTimes {

    /** Digits of a DTM before its fraction: year, then month, day, hour, minute and second two each. */
    private static final int MAX_DIGITS = 14;
    /** Where each part of a DTM is in {@link #partsOf}'s answer, by the part's number. */
    private static final int FRACTION = 7;
    private static final int OFFSET = 8;

    private final ZoneOffset messageOffset;
    private final ZoneId defaultZone;

    /**
     * @param messageDateTime MSH-7 as sent; its offset applies to the message's zoneless values
     * @param defaultZone the zone of a sender whose MSH-7 has no offset either
     */
    Hl7DateTimes(String messageDateTime, ZoneId defaultZone) {
        this.messageOffset = offsetOf(messageDateTime);
        this.defaultZone = defaultZone;
    }

    private static ZoneOffset offsetOf(String dtm) {
        String[] parts = partsOf(dtm == null ? "" : dtm.trim());
        if (parts == null || parts[OFFSET] == null) {
            return null;
        }
        try {
            return ZoneOffset.of(parts[OFFSET]);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /**
     * FHIR dateTime text for a DTM value, or null when the value is empty.
     *
     * @throws DateTimeException when the value is not a DTM or names an impossible date
     */
    String dateTime(String dtm) {
        String value = dtm == null ? "" : dtm.trim();
        if (value.isEmpty()) {
            return null;
        }
        String[] m = partsOf(value);
        if (m == null) {
            throw new DateTimeException("not an HL7 DTM");
        }
        if (m[4] == null) {
            return date(m);
        }
        LocalDateTime local = LocalDateTime.of(Integer.parseInt(m[1]), Integer.parseInt(m[2]),
                Integer.parseInt(m[3]), Integer.parseInt(m[4]), number(m[5]), number(m[6]));
        ZoneOffset offset = m[OFFSET] != null ? ZoneOffset.of(m[OFFSET]) : fallbackOffset(local);
        String fraction = m[FRACTION] == null ? "" : "." + m[FRACTION];
        StringBuilder text = new StringBuilder(32).append(local.toLocalDate()).append('T');
        twoDigits(text, local.getHour()).append(':');
        twoDigits(text, local.getMinute()).append(':');
        twoDigits(text, local.getSecond()).append(fraction);
        return appendOffset(text, offset).toString();
    }

    /** FHIR instant text (needs a time), or null when the value is empty or only a date. */
    String instant(String dtm) {
        String dateTime = dateTime(dtm);
        return dateTime == null || dateTime.length() <= 10 ? null : dateTime;
    }

    private static String date(String[] m) {
        if (m[2] == null) {
            return m[1];
        }
        if (m[3] == null) {
            LocalDate.of(Integer.parseInt(m[1]), Integer.parseInt(m[2]), 1);
            return m[1] + "-" + m[2];
        }
        return LocalDate.of(Integer.parseInt(m[1]), Integer.parseInt(m[2]), Integer.parseInt(m[3])).toString();
    }

    /**
     * The parts of a DTM ({@code YYYY[MM[DD[HH[MM[SS]]]]][.S[S[S[S]]]][+/-ZZZZ]}), indexed 1 to 6 for year to second,
     * {@link #FRACTION} and {@link #OFFSET}, null where absent; null as a whole when the text is not a DTM. One scan
     * instead of a regular expression: every OBX, OBR and SPM time goes through it.
     */
    static String[] partsOf(String text) {
        int digits = digitsFrom(text, 0, MAX_DIGITS);
        if (digits < 4 || digits % 2 != 0) {
            return null;
        }
        String[] parts = new String[OFFSET + 1];
        parts[1] = text.substring(0, 4);
        for (int part = 2, from = 4; from < digits; part++, from += 2) {
            parts[part] = text.substring(from, from + 2);
        }
        int at = digits;
        if (at < text.length() && text.charAt(at) == '.') {
            int fraction = digitsFrom(text, at + 1, 4);
            if (fraction == 0) {
                return null;
            }
            parts[FRACTION] = text.substring(at + 1, at + 1 + fraction);
            at += 1 + fraction;
        }
        if (at < text.length() && (text.charAt(at) == '+' || text.charAt(at) == '-')) {
            if (digitsFrom(text, at + 1, 4) != 4) {
                return null;
            }
            parts[OFFSET] = text.substring(at, at + 5);
            at += 5;
        }
        return at == text.length() ? parts : null;
    }

    /** How many ASCII digits, at most {@code max}, follow {@code from}. */
    private static int digitsFrom(String text, int from, int max) {
        int count = 0;
        while (count < max && from + count < text.length()) {
            char c = text.charAt(from + count);
            if (c < '0' || c > '9') {
                break;
            }
            count++;
        }
        return count;
    }

    private ZoneOffset fallbackOffset(LocalDateTime local) {
        return messageOffset != null ? messageOffset : defaultZone.getRules().getOffset(local);
    }

    private static int number(String digits) {
        return digits == null ? 0 : Integer.parseInt(digits);
    }

    /** Always {@code +hh:mm}: FHIR accepts it for every offset and it keeps an explicit {@code +0000} visible. */
    private static StringBuilder appendOffset(StringBuilder text, ZoneOffset offset) {
        int minutes = Math.abs(offset.getTotalSeconds()) / 60;
        text.append(offset.getTotalSeconds() < 0 ? '-' : '+');
        twoDigits(text, minutes / 60).append(':');
        return twoDigits(text, minutes % 60);
    }

    private static StringBuilder twoDigits(StringBuilder text, int value) {
        return text.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }
}
