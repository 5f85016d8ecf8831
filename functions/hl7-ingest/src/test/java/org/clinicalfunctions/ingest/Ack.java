package org.clinicalfunctions.ingest;

import java.util.ArrayList;
import java.util.List;

/** An ACK body read back in a test: its messages, segments and fields, with the standard delimiters. */
record Ack(List<String> segments) {

    /** Every ACK in a response body, in order. */
    static List<Ack> all(String body) {
        List<Ack> acks = new ArrayList<>();
        List<String> current = null;
        for (String segment : body.split("\r")) {
            if (segment.startsWith("MSH")) {
                current = new ArrayList<>();
                acks.add(new Ack(current));
            }
            if (current != null && !segment.isEmpty()) {
                current.add(segment);
            }
        }
        return acks;
    }

    static Ack single(String body) {
        List<Ack> acks = all(body);
        if (acks.size() != 1) {
            throw new AssertionError("expected one ACK, got " + acks.size() + ": " + body);
        }
        return acks.get(0);
    }

    /** Field {@code number} of the first segment named {@code name}, counted as HL7 does (MSH-1 is the bar). */
    String field(String name, int number) {
        for (String segment : segments) {
            if (segment.startsWith(name)) {
                String[] fields = segment.split("\\|", -1);
                int index = "MSH".equals(name) ? number - 1 : number;
                return index < fields.length ? fields[index] : "";
            }
        }
        return null;
    }

    String code() {
        return field("MSA", 1);
    }

    String segment(String name) {
        return segments.stream().filter(s -> s.startsWith(name)).findFirst().orElse(null);
    }
}
