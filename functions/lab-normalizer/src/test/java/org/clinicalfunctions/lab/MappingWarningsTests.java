package org.clinicalfunctions.lab;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Whatever the mapping leaves out or weakens is reported by code and location in an OperationOutcome entry of the
 * Bundle, which the R4 validator accepts; the warnings never quote a value.
 */
class MappingWarningsTests {

    private static final FhirContext FHIR = LabFixtures.FHIR;
    private static final LabResultNormalizer NORMALIZER = LabFixtures.NORMALIZER;
    private static FhirR4Validation validation;

    @BeforeAll
    static void buildValidator() {
        validation = LabFixtures.validation();
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = ';', value = {
        "OBX|1|NM|X1^Test^L||12a|mg|||||F ; LAB-303 OBX[1]-5: numeric value is not a number, kept as text ; 12a",
        "OBX|1|NM|X1^Test^L||3|cells/hpf|||||F ; LAB-304 OBX[1]-6: unit is not UCUM, kept as text only ; cells",
        "OBX|1|NM|X1^Test^L||7|||H~ZZ|||F ; LAB-305 OBX[1]-8: abnormal flag is not in HL7 table 0078, kept under a "
            + "local system ; ZZ",
        "ZPI|1|secret ; LAB-301 ZPI[1]: segment has no place in ORU^R01 ; secret",
        "PV1|1|O|secret ; LAB-301 PV1[1]: segment is not mapped ; secret",
        "OBX|1|ST|X1^Test^L||a\\Qsecret\\||||||F ; LAB-302 OBX[1]-5: unsupported escape kept literally ; secret",
        "OBX|1|NM|X1^Test^L||7|mg|||||F|||||secret ; LAB-308 OBX[1]-16: field is not mapped ; secret",
        "OBX|1|NM|X1^Test^L||7|mg|||||F||||||||20240305 ; LAB-308 OBX[1]-19: field is not mapped ; 20240305",
        "OBX|1|NM|X1^Test^L||7|mg|||||F||||||||||||||secret ; LAB-308 OBX[1]-25: field is not mapped ; secret",
    })
    void reportsWhatIsNotMappedByLocationInAValidOutcome(String segment, String diagnostics, String value)
            throws Exception {
        String message = LabMessages.withObservations(segment);

        Bundle bundle = NORMALIZER.normalize(message);

        BundleEntryComponent entry = bundle.getEntry().get(bundle.getEntry().size() - 1);
        OperationOutcome outcome = (OperationOutcome) entry.getResource();
        assertThat(outcome.getIssue()).extracting(OperationOutcome.OperationOutcomeIssueComponent::getDiagnostics)
                .containsExactly(diagnostics);
        assertThat(outcome.getIssueFirstRep().getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.WARNING);
        assertThat(outcome.getIssueFirstRep().getLocation().get(0).getValue())
                .isEqualTo(diagnostics.substring(8, diagnostics.indexOf(':')));
        assertThat(entry.getRequest().getUrl()).isEqualTo("OperationOutcome/" + outcome.getIdElement().getIdPart());
        assertThat(entry.getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.PUT);
        assertThat(FHIR.newJsonParser().encodeResourceToString(outcome)).doesNotContain(value);
        assertThat(validation.errors(bundle)).isEmpty();
        assertThat(validation.errors(outcome)).isEmpty();
    }

    @Test
    void notesAfterPidAreReportedAsLeftOut() throws Exception {
        String message = LabMessages.join(LabMessages.MSH, LabMessages.PID, "NTE|1||fasting since noon",
                LabMessages.OBR, "OBX|1|NM|X1^Test^L||7|mg|||||F");

        OperationOutcome outcome = OruToFhirMapperTests.only(NORMALIZER.normalize(message), OperationOutcome.class);

        assertThat(outcome.getIssueFirstRep().getDiagnostics())
                .isEqualTo("LAB-306 NTE[1]: patient note has no Patient element");
        assertThat(outcome.getIssueFirstRep().getCode()).isEqualTo(OperationOutcome.IssueType.NOTSUPPORTED);
    }

    @Test
    void removesControlCharactersThatFhirStringsCannotHold() throws Exception {
        String message = LabMessages.join(LabMessages.MSH, "PID|1||MRN1^^^HOSP^MR||Do\u0000e^Ja\u001bne||19800102|F",
                LabMessages.OBR, "OBX|1|NM|X1^Test^L||7|mg|||||F");

        Bundle bundle = NORMALIZER.normalize(message);

        org.hl7.fhir.r4.model.Patient patient = OruToFhirMapperTests.only(bundle, org.hl7.fhir.r4.model.Patient.class);
        assertThat(patient.getNameFirstRep().getFamily()).isEqualTo("Doe");
        assertThat(patient.getNameFirstRep().getGivenAsSingleString()).isEqualTo("Jane");
        OperationOutcome outcome = OruToFhirMapperTests.only(bundle, OperationOutcome.class);
        assertThat(outcome.getIssueFirstRep().getDiagnostics())
                .isEqualTo("LAB-307 PID[1]: control characters removed");
        assertThat(validation.errors(bundle)).isEmpty();
    }

    @Test
    void fieldsOfOrderPatientAndHeaderThatAreNotMappedAreEachReported() throws Exception {
        String message = LabMessages.join(
                "MSH|^~\\&|LAB|ACME|EHR|CLINIC|20240305120000+0100||ORU^R01^ORU_R01|CTRL1|P|2.5.1|||||||||PROFILE",
                "PID|1||MRN1^^^HOSP^MR||Doe^Jane||19800102|F||2106-3^White^CDCREC",
                "OBR|1||F1|2345-7^Glucose^LN|||20240305|||||||||1234^Ordering^Doctor||||||20240305|||F",
                "OBX|1|NM|X1^Test^L||7|mg|||||F");

        OperationOutcome outcome = OruToFhirMapperTests.only(NORMALIZER.normalize(message), OperationOutcome.class);

        assertThat(outcome.getIssue()).extracting(OperationOutcome.OperationOutcomeIssueComponent::getDiagnostics)
                .containsExactly("LAB-308 MSH[1]-21: field is not mapped", "LAB-308 PID[1]-10: field is not mapped",
                        "LAB-308 OBR[1]-16: field is not mapped",
                        "LAB-308 OBR[1]-22: a date without a time cannot be DiagnosticReport.issued, an instant");
        assertThat(FHIR.newJsonParser().encodeResourceToString(outcome)).doesNotContain("White", "Ordering");
    }

    @Test
    void messageMappedInFullHasNoOutcome() throws Exception {
        String message = LabMessages.withObservations("OBX|1|NM|X1^Test^L||7|mg|1-10|H|||F");

        Bundle bundle = NORMALIZER.normalize(message);

        assertThat(OruToFhirMapperTests.all(bundle, OperationOutcome.class)).isEmpty();
    }

    @Test
    void outcomeIdIsTheSameForTheSameMessage() throws Exception {
        String message = LabMessages.withObservations("OBX|1|NM|X1^Test^L||7|cells/hpf|||||F");

        String first = OruToFhirMapperTests.only(NORMALIZER.normalize(message), OperationOutcome.class).getId();
        String second = OruToFhirMapperTests.only(NORMALIZER.normalize(message), OperationOutcome.class).getId();

        assertThat(first).isEqualTo(second).isNotEmpty();
    }
}
