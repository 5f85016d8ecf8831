package org.clinicalfunctions.hl7;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the bytes a sender posted into HL7 v2 text and segments. Senders frame messages with MLLP bytes, prefix a
 * UTF-8 byte order mark, and end segments with CR, LF or CRLF; none of that is part of the message.
 */
public final class Hl7Text {

    private static final char VT = 0x0b;
    private static final char FS = 0x1c;
    private static final char BOM = '\uFEFF';
    /** The UTF-8 byte order mark as it reads before the charset is known. */
    private static final String LATIN1_BOM = "\u00EF\u00BB\u00BF";

    private Hl7Text() {
    }

    /**
     * Decodes the bytes in the character set MSH-18 declares (UTF-8 when it declares none). The first MSH is read,
     * not the first segment, because a batch starts with FHS or BHS, which carry no character set.
     */
    public static String decode(byte[] raw) {
        String ascii = new String(raw, StandardCharsets.ISO_8859_1);
        Charset charset = MessageHeader.charsetOf(firstHeader(stripFraming(ascii)));
        return stripFraming(new String(raw, charset));
    }

    /**
     * Decodes event data in the charset its content type names, else as {@link #decode(byte[])} does. hl7-ingest
     * re-encodes every message as UTF-8 and says so in {@code datacontenttype}, while MSH-18 keeps what the sender
     * declared (for example {@code 8859/1}); reading MSH-18 there would garble every non-ASCII character.
     *
     * @param contentType e.g. {@code x-application/hl7-v2+er7; charset=utf-8}; null or without charset falls back
     */
    public static String decode(byte[] raw, String contentType) {
        Charset charset = charsetParameter(contentType);
        return charset == null ? decode(raw) : stripFraming(new String(raw, charset));
    }

    private static Charset charsetParameter(String contentType) {
        if (contentType == null) {
            return null;
        }
        for (String parameter : contentType.split(";")) {
            String[] pair = parameter.trim().split("=", 2);
            if (pair.length == 2 && "charset".equalsIgnoreCase(pair[0].trim())) {
                return supported(pair[1].trim().replace("\"", ""));
            }
        }
        return null;
    }

    private static Charset supported(String name) {
        try {
            return Charset.isSupported(name) ? Charset.forName(name) : null;
        } catch (IllegalArgumentException e) {
            // An illegal charset name is as good as none: fall back to MSH-18.
            return null;
        }
    }

    /** Removes MLLP start and end bytes, a byte order mark and surrounding blank lines. */
    public static String stripFraming(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && (isFraming(text.charAt(start)) || text.charAt(start) == BOM)) {
            start++;
        }
        if (text.startsWith(LATIN1_BOM, start)) {
            start += LATIN1_BOM.length();
        }
        while (end > start && isFraming(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end);
    }

    private static boolean isFraming(char c) {
        return c == VT || c == FS || c == '\r' || c == '\n' || c == ' ' || c == '\t';
    }

    /**
     * Splits text into segments. CR is the standard terminator and CRLF is read as CR; a bare LF ends a segment only
     * when the text holds no CR at all, because inside a CR-terminated message it is data. Blank lines are dropped.
     */
    public static List<String> segments(String text) {
        boolean hasCr = text.indexOf('\r') >= 0;
        List<String> segments = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean terminator = hasCr ? c == '\r' : c == '\n';
            if (!terminator) {
                continue;
            }
            addSegment(segments, text.substring(start, i));
            if (hasCr && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                i++;
            }
            start = i + 1;
        }
        addSegment(segments, text.substring(start));
        return segments;
    }

    private static void addSegment(List<String> segments, String segment) {
        if (!segment.isBlank()) {
            segments.add(segment);
        }
    }

    /** The text with every segment terminated by CR, as HAPI's PipeParser expects. */
    public static String withCarriageReturns(String text) {
        return String.join("\r", segments(text)) + "\r";
    }

    private static String firstHeader(String text) {
        int start = text.startsWith("MSH") ? 0 : earliest(text.indexOf("\rMSH"), text.indexOf("\nMSH")) + 1;
        int end = start;
        while (end < text.length() && text.charAt(end) != '\r' && text.charAt(end) != '\n') {
            end++;
        }
        return text.substring(start, end);
    }

    /** The smaller of two {@code indexOf} results that were found, else -1. */
    private static int earliest(int a, int b) {
        if (a < 0 || b < 0) {
            return Math.max(a, b);
        }
        return Math.min(a, b);
    }
}
