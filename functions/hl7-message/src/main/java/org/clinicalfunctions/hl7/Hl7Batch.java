package org.clinicalfunctions.hl7;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits posted text into HL7 v2 messages. A single message comes back alone; a batch (FHS/BHS … BTS/FTS) comes
 * back as one text per MSH, and its BTS-1 count, when given, must match what was found.
 */
public final class Hl7Batch {

    private Hl7Batch() {
    }

    /** Each message as CR-terminated segments, the form HAPI parses. */
    public static List<String> messages(String text) throws Hl7FormatException {
        List<String> messages = new ArrayList<>();
        StringBuilder current = null;
        String declaredCount = null;
        for (String segment : Hl7Text.segments(text)) {
            String name = segment.length() >= 3 ? segment.substring(0, 3) : segment;
            switch (name) {
                case "FHS", "BHS", "FTS" -> current = flush(messages, current);
                case "BTS" -> {
                    current = flush(messages, current);
                    declaredCount = countOf(segment);
                }
                case "MSH" -> {
                    flush(messages, current);
                    current = new StringBuilder(segment).append('\r');
                }
                default -> {
                    if (current == null) {
                        throw new Hl7FormatException("100", name, "segment before the first MSH");
                    }
                    current.append(segment).append('\r');
                }
            }
        }
        flush(messages, current);
        if (messages.isEmpty()) {
            throw new Hl7FormatException("100", "MSH", "no MSH segment found");
        }
        checkCount(declaredCount, messages.size());
        return messages;
    }

    private static StringBuilder flush(List<String> messages, StringBuilder current) {
        if (current != null) {
            messages.add(current.toString());
        }
        return null;
    }

    private static String countOf(String bts) {
        if (bts.length() < 5) {
            return null;
        }
        String[] fields = bts.substring(4).split(java.util.regex.Pattern.quote(bts.substring(3, 4)), -1);
        return fields[0].isBlank() ? null : fields[0].trim();
    }

    private static void checkCount(String declared, int found) throws Hl7FormatException {
        if (declared == null) {
            return;
        }
        if (!declared.equals(Integer.toString(found))) {
            throw new Hl7FormatException("100", "BTS-1", "batch declares a message count that differs from the MSH"
                    + " segments found (" + found + ")");
        }
    }
}
