package org.clinicalfunctions.lab;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every HL7 table 0078 flag becomes its v3-ObservationInterpretation code, and the result validates. */
class InterpretationsTests {

    private static final LabResultNormalizer NORMALIZER = LabFixtures.NORMALIZER;
    private static FhirR4Validation validation;

    @BeforeAll
    static void buildValidator() {
        validation = LabFixtures.validation();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "L ; Low", "H ; High", "LL ; Critical low", "HH ; Critical high", "< ; Off scale low",
        "> ; Off scale high", "N ; Normal", "A ; Abnormal", "AA ; Critical abnormal",
        "U ; Significant change up", "D ; Significant change down", "B ; Better", "W ; Worse",
        "S ; Susceptible", "R ; Resistant", "I ; Intermediate", "MS ; moderately susceptible",
        "VS ; very susceptible", "POS ; Positive", "NEG ; Negative", "IND ; Indeterminate", "DET ; Detected",
        "ND ; Not detected", "AC ; Anti-complementary substances present", "TOX ; Cytotoxic substance present",
        "QCF ; Quality control failure", "RR ; Reactive", "WR ; Weakly reactive", "NR ; Non-reactive",
        "HM ; Hold for Medical Review", "IE ; Insufficient evidence", "LU ; Significantly low",
        "HU ; Significantly high", "SDD ; Susceptible-dose dependent", "NS ; Non-susceptible",
        "E ; Equivocal", "EX ; outside threshold", "HX ; above high threshold", "LX ; below low threshold",
        "NCL ; No CLSI defined breakpoint", "SYN-R ; Synergy - resistant", "SYN-S ; Synergy - susceptible",
        "CAR ; Carrier",
    })
    void mapsTable0078FlagToV3(String flag, String display) throws Exception {
        String message = LabMessages.withObservations("OBX|1|NM|X1^Test^L||7|mg||" + flag + "|||F");

        Bundle bundle = NORMALIZER.normalize(message);

        Coding coding = OruToFhirMapperTests.only(bundle, Observation.class).getInterpretationFirstRep()
                .getCodingFirstRep();
        assertThat(coding.getSystem() + "|" + coding.getCode() + "|" + coding.getDisplay())
                .isEqualTo(Interpretations.V3 + "|" + flag + "|" + display);
        assertThat(validation.errors(bundle)).isEmpty();
    }

    @Test
    void keepsUnknownFlagUnderLocalSystemWithWarning() throws Exception {
        String message = LabMessages.withObservations("OBX|1|NM|X1^Test^L||7|mg||H~XYZ|||F");

        LabResultNormalizer.Normalized normalized = NORMALIZER.normalizeCounting(message);

        Observation observation = OruToFhirMapperTests.only(normalized.bundle(), Observation.class);
        assertThat(observation.getInterpretation()).extracting(c -> c.getCodingFirstRep().getSystem() + "|"
                + c.getCodingFirstRep().getCode()).containsExactly(Interpretations.V3 + "|H",
                Interpretations.LOCAL_0078 + "|XYZ");
        assertThat(normalized.warnings().all()).extracting(MappingWarnings.Warning::location)
                .containsExactly("OBX[1]-8");
        assertThat(validation.errors(normalized.bundle())).isEmpty();
    }
}
