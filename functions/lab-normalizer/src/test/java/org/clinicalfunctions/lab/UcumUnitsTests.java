package org.clinicalfunctions.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** OBX-6 units: valid UCUM (after the common lab spellings are normalised) gets system and code, else text only. */
class UcumUnitsTests {

    private static final FhirContext FHIR = LabFixtures.FHIR;
    private static final LabResultNormalizer NORMALIZER = LabFixtures.NORMALIZER;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "mg/dL ; {\"value\":7,\"unit\":\"mg/dL\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"mg/dL\"} ; 0",
        "mg/dl ; {\"value\":7,\"unit\":\"mg/dl\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"mg/dL\"} ; 0",
        "mmol/l ; {\"value\":7,\"unit\":\"mmol/l\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"mmol/L\"} ; 0",
        "10\\S\\3/uL ; {\"value\":7,\"unit\":\"10^3/uL\",\"system\":\"http://unitsofmeasure.org\","
            + "\"code\":\"10*3/uL\"} ; 0",
        "10^3/uL ; {\"value\":7,\"unit\":\"10^3/uL\",\"system\":\"http://unitsofmeasure.org\","
            + "\"code\":\"10*3/uL\"} ; 0",
        "10^3/\u00B5L ; {\"value\":7,\"unit\":\"10^3/\u00B5L\",\"system\":\"http://unitsofmeasure.org\","
            + "\"code\":\"10*3/uL\"} ; 0",
        "\u03BCmol/L ; {\"value\":7,\"unit\":\"\u03BCmol/L\",\"system\":\"http://unitsofmeasure.org\","
            + "\"code\":\"umol/L\"} ; 0",
        "% ; {\"value\":7,\"unit\":\"%\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"%\"} ; 0",
        "mm[Hg] ; {\"value\":7,\"unit\":\"mm[Hg]\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"mm[Hg]\"} ; 0",
        "cells/hpf ; {\"value\":7,\"unit\":\"cells/hpf\"} ; 1",
        "x10E3/uL ; {\"value\":7,\"unit\":\"x10E3/uL\"} ; 1",
        "mEq/L ; {\"value\":7,\"unit\":\"mEq/L\"} ; 1",
    })
    void givesUcumSystemAndCodeOnlyToValidUcum(String unit, String expectedJson, int warnings) throws Exception {
        String message = LabMessages.withObservations("OBX|1|NM|X1^Test^L||7|" + unit + "|||||F");

        LabResultNormalizer.Normalized normalized = NORMALIZER.normalizeCounting(message);

        Observation observation = OruToFhirMapperTests.only(normalized.bundle(), Observation.class);
        assertThat(FHIR.newJsonParser().encodeToString((Quantity) observation.getValue())).isEqualTo(expectedJson);
        assertThat(normalized.warnings().all()).extracting(MappingWarnings.Warning::diagnostics)
                .containsExactlyElementsOf(warnings == 0 ? List.of()
                        : List.of("LAB-304 OBX[1]-6: unit is not UCUM, kept as text only"));
    }
}
