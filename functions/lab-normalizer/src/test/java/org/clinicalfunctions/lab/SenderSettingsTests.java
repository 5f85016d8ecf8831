package org.clinicalfunctions.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneId;
import java.util.List;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Per-sender settings: a zoneless time takes MSH-7's offset, else the sender's zone, else the default zone; a
 * sender's local OBX-3 and OBR-4 codes keep their coding and gain the configured LOINC coding.
 */
class SenderSettingsTests {

    private static final FhirContext FHIR = LabFixtures.FHIR;
    private static final LabNormalizerProperties PROPERTIES = new LabNormalizerProperties(ZoneId.of("Europe/Paris"),
            List.of(new LabNormalizerProperties.Sender("LAB", "ACME", ZoneId.of("America/New_York"),
                    List.of(new LabNormalizerProperties.LocalCode("GLU", "L", "2345-7", "Glucose [Mass/volume]"),
                            new LabNormalizerProperties.LocalCode("CHEM7", "99LAB", "24321-2", null))),
                new LabNormalizerProperties.Sender("LAB", "", ZoneId.of("Asia/Tokyo"), null),
                new LabNormalizerProperties.Sender("OTHER", "ACME", null,
                    List.of(new LabNormalizerProperties.LocalCode("NA", "", "2951-2", null)))));
    private static final LabResultNormalizer NORMALIZER = new LabResultNormalizer(FHIR, PROPERTIES);

    @ParameterizedTest(name = "{0}^{1} MSH-7 {2}: {3} -> {4}")
    @CsvSource(delimiter = ';', value = {
        "LAB ; ACME ; 20240705101500+0200 ; 20240705123000 ; 2024-07-05T12:30:00+02:00",
        "LAB ; ACME ; 20240705101500 ; 20240705123000 ; 2024-07-05T12:30:00-04:00",
        "LAB ; ACME ; 20240105101500 ; 20240105123000 ; 2024-01-05T12:30:00-05:00",
        "LAB ; ACME ; 20240105101500 ; 20240105123000-0800 ; 2024-01-05T12:30:00-08:00",
        "LAB ; NORTH ; 20240705101500 ; 20240705123000 ; 2024-07-05T12:30:00+09:00",
        "OTHER ; ACME ; 20240705101500 ; 20240705123000 ; 2024-07-05T12:30:00+02:00",
        "OTHER ; SOUTH ; 20240105101500 ; 20240105123000 ; 2024-01-05T12:30:00+01:00",
        "lab ; ACME ; 20240105101500 ; 20240105123000 ; 2024-01-05T12:30:00+01:00",
        "LAB ; ACME ; 20240705101500 ; 20240705 ; 2024-07-05",
    })
    void zonelessTimeTakesMessageOffsetElseSenderZoneElseDefault(String application, String facility,
            String messageTime, String obx14, String expected) throws Exception {
        String message = LabMessages.join(msh(application, facility, messageTime), LabMessages.PID,
                "OBR|1||FL1|2345-7^Glucose^LN", "OBX|1|NM|2345-7^Glucose^LN||5.4|mmol/L|||||F|||" + obx14);

        Observation observation = only(NORMALIZER.normalize(message), Observation.class);

        assertThat(observation.getEffectiveDateTimeType().getValueAsString()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}^{1} OBX-3 {2}")
    @CsvSource(delimiter = ';', value = {
        "LAB ; ACME ; GLU^Glucose^L ; {\"coding\":[{\"system\":\"urn:clinicalfunctions:hl7v2:codesystem:L\","
            + "\"code\":\"GLU\",\"display\":\"Glucose\"},{\"system\":\"http://loinc.org\",\"code\":\"2345-7\","
            + "\"display\":\"Glucose [Mass/volume]\"}],\"text\":\"Glucose\"}",
        "LAB ; ACME ; GLU^Glucose^99LAB ; {\"coding\":[{\"system\":\"urn:clinicalfunctions:hl7v2:codesystem:99LAB\","
            + "\"code\":\"GLU\",\"display\":\"Glucose\"}],\"text\":\"Glucose\"}",
        "LAB ; ACME ; GLU^Glucose^L^2345-7^Glucose^LN ; {\"coding\":[{\"system\":"
            + "\"urn:clinicalfunctions:hl7v2:codesystem:L\",\"code\":\"GLU\",\"display\":\"Glucose\"},"
            + "{\"system\":\"http://loinc.org\",\"code\":\"2345-7\",\"display\":\"Glucose\"}],\"text\":\"Glucose\"}",
        "LAB ; NORTH ; GLU^Glucose^L ; {\"coding\":[{\"system\":\"urn:clinicalfunctions:hl7v2:codesystem:L\","
            + "\"code\":\"GLU\",\"display\":\"Glucose\"}],\"text\":\"Glucose\"}",
        "OTHER ; ACME ; NA^Sodium ; {\"coding\":[{\"system\":\"urn:clinicalfunctions:hl7v2:codesystem:local\","
            + "\"code\":\"NA\",\"display\":\"Sodium\"},{\"system\":\"http://loinc.org\",\"code\":\"2951-2\"}],"
            + "\"text\":\"Sodium\"}",
        "OTHER ; ACME ; GLU^Glucose^L ; {\"coding\":[{\"system\":\"urn:clinicalfunctions:hl7v2:codesystem:L\","
            + "\"code\":\"GLU\",\"display\":\"Glucose\"}],\"text\":\"Glucose\"}",
    })
    void localObservationCodeKeepsItsCodingAndGainsLoinc(String application, String facility, String obx3,
            String expectedJson) throws Exception {
        String message = LabMessages.join(msh(application, facility, "20240305101500+0100"), LabMessages.PID,
                "OBR|1||FL1|2345-7^Glucose^LN", "OBX|1|NM|" + obx3 + "||5.4|mmol/L|||||F");

        Observation observation = only(NORMALIZER.normalize(message), Observation.class);

        assertThat(FHIR.newJsonParser().encodeToString(observation.getCode())).isEqualTo(expectedJson);
    }

    @ParameterizedTest(name = "OBR-4 {0}")
    @CsvSource(delimiter = ';', value = {
        "CHEM7^Basic panel^99LAB ; {\"coding\":[{\"system\":\"urn:clinicalfunctions:hl7v2:codesystem:99LAB\","
            + "\"code\":\"CHEM7\",\"display\":\"Basic panel\"},{\"system\":\"http://loinc.org\","
            + "\"code\":\"24321-2\"}],\"text\":\"Basic panel\"}",
        "CHEM7^Basic panel^L ; {\"coding\":[{\"system\":\"urn:clinicalfunctions:hl7v2:codesystem:L\","
            + "\"code\":\"CHEM7\",\"display\":\"Basic panel\"}],\"text\":\"Basic panel\"}",
    })
    void localOrderCodeGainsLoincOnReportAndRequest(String obr4, String expectedJson) throws Exception {
        String message = LabMessages.join(msh("LAB", "ACME", "20240305101500+0100"), LabMessages.PID,
                "OBR|1||FL1|" + obr4, "OBX|1|NM|2345-7^Glucose^LN||5.4|mmol/L|||||F");

        Bundle bundle = NORMALIZER.normalize(message);

        assertThat(FHIR.newJsonParser().encodeToString(only(bundle, DiagnosticReport.class).getCode()))
                .isEqualTo(expectedJson);
        assertThat(FHIR.newJsonParser().encodeToString(only(bundle, ServiceRequest.class).getCode()))
                .isEqualTo(expectedJson);
    }

    @Test
    void bundleWithLoincCodingsPassesValidation() throws Exception {
        String message = LabMessages.join(msh("LAB", "ACME", "20240105101500"), LabMessages.PID,
                "OBR|1||FL1|CHEM7^Basic panel^99LAB", "OBX|1|NM|GLU^Glucose^L||5.4|mmol/L|||||F|||20240105123000");

        Bundle bundle = NORMALIZER.normalize(message);

        assertThat(LabFixtures.validation().errors(bundle)).isEmpty();
    }

    private static String msh(String application, String facility, String dateTime) {
        return "MSH|^~\\&|" + application + "|" + facility + "|EHR|CLINIC|" + dateTime + "||ORU^R01|CTRL1|P|2.5.1";
    }

    private static <T> T only(Bundle bundle, Class<T> type) {
        List<T> found = bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(type::isInstance).map(type::cast).toList();
        assertThat(found).hasSize(1);
        return found.get(0);
    }
}
