package org.clinicalfunctions.lab;

import java.util.ArrayList;
import java.util.List;

import ca.uhn.hl7v2.parser.DefaultEscaping;
import ca.uhn.hl7v2.parser.EncodingCharacters;

/**
 * The OBX-5 text of an ST, TX or FT result read from the segment itself. HAPI's parser strips a field's leading
 * whitespace and keeps only the first component when a text value holds an unescaped {@code ^}; a narrative
 * result must reach FHIR as the lab wrote it, so text values are taken from here instead.
 *
 * @param position 1-based ordinal of this OBX among all OBX segments of the message, for error locations
 * @param segment the OBX segment as received, without terminator
 */
record ObxText(int position, String segment) {

    private static final DefaultEscaping ESCAPING = new DefaultEscaping();

    /**
     * True when this text is the segment HAPI parsed as {@code obx}: same OBX-1, OBX-2 and OBX-3.1. Guards against
     * reading another OBX's value should HAPI ever place a segment where the mapping does not look.
     */
    boolean isSegmentOf(String setId, String valueType, String code, EncodingCharacters encoding) {
        return setId.equals(field(1, encoding).trim()) && valueType.equals(valueType(encoding))
                && code.equals(firstComponent(field(3, encoding), encoding).trim());
    }

    private static String firstComponent(String field, EncodingCharacters encoding) {
        int end = field.indexOf(encoding.getComponentSeparator());
        String first = end < 0 ? field : field.substring(0, end);
        return ESCAPING.unescape(first, encoding);
    }

    /** OBX-2 as written; empty reads as ST, as for the parser. */
    String valueType(EncodingCharacters encoding) {
        String valueType = firstComponent(field(2, encoding), encoding).trim();
        return valueType.isEmpty() ? "ST" : valueType;
    }

    /** Each OBX-5 repetition, unescaped, whitespace kept; blank repetitions are left out. */
    List<String> values(EncodingCharacters encoding) {
        List<String> values = new ArrayList<>();
        String field = field(5, encoding);
        char separator = encoding.getRepetitionSeparator();
        int start = 0;
        while (start <= field.length()) {
            int end = field.indexOf(separator, start);
            String repetition = field.substring(start, end < 0 ? field.length() : end);
            if (!repetition.isBlank()) {
                values.add(ESCAPING.unescape(repetition, encoding));
            }
            start = end < 0 ? field.length() + 1 : end + 1;
        }
        return values;
    }

    /** Field {@code number} of the segment (the name is field 0); empty when the segment is shorter. */
    private String field(int number, EncodingCharacters encoding) {
        char separator = encoding.getFieldSeparator();
        int start = 0;
        for (int field = 0; field < number; field++) {
            start = segment.indexOf(separator, start) + 1;
            if (start == 0) {
                return "";
            }
        }
        int end = segment.indexOf(separator, start);
        return segment.substring(start, end < 0 ? segment.length() : end);
    }
}
