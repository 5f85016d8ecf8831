package org.clinicalfunctions.lab;

import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.v251.message.ORU_R01;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import org.clinicalfunctions.hl7.Hl7Escapes;
import org.clinicalfunctions.hl7.MessageHeader;

/**
 * Parses ORU^R01 text into HAPI's v2.5.1 model whatever version MSH-12 declares (2.3 to 2.8 map onto 2.5.1). HAPI's
 * default validation is off: it trims ST/TX/FT text and caps field lengths, which would change results. A missing
 * or unknown OBX-2 reads OBX-5 as ST rather than failing. Built once; the parser is safe for concurrent use.
 */
final class OruParser {

    /** Separators one field may hold; a 28-OBX CBC has fewer than 20 in its largest field. */
    static final int MAX_SEPARATORS = 2_000;

    /** The segments of the v2.5.1 ORU^R01 structure; anything else (Z-segments, v2.7+ PRT, TXA) is counted. */
    private static final Set<String> ORU_SEGMENTS = Set.of("MSH", "SFT", "PID", "PD1", "NTE", "NK1", "PV1", "PV2",
            "ORC", "OBR", "TQ1", "TQ2", "CTD", "OBX", "FT1", "CTI", "SPM", "DSC");

    /**
     * The segments the mapping reads. Only these reach HAPI: an unused segment sent out of order (a CTI before an
     * OBX) would otherwise make HAPI put every later OBX outside the groups the mapping walks.
     */
    private static final Set<String> MAPPED_SEGMENTS = Set.of("MSH", "PID", "NTE", "ORC", "OBR", "OBX", "SPM");

    /**
     * A parsed message, how many segments were set aside because v2.5.1 ORU^R01 has no place for them, and the
     * kept OBX segments as text, in message order.
     */
    record ParsedOru(ORU_R01 message, int ignoredSegments, List<ObxText> observations) {
    }

    private final HapiContext context;
    private final PipeParser parser;

    OruParser() {
        context = new DefaultHapiContext(new CanonicalModelClassFactory("2.5.1"));
        context.setValidationContext(ValidationContextFactory.noValidation());
        context.getParserConfiguration().setDefaultObx2Type("ST");
        context.getParserConfiguration().setInvalidObx2Type("ST");
        // Without this every primitive looks up (empty) correction rules: about 5% of a message's mapping time.
        context.getParserConfiguration().setValidating(false);
        parser = context.getPipeParser();
    }

    /**
     * The message as an ORU_R01. The structure is fixed by the caller's MSH-9 check, so an {@code ORU} without
     * trigger parses too (HAPI alone would refuse it). Escape sequences are first rewritten to the five HAPI decodes
     * (HAPI leaves {@code \.br\} and {@code \X..\} raw and drops the backslash of others). Fields the mapping does not
     * read are reported (LAB-308) and emptied before HAPI sees the segment, so it builds no objects for them.
     *
     * @param segments the message's segments, framing and terminators removed
     * @param warnings receives set-aside segments, kept escapes and notes without a FHIR place
     */
    ParsedOru parse(List<String> segments, MessageHeader header, MappingWarnings warnings)
            throws LabMappingException {
        StringBuilder kept = new StringBuilder(segmentsLength(segments));
        List<ObxText> observations = new ArrayList<>();
        Map<String, Integer> ordinals = new HashMap<>();
        int ignored = 0;
        boolean inOrder = false;
        boolean inSpecimen = false;
        boolean skippingNotes = false;
        String anchor = "";
        Charset charset = header.charset();
        for (String segment : segments) {
            String name = segment.length() >= 3 ? segment.substring(0, 3) : segment;
            int ordinal = ordinals.merge(name, 1, Integer::sum);
            String location = name + "[" + ordinal + "]";
            boolean groupStart = "OBR".equals(name) || "PID".equals(name) || "ORC".equals(name);
            inOrder = "OBR".equals(name) || inOrder && !groupStart;
            inSpecimen = "SPM".equals(name) || inSpecimen && !groupStart;
            // HAPI places a segment only forward in the structure: one out of place (an OBX before its OBR, as
            // v2.8 patient observations are, or a note in a specimen group) would push later OBX out of the groups.
            boolean outOfPlace = "OBX".equals(name) && !inOrder
                    || "NTE".equals(name) && (skippingNotes || inSpecimen);
            skippingNotes = outOfPlace;
            if (!ORU_SEGMENTS.contains(name) || outOfPlace) {
                ignored++;
                warnings.leftOut(MappingWarnings.SEGMENT_SET_ASIDE, location, "segment has no place in ORU^R01");
                continue;
            }
            if (!MAPPED_SEGMENTS.contains(name)) {
                warnings.leftOut(MappingWarnings.SEGMENT_SET_ASIDE, location, "segment is not mapped");
                continue;
            }
            anchor = "NTE".equals(name) ? anchor : name;
            if ("NTE".equals(name) && "PID".equals(anchor)) {
                // FHIR R4 Patient has no note element; the v2-to-FHIR IG maps none for a PID note either.
                warnings.leftOut(MappingWarnings.NOTE_NOT_MAPPED, location, "patient note has no Patient element");
            }
            checkBounds(segment, header, location);
            String text = canonical(segment, header, charset, location, warnings);
            UnmappedFields.report(text, location, header.fieldSeparator(), warnings, kept);
            if ("OBX".equals(name)) {
                observations.add(new ObxText(ordinal, text));
            }
            kept.append('\r');
        }
        return new ParsedOru(parse(kept.toString()), ignored, observations);
    }

    private static int segmentsLength(List<String> segments) {
        int length = 0;
        for (String segment : segments) {
            length += segment.length() + 1;
        }
        return length;
    }

    /**
     * Refuses a field with more separators than any laboratory sends. HAPI builds an object per component, and a
     * few hundred KB of delimiters in one field kept a core busy for more than 30 s per delivery attempt.
     */
    static void checkBounds(String segment, MessageHeader header, String location) throws LabMappingException {
        if (segment.length() <= MAX_SEPARATORS) {
            // Too short to hold that many separators: nearly every segment, so the scan below is skipped.
            return;
        }
        char field = header.fieldSeparator();
        String encoding = header.encodingCharacters();
        char component = encoding.charAt(0);
        char repetition = encoding.charAt(1);
        char subcomponent = encoding.length() > 3 ? encoding.charAt(3) : component;
        int separators = 0;
        int fieldNumber = 0;
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == field) {
                separators = 0;
                fieldNumber++;
            } else if ((c == component || c == repetition || c == subcomponent) && ++separators > MAX_SEPARATORS) {
                throw new LabMappingException("LAB-205", location + "-" + fieldNumber,
                        "field holds more than " + MAX_SEPARATORS + " repetitions, components and subcomponents");
            }
        }
    }

    private static String canonical(String segment, MessageHeader header, Charset charset, String location,
            MappingWarnings warnings) {
        List<Hl7Escapes.Issue> issues = new ArrayList<>(0);
        String text = Hl7Escapes.canonical(segment, header.fieldSeparator(), header.encodingCharacters(), charset,
                issues);
        for (Hl7Escapes.Issue issue : issues) {
            warnings.kept(MappingWarnings.ESCAPE_KEPT, location + "-" + issue.field(), issue.rule());
        }
        return withoutControlCharacters(text, location, warnings);
    }

    /**
     * FHIR R4 strings allow no control characters but tab, CR and LF; a NUL copied into a name makes the whole
     * Bundle invalid and the store refuse it. They are removed, sent or hex-escaped, and reported.
     */
    static String withoutControlCharacters(String segment, String location, MappingWarnings warnings) {
        int first = firstControlCharacter(segment);
        if (first < 0) {
            return segment;
        }
        warnings.kept(MappingWarnings.CONTROL_REMOVED, location, "control characters removed");
        StringBuilder kept = new StringBuilder(segment.length()).append(segment, 0, first);
        for (int i = first + 1; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (!isControl(c)) {
                kept.append(c);
            }
        }
        return kept.toString();
    }

    private static int firstControlCharacter(String segment) {
        for (int i = 0; i < segment.length(); i++) {
            if (isControl(segment.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /** C0 controls but tab, LF and CR, and DEL: the characters FHIR strings may not hold. */
    private static boolean isControl(char c) {
        return c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7F;
    }

    private ORU_R01 parse(String text) throws LabMappingException {
        ORU_R01 message = new ORU_R01(context.getModelClassFactory());
        message.setParser(parser);
        try {
            parser.parse(message, text);
        } catch (HL7Exception e) {
            throw new LabMappingException("LAB-200", locationOf(e), "message could not be parsed as ORU^R01");
        }
        return message;
    }

    /** HAPI's location has segment and field numbers only, never values. */
    private static String locationOf(HL7Exception e) {
        if (e.getLocation() == null || e.getLocation().getSegmentName() == null) {
            return "";
        }
        String segment = e.getLocation().getSegmentName();
        int field = e.getLocation().getField();
        return field > 0 ? segment + "-" + field : segment;
    }
}
