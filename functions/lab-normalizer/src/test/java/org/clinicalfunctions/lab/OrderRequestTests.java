package org.clinicalfunctions.lab;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ORC/OBR become the ServiceRequest that the report and every observation are based on; NTE after OBR its note. */
class OrderRequestTests {

    private static final FhirContext FHIR = LabFixtures.FHIR;
    private static final LabResultNormalizer NORMALIZER = LabFixtures.NORMALIZER;
    private static final String OBX = "OBX|1|NM|2345-7^Glucose^LN||5.4|mmol/L|||||F";
    private static FhirR4Validation validation;

    @BeforeAll
    static void buildValidator() {
        validation = LabFixtures.validation();
    }

    @Test
    void mapsOrderNumbersCodeAndSubjectAndLinksReportAndObservation() throws Exception {
        Bundle bundle = NORMALIZER.normalize(LabMessages.withObservations(OBX));

        ServiceRequest request = OruToFhirMapperTests.only(bundle, ServiceRequest.class);
        Reference reference = new Reference("ServiceRequest/" + request.getIdElement().getIdPart());
        String patient = "Patient/" + OruToFhirMapperTests.only(bundle, Patient.class).getIdElement().getIdPart();
        assertThat(request.getSubject().getReference()).isEqualTo(patient);
        assertThat(json(request)).isEqualTo("{\"resourceType\":\"ServiceRequest\",\"identifier\":[{\"type\":"
                + "{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/v2-0203\",\"code\":\"PLAC\"}]},"
                + "\"system\":\"urn:clinicalfunctions:hl7v2:assigner:EHR\",\"value\":\"PL1\"},{\"type\":{\"coding\":"
                + "[{\"system\":\"http://terminology.hl7.org/CodeSystem/v2-0203\",\"code\":\"FILL\"}]},\"system\":"
                + "\"urn:clinicalfunctions:hl7v2:assigner:LAB\",\"value\":\"FL1\"}],\"status\":\"completed\","
                + "\"intent\":\"order\",\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"2345-7\","
                + "\"display\":\"Glucose\"}],\"text\":\"Glucose\"}}");
        assertThat(OruToFhirMapperTests.only(bundle, DiagnosticReport.class).getBasedOn())
                .extracting(Reference::getReference).containsExactly(reference.getReference());
        assertThat(OruToFhirMapperTests.only(bundle, Observation.class).getBasedOn())
                .extracting(Reference::getReference).containsExactly(reference.getReference());
        assertThat(validation.errors(bundle)).isEmpty();
    }

    @Test
    void takesOrderNumbersFromOrcWhenObrHasNone() throws Exception {
        String message = LabMessages.join(LabMessages.MSH, LabMessages.PID, "ORC|RE|PL2^EHR|FL2^LAB||CM",
                "OBR|1|||2345-7^Glucose^LN", OBX);

        ServiceRequest request = OruToFhirMapperTests.only(NORMALIZER.normalize(message), ServiceRequest.class);

        assertThat(request.getIdentifier()).extracting(i -> i.getType().getCodingFirstRep().getCode() + " "
                + i.getValue()).containsExactly("PLAC PL2", "FILL FL2");
    }

    @ParameterizedTest(name = "ORC-5 {0}, OBR-25 {1} -> {2}")
    @CsvSource({
        "'', F, completed",
        "'', C, completed",
        "'', P, active",
        "'', X, revoked",
        "'', '', unknown",
        "CM, P, completed",
        "CA, F, revoked",
        "DC, '', revoked",
        "HD, '', on-hold",
        "ER, F, entered-in-error",
        "IP, F, active",
    })
    void takesStatusFromOrderStatusElseResultStatus(String orderStatus, String resultStatus, String expected)
            throws Exception {
        String obr = LabMessages.OBR.substring(0, LabMessages.OBR.length() - 1) + resultStatus;
        String message = orderStatus.isEmpty() ? LabMessages.join(LabMessages.MSH, LabMessages.PID, obr, OBX)
                : LabMessages.join(LabMessages.MSH, LabMessages.PID, "ORC|RE||||" + orderStatus, obr, OBX);

        ServiceRequest request = OruToFhirMapperTests.only(NORMALIZER.normalize(message), ServiceRequest.class);

        assertThat(request.getStatus().toCode()).isEqualTo(expected);
    }

    @Test
    void scopesEachNoteToTheSegmentItFollows() throws Exception {
        String message = LabMessages.join(LabMessages.MSH, LabMessages.PID, LabMessages.OBR,
                "NTE|1||fasting sample~second line", OBX, "NTE|1||haemolysed,  repeat  ");

        Bundle bundle = NORMALIZER.normalize(message);

        assertThat(OruToFhirMapperTests.only(bundle, ServiceRequest.class).getNote()).extracting(Annotation::getText)
                .containsExactly("fasting sample\nsecond line");
        assertThat(OruToFhirMapperTests.only(bundle, Observation.class).getNote()).extracting(Annotation::getText)
                .containsExactly("haemolysed,  repeat  ");
        assertThat(OruToFhirMapperTests.all(bundle, OperationOutcome.class)).isEmpty();
    }

    @Test
    void orderNoteWithoutPatientIsReported() throws Exception {
        String message = LabMessages.join(LabMessages.MSH, LabMessages.OBR, "NTE|1||fasting sample", OBX);

        Bundle bundle = NORMALIZER.normalize(message);

        assertThat(OruToFhirMapperTests.all(bundle, ServiceRequest.class)).isEmpty();
        assertThat(OruToFhirMapperTests.only(bundle, OperationOutcome.class).getIssueFirstRep().getDiagnostics())
                .isEqualTo("LAB-306 OBR[1]: order note has no ServiceRequest without a patient");
    }

    private static String json(ServiceRequest request) {
        ServiceRequest copy = request.copy();
        copy.setIdElement(null);
        copy.setSubject(null);
        return FHIR.newJsonParser().encodeResourceToString(copy);
    }
}
