package org.clinicalfunctions.hl7;

import java.nio.charset.Charset;
import java.util.HexFormat;
import java.util.List;

/**
 * HL7 v2 escape sequences (v2.5.1 section 2.7) rewritten so that a parser which knows only {@code \F\ \S\ \T\ \R\
 * \E\} reads every field as the sender meant it. {@code \.br\} becomes a line feed, {@code \H\} and {@code \N\}
 * (highlighting) are removed, {@code \Xhh..\} is decoded in the message's charset; anything else (a malformed,
 * unterminated or unsupported sequence) is kept literally, its escape characters re-escaped, and reported.
 */
public final class Hl7Escapes {

    /**
     * An escape sequence kept literally.
     *
     * @param field the field number within the segment, MSH counted as HL7 does (MSH-1 is the field separator)
     * @param rule what was wrong, never the sequence itself
     */
    public record Issue(int field, String rule) {
    }

    private static final String SAME = "FSTRE";

    private Hl7Escapes() {
    }

    /**
     * The segment with its escape sequences in the five standard forms only.
     *
     * @param segment one segment without terminator
     * @param fieldSeparator MSH-1
     * @param encodingCharacters MSH-2: component, repetition, escape, sub-component (and truncation)
     * @param charset the message charset (MSH-18), for {@code \X..\}
     * @param issues receives one entry per sequence kept literally
     */
    public static String canonical(String segment, char fieldSeparator, String encodingCharacters, Charset charset,
            List<Issue> issues) {
        char escape = encodingCharacters.length() > 2 ? encodingCharacters.charAt(2) : 0;
        boolean header = segment.startsWith("MSH") || segment.startsWith("FHS") || segment.startsWith("BHS");
        // MSH-2 holds the escape character itself and is not escaped.
        int start = header ? Math.min(segment.length(), 4 + encodingCharacters.length()) : 0;
        if (escape == 0 || segment.indexOf(escape, start) < 0) {
            return segment;
        }
        String delimiters = fieldSeparator + encodingCharacters.substring(0, Math.min(4, encodingCharacters.length()));
        StringBuilder out = new StringBuilder(segment.length()).append(segment, 0, start);
        int field = header ? 2 : 0;
        int i = start;
        while (i < segment.length()) {
            char c = segment.charAt(i);
            if (c == fieldSeparator) {
                field++;
            }
            if (c != escape) {
                out.append(c);
                i++;
                continue;
            }
            int end = segment.indexOf(escape, i + 1);
            String content = end < 0 ? null : segment.substring(i + 1, end);
            if (content == null || containsAny(content, delimiters)) {
                issues.add(new Issue(field, "unclosed escape kept literally"));
                out.append(escape).append('E').append(escape);
                i++;
                continue;
            }
            out.append(rewrite(content, escape, delimiters, charset, field, issues));
            i = end + 1;
        }
        return out.toString();
    }

    private static String rewrite(String content, char escape, String delimiters, Charset charset, int field,
            List<Issue> issues) {
        if (content.length() == 1 && SAME.indexOf(content.charAt(0)) >= 0) {
            return escape + content + escape;
        }
        if (".br".equals(content)) {
            return "\n";
        }
        if ("H".equals(content) || "N".equals(content)) {
            return "";
        }
        if (content.startsWith("X") && isHex(content.substring(1))) {
            String decoded = new String(HexFormat.of().parseHex(content.substring(1)), charset);
            return reescaped(decoded, escape, delimiters);
        }
        issues.add(new Issue(field, content.startsWith("X") ? "malformed hex escape kept literally"
                : "unsupported escape kept literally"));
        String literal = escape + "E" + escape;
        return literal + reescaped(content, escape, delimiters) + literal;
    }

    /** Decoded text back into the segment: delimiters escaped again, a CR as a line feed (CR ends a segment). */
    private static String reescaped(String text, char escape, String delimiters) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            int delimiter = delimiters.indexOf(c);
            if (c == '\r') {
                out.append('\n');
            } else if (c == escape) {
                out.append(escape).append('E').append(escape);
            } else if (delimiter >= 0) {
                out.append(escape).append("FSRET".charAt(delimiter)).append(escape);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isHex(String digits) {
        if (digits.isEmpty() || digits.length() % 2 != 0) {
            return false;
        }
        for (char c : digits.toCharArray()) {
            if (Character.digit(c, 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean containsAny(String text, String characters) {
        for (char c : characters.toCharArray()) {
            if (text.indexOf(c) >= 0) {
                return true;
            }
        }
        return false;
    }
}
