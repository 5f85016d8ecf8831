package org.clinicalfunctions.lab;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The fields of each mapped segment that the mapping reads. Any other field that holds a value is reported as a
 * {@code LAB-308} warning at {@code <segment>[n]-<field>}, so a value the Bundle does not carry is never lost without
 * a word. Set ids and the fields that only frame the message (MSH-1, -2, -9 and the like) count as read.
 */
final class UnmappedFields {

    private static final Map<String, Set<Integer>> READ = Map.of(
            // Sender, time, type, control id, processing, version, acknowledgment types, charset: hl7-ingest's ACK
            // and the event's attributes use them even where the Bundle has no element for them.
            "MSH", Set.of(1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 15, 16, 18),
            "PID", Set.of(1, 3, 5, 7, 8, 11, 13, 14, 29, 30),
            "NTE", Set.of(1, 3),
            "ORC", Set.of(1, 2, 3, 5),
            "OBR", Set.of(1, 2, 3, 4, 7, 22, 25, 31),
            "OBX", Set.of(1, 2, 3, 4, 5, 6, 7, 8, 11, 14, 15, 17, 23),
            "SPM", Set.of(1, 2, 4, 17, 18));

    /** {@link #READ} as one bit per field, tested for every field of every segment. */
    private static final Map<String, Long> READ_BITS = READ.entrySet().stream()
            .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, entry -> bitsOf(entry.getValue())));

    private UnmappedFields() {
    }

    /**
     * Reports the non-empty fields of one segment that the mapping does not read, and appends the segment without
     * them: the fields it reads, each at its own position, and nothing after the last. HAPI then builds no objects
     * for values no one reads (an ELR's ORC-21 to ORC-24 and OBX-24/25 alone are dozens of components).
     *
     * @param segment the segment's text with the message's field separator
     * @param location e.g. {@code OBX[2]}
     * @param kept receives the segment holding only the fields the mapping reads; the whole of an unlisted one
     */
    static void report(String segment, String location, char fieldSeparator, MappingWarnings warnings,
            StringBuilder kept) {
        String name = segment.length() >= 3 ? segment.substring(0, 3) : segment;
        Long bits = READ_BITS.get(name);
        if (bits == null) {
            kept.append(segment);
            return;
        }
        long read = bits;
        int keptLength = kept.length();
        // MSH-1 is the separator itself, so the text after "MSH|" starts at MSH-2.
        int field = "MSH".equals(name) ? 1 : 0;
        int start = 0;
        while (start <= segment.length()) {
            int end = segment.indexOf(fieldSeparator, start);
            end = end < 0 ? segment.length() : end;
            // Every read field is below 64; a field beyond that is never read.
            boolean isRead = field == 0 || field < Long.SIZE && (read & 1L << field) != 0;
            if (!isRead && end > start && !isBlank(segment, start, end)) {
                warnings.leftOut(MappingWarnings.FIELD_NOT_MAPPED, location + "-" + field, "field is not mapped");
            }
            if (start > 0) {
                kept.append(fieldSeparator);
            }
            if (isRead && end > start) {
                kept.append(segment, start, end);
                keptLength = kept.length();
            }
            field++;
            start = end + 1;
        }
        kept.setLength(keptLength);
    }

    private static long bitsOf(Set<Integer> fields) {
        long bits = 0;
        for (int field : fields) {
            bits |= 1L << field;
        }
        return bits;
    }

    private static boolean isBlank(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!Character.isWhitespace(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
