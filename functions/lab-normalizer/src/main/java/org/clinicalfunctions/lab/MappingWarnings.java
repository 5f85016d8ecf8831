package org.clinicalfunctions.lab;

import java.util.ArrayList;
import java.util.List;

import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * What one message's mapping left out or could not map faithfully, by stable code and HL7 location, never by value.
 * They travel with the result as an OperationOutcome in the Bundle (issue 3: nothing is dropped silently).
 */
final class MappingWarnings {

    /** A segment v2.5.1 ORU^R01 has no place for, or one the mapping does not read. */
    static final String SEGMENT_SET_ASIDE = "LAB-301";
    /** An escape sequence kept literally. */
    static final String ESCAPE_KEPT = "LAB-302";
    /** An NM value that is not a number, kept as text. */
    static final String NUMBER_AS_TEXT = "LAB-303";
    /** A unit that is not UCUM, kept as text without system and code. */
    static final String UNIT_NOT_UCUM = "LAB-304";
    /** An abnormal flag outside HL7 table 0078, kept under a local system. */
    static final String UNKNOWN_INTERPRETATION = "LAB-305";
    /** A note whose anchor has no note element in FHIR R4. */
    static final String NOTE_NOT_MAPPED = "LAB-306";
    /** Control characters FHIR strings cannot hold (NUL, ESC...), removed from a segment. */
    static final String CONTROL_REMOVED = "LAB-307";
    /** A field that holds a value the mapping does not read, or one whose value has no place (a date-only OBR-22). */
    static final String FIELD_NOT_MAPPED = "LAB-308";

    /**
     * One warning.
     *
     * @param code one of the {@code LAB-3xx} codes above
     * @param location HL7 location, e.g. {@code OBX[2]-6}
     * @param rule what was not mapped and why, without a field value
     * @param notSupported true when the content is left out, false when it is kept in a weaker form
     */
    record Warning(String code, String location, String rule, boolean notSupported) {

        String diagnostics() {
            return code + " " + location + ": " + rule;
        }
    }

    private final List<Warning> warnings = new ArrayList<>();

    /** Content kept, but not in the form the standard asks for. */
    void kept(String code, String location, String rule) {
        warnings.add(new Warning(code, location, rule, false));
    }

    /** Content left out of the FHIR result. */
    void leftOut(String code, String location, String rule) {
        warnings.add(new Warning(code, location, rule, true));
    }

    List<Warning> all() {
        return List.copyOf(warnings);
    }

    int count() {
        return warnings.size();
    }

    /** The locations, comma separated, for the log line. */
    String locations() {
        return String.join(",", warnings.stream().map(w -> w.code() + "@" + w.location()).toList());
    }

    /** The warnings as one OperationOutcome, or null when there are none. */
    OperationOutcome outcome() {
        if (warnings.isEmpty()) {
            return null;
        }
        OperationOutcome outcome = new OperationOutcome();
        for (Warning warning : warnings) {
            outcome.addIssue().setSeverity(IssueSeverity.WARNING)
                    .setCode(warning.notSupported() ? IssueType.NOTSUPPORTED : IssueType.INFORMATIONAL)
                    .setDiagnostics(warning.diagnostics())
                    .addLocation(warning.location());
        }
        return outcome;
    }
}
