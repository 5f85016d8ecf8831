package org.clinicalfunctions.hl7;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Splits posted text into HL7 v2 messages. A single message comes back alone; a batch (FHS/BHS … BTS/FTS) comes
 * back as one text per MSH, and each BTS-1 count, when given, must match the messages of its own batch.
 */
public final class Hl7Batch {

    private static final Pattern SEGMENT_ID = Pattern.compile("[A-Z][A-Z0-9]{2}");

    private Hl7Batch() {
    }

    /** Each message as CR-terminated segments, the form HAPI parses. */
    public static List<String> messages(String text) throws Hl7FormatException {
        List<String> messages = new ArrayList<>();
        StringBuilder current = null;
        int batchStart = 0;
        for (String segment : Hl7Text.segments(text)) {
            String name = segment.length() >= 3 ? segment.substring(0, 3) : segment;
            switch (name) {
                case "FHS", "FTS" -> current = flush(messages, current);
                case "BHS" -> {
                    current = flush(messages, current);
                    batchStart = messages.size();
                }
                case "BTS" -> {
                    current = flush(messages, current);
                    checkCount(countOf(segment), messages.size() - batchStart);
                    batchStart = messages.size();
                }
                case "MSH" -> {
                    flush(messages, current);
                    current = new StringBuilder(segment).append('\r');
                }
                default -> current = append(current, segment, name);
            }
        }
        flush(messages, current);
        if (messages.isEmpty()) {
            throw new Hl7FormatException("100", "MSH", "no MSH segment found");
        }
        return messages;
    }

    private static StringBuilder append(StringBuilder current, String segment, String name)
            throws Hl7FormatException {
        if (current == null) {
            // The location names a segment only when it looks like one, so a stray body never reaches an error.
            String location = SEGMENT_ID.matcher(name).matches() ? name : "MSH";
            throw new Hl7FormatException("100", location, "segment before the first MSH");
        }
        return current.append(segment).append('\r');
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
        String[] fields = MessageHeader.split(bts.substring(4), bts.charAt(3));
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
