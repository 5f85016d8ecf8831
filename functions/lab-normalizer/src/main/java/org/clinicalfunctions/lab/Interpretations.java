package org.clinicalfunctions.lab;

import java.util.Map;

import org.hl7.fhir.r4.model.CodeableConcept;

/**
 * OBX-8 abnormal flags (HL7 table 0078) as FHIR interpretations. Table 0078 codes are the v3 ObservationInterpretation
 * codes (v2-to-FHIR IG concept map InterpretationCodes), so a known flag keeps its code in the v3 system. An unknown
 * one keeps its code under a local system, and the caller reports it: the R4 validator knows v2-0078 as a complete
 * code system and rejects a code outside it, so the v2-0078 system cannot hold it.
 */
final class Interpretations {

    static final String V3 = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";
    /** Where a flag outside table 0078 is kept. */
    static final String LOCAL_0078 = Codings.LOCAL_CODE_SYSTEM + "HL70078";

    private static final Map<String, String> DISPLAYS = Map.ofEntries(
            Map.entry("L", "Low"), Map.entry("H", "High"), Map.entry("LL", "Critical low"),
            Map.entry("HH", "Critical high"), Map.entry("LU", "Significantly low"),
            Map.entry("HU", "Significantly high"), Map.entry("<", "Off scale low"), Map.entry(">", "Off scale high"),
            Map.entry("N", "Normal"), Map.entry("A", "Abnormal"), Map.entry("AA", "Critical abnormal"),
            Map.entry("U", "Significant change up"), Map.entry("D", "Significant change down"),
            Map.entry("B", "Better"), Map.entry("W", "Worse"), Map.entry("S", "Susceptible"),
            Map.entry("R", "Resistant"), Map.entry("I", "Intermediate"), Map.entry("MS", "moderately susceptible"),
            Map.entry("VS", "very susceptible"), Map.entry("SDD", "Susceptible-dose dependent"),
            Map.entry("SYN-R", "Synergy - resistant"), Map.entry("SYN-S", "Synergy - susceptible"),
            Map.entry("NS", "Non-susceptible"), Map.entry("POS", "Positive"), Map.entry("NEG", "Negative"),
            Map.entry("IND", "Indeterminate"), Map.entry("DET", "Detected"), Map.entry("ND", "Not detected"),
            Map.entry("AC", "Anti-complementary substances present"), Map.entry("TOX", "Cytotoxic substance present"),
            Map.entry("QCF", "Quality control failure"), Map.entry("RR", "Reactive"),
            Map.entry("WR", "Weakly reactive"), Map.entry("NR", "Non-reactive"), Map.entry("E", "Equivocal"),
            Map.entry("EX", "outside threshold"), Map.entry("HX", "above high threshold"),
            Map.entry("LX", "below low threshold"), Map.entry("HM", "Hold for Medical Review"),
            Map.entry("IE", "Insufficient evidence"), Map.entry("CAR", "Carrier"), Map.entry("EXP", "Expected"),
            Map.entry("UNE", "Unexpected"), Map.entry("NCL", "No CLSI defined breakpoint"),
            Map.entry("OBX", "Interpretation qualifiers in separate OBX segments"));

    private Interpretations() {
    }

    /** True when the flag is in HL7 table 0078. */
    static boolean isKnown(String flag) {
        return DISPLAYS.containsKey(flag);
    }

    /** The interpretation for one OBX-8 repetition, or null when it is empty. */
    static CodeableConcept of(String flag) {
        if (flag.isEmpty()) {
            return null;
        }
        String display = DISPLAYS.get(flag);
        CodeableConcept concept = new CodeableConcept();
        if (display == null) {
            concept.addCoding().setSystem(LOCAL_0078).setCode(flag);
            return concept;
        }
        concept.addCoding().setSystem(V3).setCode(flag).setDisplay(display);
        return concept;
    }
}
