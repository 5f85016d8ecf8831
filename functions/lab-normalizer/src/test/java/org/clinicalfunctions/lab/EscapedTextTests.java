package org.clinicalfunctions.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.stream.Stream;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Escape sequences in text values (HL7 v2.5.1 section 2.7) decode the same way in a patient name (PID-5), an OBX note
 * (NTE-3) and a text result (OBX-5 TX): each case puts one escaped text in all three places.
 */
class EscapedTextTests {

    private static final LabResultNormalizer NORMALIZER = LabFixtures.NORMALIZER;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', quoteCharacter = '"', value = {
        "a\\F\\b ; a|b ; 0",
        "a\\S\\b ; a^b ; 0",
        "a\\T\\b ; a&b ; 0",
        "a\\R\\b ; a~b ; 0",
        "a\\E\\b ; a\\b ; 0",
        "one\\.br\\two ; \"one\ntwo\" ; 0",
        "\\H\\bold\\N\\ type ; bold type ; 0",
        "caf\\XC3A9\\ ; caf\u00E9 ; 0",
        "x\\X7C\\y ; x|y ; 0",
        "a\\Zloc\\b ; a\\Zloc\\b ; 3",
        "a\\XG1\\b ; a\\XG1\\b ; 3",
        "50\\ ; 50\\ ; 3",
    })
    void decodesEscapesAlikeInNamesNotesAndTextResults(String escaped, String expected, int warnings)
            throws Exception {
        String message = LabMessages.join(LabMessages.MSH, "PID|1||MRN1^^^HOSP^MR||" + escaped + "^Jane",
                LabMessages.OBR, "OBX|1|TX|X1^Comment^L||" + escaped + "||||||F", "NTE|1||" + escaped);

        Bundle bundle = NORMALIZER.normalize(message);

        Patient patient = OruToFhirMapperTests.only(bundle, Patient.class);
        Observation observation = OruToFhirMapperTests.only(bundle, Observation.class);
        assertThat(patient.getNameFirstRep().getFamily()).isEqualTo(expected);
        assertThat(observation.getValueStringType().getValue()).isEqualTo(expected);
        assertThat(observation.getNoteFirstRep().getText()).isEqualTo(expected);
        assertThat(NORMALIZER.normalizeCounting(message).warnings().all())
                .filteredOn(w -> MappingWarnings.ESCAPE_KEPT.equals(w.code())).hasSize(warnings);
    }

    @Test
    void reportsAKeptEscapeByFieldWithoutItsText() throws Exception {
        String message = LabMessages.withObservations("OBX|1|TX|X1^Comment^L||a\\Zsecret\\b||||||F");

        MappingWarnings warnings = NORMALIZER.normalizeCounting(message).warnings();

        assertThat(warnings.all()).extracting(MappingWarnings.Warning::diagnostics)
                .containsExactly("LAB-302 OBX[1]-5: unsupported escape kept literally");
    }

    @Test
    void decodesHexInTheCharsetOfMsh18() throws Exception {
        String message = LabMessages.withObservations("OBX|1|ST|X1^Comment^L||tr\\XE8\\s||||||F")
                .replace("|P|2.5.1", "|P|2.5.1||||||8859/1");

        Observation observation = OruToFhirMapperTests.only(NORMALIZER.normalize(message), Observation.class);

        assertThat(observation.getValueStringType().getValue()).isEqualTo("tr\u00E8s");
    }

    /**
     * Seeded random texts over the delimiters, the escape character, letters and non-ASCII, without blanks at the
     * ends (HAPI trims a parsed field's leading blanks).
     */
    static Stream<String> randomTexts() {
        String alphabet = "|^~\\&abcXZ.09 \u00E9\u00DF\u20AC";
        Random random = new Random(20261204L);
        return Stream.generate(() -> {
            StringBuilder text = new StringBuilder("t");
            int length = 1 + random.nextInt(24);
            for (int i = 0; i < length; i++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            return text.append('t').toString();
        }).limit(200);
    }

    @ParameterizedTest
    @MethodSource("randomTexts")
    void escapedTextRoundTripsInNamesNotesAndTextResults(String text) throws Exception {
        String escaped = text.replace("\\", "\\E\\").replace("|", "\\F\\").replace("^", "\\S\\")
                .replace("&", "\\T\\").replace("~", "\\R\\");
        String message = LabMessages.join(LabMessages.MSH, "PID|1||MRN1^^^HOSP^MR||" + escaped + "^Jane",
                LabMessages.OBR, "OBX|1|TX|X1^Comment^L||" + escaped + "||||||F", "NTE|1||" + escaped);

        LabResultNormalizer.Normalized normalized = NORMALIZER.normalizeCounting(message);

        Patient patient = OruToFhirMapperTests.only(normalized.bundle(), Patient.class);
        Observation observation = OruToFhirMapperTests.only(normalized.bundle(), Observation.class);
        assertThat(patient.getNameFirstRep().getFamily()).isEqualTo(text);
        assertThat(observation.getValueStringType().getValue()).isEqualTo(text);
        assertThat(observation.getNoteFirstRep().getText()).isEqualTo(text);
        assertThat(normalized.warnings().count()).isZero();
    }
}
