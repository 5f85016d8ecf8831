package org.clinicalfunctions.hl7;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The MSH fields the platform routes on, read from the first segment with the delimiters that segment declares
 * (MSH-1 and MSH-2, four or five encoding characters).
 *
 * @param messageCode MSH-9.1, e.g. {@code ORU}
 * @param triggerEvent MSH-9.2, e.g. {@code R01}; may be empty
 * @param messageStructure MSH-9.3 when sent, else inferred: {@code ORU_R01}
 * @param controlId MSH-10, unique per sender
 * @param version MSH-12.1, e.g. {@code 2.5.1}
 * @param characterSet MSH-18 as sent; empty means the HL7 default
 */
public record MessageHeader(
        char fieldSeparator,
        String encodingCharacters,
        String sendingApplication,
        String sendingFacility,
        String receivingApplication,
        String receivingFacility,
        String dateTime,
        String messageCode,
        String triggerEvent,
        String messageStructure,
        String controlId,
        String processingId,
        String version,
        String characterSet) {

    private static final Pattern CODE = Pattern.compile("[A-Z0-9]{3}");

    /** Reads MSH from the first segment of a message. */
    public static MessageHeader parse(String firstSegment) throws Hl7FormatException {
        if (firstSegment.length() < 8 || !firstSegment.startsWith("MSH")) {
            throw new Hl7FormatException("100", "MSH", "message does not start with an MSH segment");
        }
        char separator = firstSegment.charAt(3);
        String[] fields = split(firstSegment, separator);
        String encoding = fields.length > 1 ? fields[1] : "";
        if (encoding.length() < 4 || encoding.length() > 5 || Character.isLetterOrDigit(separator)) {
            throw new Hl7FormatException("102", "MSH-2", "MSH-1/MSH-2 do not declare valid delimiters");
        }
        char component = encoding.charAt(0);
        // fields[i] is MSH-(i+1) because MSH-1 is the separator itself.
        String[] type = split(field(fields, 9), component);
        String code = type[0].trim();
        String trigger = type.length > 1 ? type[1].trim() : "";
        if (!CODE.matcher(code).matches()) {
            throw new Hl7FormatException("101", "MSH-9", "MSH-9 message type is missing or malformed");
        }
        String controlId = field(fields, 10).trim();
        if (controlId.isEmpty()) {
            throw new Hl7FormatException("101", "MSH-10", "MSH-10 message control id is missing");
        }
        String structure = type.length > 2 && !type[2].isBlank() ? type[2].trim() : inferStructure(code, trigger);
        return new MessageHeader(separator, encoding, first(fields, 3, component), first(fields, 4, component),
                first(fields, 5, component), first(fields, 6, component), first(fields, 7, component), code,
                trigger, structure, controlId, first(fields, 11, component), first(fields, 12, component),
                field(fields, 18).trim());
    }

    /** MSH-9.3 is authoritative; else {@code code_trigger}; an {@code ORU} without trigger is an ORU^R01. */
    private static String inferStructure(String code, String trigger) {
        if (!trigger.isEmpty()) {
            return code + "_" + trigger;
        }
        return "ORU".equals(code) ? "ORU_R01" : code;
    }

    /** The Java charset for MSH-18 of a first segment; UTF-8 when absent or unknown. */
    static Charset charsetOf(String firstSegment) {
        if (firstSegment.length() < 4 || !firstSegment.startsWith("MSH")) {
            return StandardCharsets.UTF_8;
        }
        String[] fields = split(firstSegment, firstSegment.charAt(3));
        return charsetNamed(field(fields, 18));
    }

    /** The Java charset of this message's MSH-18; UTF-8 when absent or unknown. */
    public Charset charset() {
        return charsetNamed(characterSet);
    }

    private static Charset charsetNamed(String characterSet) {
        String declared = characterSet.trim().toUpperCase(Locale.ROOT);
        if (declared.contains("~")) {
            declared = declared.substring(0, declared.indexOf('~'));
        }
        return switch (declared) {
            case "8859/1" -> StandardCharsets.ISO_8859_1;
            case "ASCII" -> StandardCharsets.US_ASCII;
            case "UNICODE UTF-16" -> StandardCharsets.UTF_16;
            default -> StandardCharsets.UTF_8;
        };
    }

    /** The sender as MSH-3.1 and MSH-4.1 identify it, for logs and event sources. */
    public String sender() {
        return sendingApplication + "|" + sendingFacility;
    }

    /**
     * Splits on one delimiter, keeping empty fields. {@code String.split} with {@code Pattern.quote} compiles a
     * regex on every call, and this runs twice for every message.
     */
    static String[] split(String text, char delimiter) {
        java.util.List<String> parts = new java.util.ArrayList<>();
        int start = 0;
        for (int at = text.indexOf(delimiter); at >= 0; at = text.indexOf(delimiter, start)) {
            parts.add(text.substring(start, at));
            start = at + 1;
        }
        parts.add(text.substring(start));
        return parts.toArray(String[]::new);
    }

    private static String field(String[] fields, int number) {
        int index = number - 1;
        return index < fields.length ? fields[index] : "";
    }

    private static String first(String[] fields, int number, char component) {
        String value = field(fields, number);
        int end = value.indexOf(component);
        return end < 0 ? value : value.substring(0, end);
    }
}
