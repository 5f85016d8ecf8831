package org.clinicalfunctions.lab;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import ca.uhn.hl7v2.model.Type;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;

/**
 * Coded HL7 v2 values (CE, CWE, CNE) as FHIR codings. LN and SCT become their FHIR system URLs; any other coding
 * system, HL7 tables included, gets a local URN so that the validator never checks a code against a table it was
 * not sent from.
 */
final class Codings {

    static final String LOINC = "http://loinc.org";
    static final String SNOMED = "http://snomed.info/sct";
    static final String LOCAL_CODE_SYSTEM = "urn:clinicalfunctions:hl7v2:codesystem:";
    static final String LOCAL_ASSIGNER = "urn:clinicalfunctions:hl7v2:assigner:";

    private Codings() {
    }

    /** The CodeableConcept of a CE/CWE/CNE field (primary and alternate triplets); null when the field is empty. */
    static CodeableConcept concept(Type field) {
        CodeableConcept concept = new CodeableConcept();
        addCoding(concept, V2Fields.text(field, 1), V2Fields.text(field, 2), V2Fields.text(field, 3));
        addCoding(concept, V2Fields.text(field, 4), V2Fields.text(field, 5), V2Fields.text(field, 6));
        String originalText = V2Fields.text(field, 9);
        String text = originalText.isEmpty() ? V2Fields.text(field, 2) : originalText;
        if (!text.isEmpty()) {
            concept.setText(text);
        }
        return concept.isEmpty() ? null : concept;
    }

    private static void addCoding(CodeableConcept concept, String code, String display, String system) {
        if (code.isEmpty()) {
            return;
        }
        Coding coding = concept.addCoding().setSystem(systemOf(system)).setCode(code);
        if (!display.isEmpty()) {
            coding.setDisplay(display);
        }
    }

    /** The FHIR system URL for an HL7 v2 coding system name (HL7 table 0396). */
    static String systemOf(String codingSystem) {
        return switch (codingSystem.toUpperCase(Locale.ROOT)) {
            case "LN" -> LOINC;
            case "SCT" -> SNOMED;
            case "" -> LOCAL_CODE_SYSTEM + "local";
            default -> LOCAL_CODE_SYSTEM + encode(codingSystem);
        };
    }

    /**
     * The identifier system of an HL7 v2 assigning authority (HD): its ISO OID as {@code urn:oid:}, else a local
     * URN named by the namespace id; null when the authority is empty.
     */
    static String identifierSystem(String namespace, String universalId, String universalIdType) {
        if ("ISO".equalsIgnoreCase(universalIdType) && isOid(universalId)) {
            return "urn:oid:" + universalId;
        }
        if (!namespace.isEmpty()) {
            return LOCAL_ASSIGNER + encode(namespace);
        }
        return universalId.isEmpty() ? null : LOCAL_ASSIGNER + encode(universalId);
    }

    /**
     * An ISO OID in dot notation: a first arc of 0, 1 or 2, then one or more arcs, each 0 or a number without a
     * leading zero ({@code 2.16.840.1.113883}). Checked by one scan: every identifier of every message comes here.
     */
    static boolean isOid(String text) {
        if (text.length() < 3 || text.charAt(0) < '0' || text.charAt(0) > '2') {
            return false;
        }
        int at = 1;
        while (at < text.length()) {
            if (text.charAt(at) != '.' || at + 1 == text.length()) {
                return false;
            }
            int arc = at + 1;
            int end = arc;
            while (end < text.length() && text.charAt(end) >= '0' && text.charAt(end) <= '9') {
                end++;
            }
            if (end == arc || text.charAt(arc) == '0' && end > arc + 1) {
                return false;
            }
            at = end;
        }
        return true;
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
