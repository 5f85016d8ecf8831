package org.clinicalfunctions.ingest;

import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * HL7 v2 original-mode acknowledgements: the ACK a sender waits for before it forgets a message. The ACK swaps
 * sender and receiver, names the trigger, and carries the acknowledged message's MSH-10 in MSA-2; rejects and
 * errors add an ERR segment with a table 0357 code and a location, never a field value.
 */
public final class Hl7Acknowledgement {

    /** Content type of an ACK body. */
    public static final String CONTENT_TYPE = "x-application/hl7-v2+er7; charset=utf-8";

    /** HL7 table 0357 (message error condition codes) texts for the codes this platform sends. */
    private static final Map<String, String> CONDITIONS = Map.of(
            "100", "Segment sequence error",
            "101", "Required field missing",
            "102", "Data type error",
            "103", "Table value not found",
            "200", "Unsupported message type",
            "207", "Application internal error");
    private static final String DEFAULT_VERSION = "2.5.1";
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmssZ", Locale.ROOT);
    private static final SecureRandom RANDOM = new SecureRandom();

    private Hl7Acknowledgement() {
    }

    /** AA: the message was taken and its event published. */
    public static String accept(String mshSegment) {
        return header(Received.of(mshSegment), "AA");
    }

    /** AE: the message could not be handled now; a resend may succeed. */
    public static String error(String mshSegment, String userMessage) {
        Received received = Received.of(mshSegment);
        return header(received, "AE") + err(received, "", "207", userMessage);
    }

    /** AR: the message can never be processed as sent. */
    public static String reject(String mshSegment, String conditionCode, String location, String userMessage) {
        Received received = Received.of(mshSegment);
        return header(received, "AR") + err(received, location, conditionCode, userMessage);
    }

    private static String header(Received in, String code) {
        char f = in.separator();
        char c = in.component();
        String trigger = in.component(9, 2);
        String version = in.component(12, 1).isEmpty() ? DEFAULT_VERSION : in.component(12, 1);
        String processing = in.field(11).isEmpty() ? "P" : in.field(11);
        return "MSH" + f + in.encoding() + f + in.field(5) + f + in.field(6) + f + in.field(3) + f + in.field(4)
                + f + OffsetDateTime.now(ZoneOffset.UTC).format(TIMESTAMP) + f + f + "ACK" + c + trigger + c + "ACK"
                + f + freshControlId() + f + processing + f + version + "\r"
                + "MSA" + f + code + f + in.field(10) + "\r";
    }

    private static String err(Received in, String location, String conditionCode, String userMessage) {
        char f = in.separator();
        char c = in.component();
        String condition = conditionCode + c + CONDITIONS.getOrDefault(conditionCode, "") + c + "HL70357";
        return "ERR" + f + f + errorLocation(location, c) + f + condition + f + "E" + f + f + f + f
                + in.escape(userMessage) + "\r";
    }

    /** ERR-2 (ERL) from a location such as {@code MSH-10}: segment, sequence 1, field position. */
    static String errorLocation(String location, char component) {
        if (location == null || location.isEmpty()) {
            return "";
        }
        int dash = location.indexOf('-');
        if (dash < 0) {
            return location + component + "1";
        }
        return location.substring(0, dash) + component + "1" + component + location.substring(dash + 1);
    }

    /** MSH-10 of the ACK: short enough for the 20 characters HL7 v2.3 allows. */
    private static String freshControlId() {
        return "A" + Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36).toUpperCase(Locale.ROOT);
    }

    /** The received MSH read leniently: an unreadable one yields the standard delimiters and empty fields. */
    private record Received(char separator, String encoding, String[] fields) {

        static Received of(String segment) {
            if (segment != null && segment.startsWith("MSH") && segment.length() >= 8
                    && !Character.isLetterOrDigit(segment.charAt(3))) {
                String[] fields = segment.split(Pattern.quote(String.valueOf(segment.charAt(3))), -1);
                if (fields[1].length() >= 4 && fields[1].length() <= 5 && !hasControl(fields[1])
                        && !Character.isISOControl(segment.charAt(3))) {
                    char escape = fields[1].charAt(2);
                    for (int i = 2; i < fields.length; i++) {
                        fields[i] = controlsEscaped(fields[i], escape);
                    }
                    return new Received(segment.charAt(3), fields[1], fields);
                }
            }
            return new Received('|', "^~\\&", new String[] {"MSH", "^~\\&"});
        }

        private static boolean hasControl(String text) {
            return text.chars().anyMatch(Character::isISOControl);
        }

        /**
         * A copied field keeps its HL7 escapes, but a control character in it (a line feed in MSH-10, a NUL) goes
         * as a hex escape: raw, a receiver that ends segments at a line feed would read the rest as a segment.
         */
        private static String controlsEscaped(String field, char escape) {
            if (!hasControl(field)) {
                return field;
            }
            StringBuilder escaped = new StringBuilder(field.length() + 8);
            for (char ch : field.toCharArray()) {
                if (Character.isISOControl(ch)) {
                    escaped.append(escape).append('X')
                            .append(String.format(Locale.ROOT, "%02X", (int) ch)).append(escape);
                } else {
                    escaped.append(ch);
                }
            }
            return escaped.toString();
        }

        char component() {
            return encoding.charAt(0);
        }

        String field(int number) {
            return number - 1 < fields.length ? fields[number - 1] : "";
        }

        String component(int number, int position) {
            String[] components = field(number).split(Pattern.quote(String.valueOf(component())), -1);
            return position - 1 < components.length ? components[position - 1] : "";
        }

        /** HL7 escapes for the delimiters, so free text cannot break the ACK's structure. */
        String escape(String text) {
            char escape = encoding.charAt(2);
            StringBuilder escaped = new StringBuilder(text.length());
            for (char ch : text.toCharArray()) {
                escaped.append(escapeOf(ch, escape));
            }
            return escaped.toString();
        }

        private String escapeOf(char ch, char escape) {
            String code;
            if (ch == separator) {
                code = "F";
            } else if (ch == encoding.charAt(0)) {
                code = "S";
            } else if (ch == encoding.charAt(1)) {
                code = "R";
            } else if (ch == escape) {
                code = "E";
            } else if (ch == encoding.charAt(3)) {
                code = "T";
            } else {
                return String.valueOf(ch);
            }
            return escape + code + escape;
        }
    }
}
