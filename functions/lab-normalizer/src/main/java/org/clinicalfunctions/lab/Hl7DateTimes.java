package org.clinicalfunctions.lab;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns HL7 v2 DTM values into FHIR dateTime text, keeping the precision and the offset that were sent. A value
 * without offset takes MSH-7's offset, else the deployment's configured zone, never the server's. A date stays a
 * date. FHIR has no minute precision, so {@code 202106130143} becomes {@code 2021-06-13T01:43:00}.
 */
final class Hl7DateTimes {

    private static final Pattern DTM = Pattern.compile(
            "(\\d{4})(\\d{2})?(\\d{2})?(\\d{2})?(\\d{2})?(\\d{2})?(?:\\.(\\d{1,4}))?([+-]\\d{4})?");

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
        Matcher matcher = DTM.matcher(dtm == null ? "" : dtm.trim());
        if (!matcher.matches() || matcher.group(8) == null) {
            return null;
        }
        try {
            return ZoneOffset.of(matcher.group(8));
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
        Matcher m = DTM.matcher(value);
        if (!m.matches()) {
            throw new DateTimeException("not an HL7 DTM");
        }
        if (m.group(4) == null) {
            return date(m);
        }
        LocalDateTime local = LocalDateTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)), number(m.group(5)), number(m.group(6)));
        ZoneOffset offset = m.group(8) != null ? ZoneOffset.of(m.group(8)) : fallbackOffset(local);
        String fraction = m.group(7) == null ? "" : "." + m.group(7);
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

    private static String date(Matcher m) {
        if (m.group(2) == null) {
            return m.group(1);
        }
        if (m.group(3) == null) {
            LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), 1);
            return m.group(1) + "-" + m.group(2);
        }
        return LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3))).toString();
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
