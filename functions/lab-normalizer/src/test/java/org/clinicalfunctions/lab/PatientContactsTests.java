package org.clinicalfunctions.lab;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Patient contact details (PID-11, PID-13, PID-14), death (PID-29, PID-30), observation method (OBX-17) and reason
 * for study (OBR-31) reach their FHIR elements, so they are not among the fields reported as not mapped.
 */
class PatientContactsTests {

    private static final LabResultNormalizer NORMALIZER = LabFixtures.NORMALIZER;
    private static FhirR4Validation validation;

    @BeforeAll
    static void buildValidator() {
        validation = LabFixtures.validation();
    }

    @Test
    void addressesGoToPatientAddressWithTheirUse() throws Exception {
        Bundle bundle = NORMALIZER.normalize(withPid(
                "PID|1||MRN1^^^HOSP^MR||Doe^Jane||19800102|F|||1 Main St^Apt 2^Springfield^IL^62701^USA^H~"
                        + "PO Box 9^^Springfield^IL^62702^^M"));

        Patient patient = OruToFhirMapperTests.only(bundle, Patient.class);

        assertThat(patient.getAddress()).hasSize(2);
        assertThat(patient.getAddress().get(0).getLine()).extracting(Object::toString)
                .containsExactly("1 Main St", "Apt 2");
        assertThat(patient.getAddress().get(0).getCity()).isEqualTo("Springfield");
        assertThat(patient.getAddress().get(0).getState()).isEqualTo("IL");
        assertThat(patient.getAddress().get(0).getPostalCode()).isEqualTo("62701");
        assertThat(patient.getAddress().get(0).getCountry()).isEqualTo("USA");
        assertThat(patient.getAddress().get(0).getUse()).isEqualTo(Address.AddressUse.HOME);
        assertThat(patient.getAddress().get(1).getType()).isEqualTo(Address.AddressType.POSTAL);
        assertThat(validation.errors(bundle)).isEmpty();
        assertThat(OruToFhirMapperTests.all(bundle, OperationOutcome.class)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "^PRN^PH^^1^555^1234567 ; phone ; home ; +1 (555) 1234567",
        "^WPN^PH^^^555^1234567^89 ; phone ; work ; (555) 1234567 ext. 89",
        "^PRN^CP^^^555^7654321 ; phone ; mobile ; (555) 7654321",
        "^PRN^FX^^^555^1111111 ; fax ; home ; (555) 1111111",
        "^NET^Internet^jane@example.org ; email ; null ; jane@example.org",
        "(555)555-1212 ; phone ; home ; (555)555-1212",
        "^PRN^PH^^^^^^^^^+15551234567 ; phone ; home ; +15551234567",
    })
    void homePhoneNumbersAndEmailGoToTelecom(String xtn, String system, String use, String value) throws Exception {
        Bundle bundle = NORMALIZER.normalize(withPid("PID|1||MRN1^^^HOSP^MR||Doe^Jane||19800102|F|||||" + xtn));

        Patient patient = OruToFhirMapperTests.only(bundle, Patient.class);

        assertThat(patient.getTelecomFirstRep().getSystem().toCode()).isEqualTo(system);
        assertThat(patient.getTelecomFirstRep().hasUse() ? patient.getTelecomFirstRep().getUse().toCode() : "null")
                .isEqualTo(use);
        assertThat(patient.getTelecomFirstRep().getValue()).isEqualTo(value);
        assertThat(validation.errors(bundle)).isEmpty();
    }

    @Test
    void businessNumberIsWorkUse() throws Exception {
        Bundle bundle = NORMALIZER.normalize(
                withPid("PID|1||MRN1^^^HOSP^MR||Doe^Jane||19800102|F||||||^^PH^^^555^2222222"));

        Patient patient = OruToFhirMapperTests.only(bundle, Patient.class);

        assertThat(patient.getTelecomFirstRep().getUse()).isEqualTo(ContactPoint.ContactPointUse.WORK);
    }

    @ParameterizedTest(name = "PID-29 {0} PID-30 {1}")
    @CsvSource(delimiter = ';', value = {
        "202401021530+0100 ; Y ; 2024-01-02T15:30:00+01:00",
        "20240102 ; Y ; 2024-01-02",
        " ; Y ; true",
        " ; N ; false",
    })
    void deathTimeOrIndicatorGoesToDeceased(String time, String indicator, String expected) throws Exception {
        String pid = "PID|1||MRN1^^^HOSP^MR||Doe^Jane||19800102|F" + "|".repeat(21) + (time == null ? "" : time)
                + "|" + indicator;

        Bundle bundle = NORMALIZER.normalize(withPid(pid));

        Patient patient = OruToFhirMapperTests.only(bundle, Patient.class);
        String deceased = patient.hasDeceasedDateTimeType() ? patient.getDeceasedDateTimeType().getValueAsString()
                : patient.getDeceasedBooleanType().getValueAsString();
        assertThat(deceased).isEqualTo(expected);
        assertThat(validation.errors(bundle)).isEmpty();
    }

    @Test
    void unreadableDeathTimeIsReportedNotRefused() throws Exception {
        Bundle bundle = NORMALIZER.normalize(withPid(
                "PID|1||MRN1^^^HOSP^MR||Doe^Jane||19800102|F" + "|".repeat(21) + "2024-13-45|Y"));

        assertThat(OruToFhirMapperTests.only(bundle, Patient.class).getDeceasedBooleanType().booleanValue()).isTrue();
        assertThat(OruToFhirMapperTests.only(bundle, OperationOutcome.class).getIssueFirstRep().getDiagnostics())
                .isEqualTo("LAB-308 PID-29: date/time value is not a valid HL7 DTM");
    }

    @Test
    void observationMethodAndReasonForStudyAreMapped() throws Exception {
        String obr = LabMessages.OBR.substring(0, LabMessages.OBR.length() - 1) + "F||||||R51^Headache^I10";
        String message = LabMessages.join(LabMessages.MSH, LabMessages.PID, obr,
                "OBX|1|NM|X1^Test^L||7|mg|||||F||||||0112^Immunoassay^OBSMETHOD");

        Bundle bundle = NORMALIZER.normalize(message);

        Observation observation = OruToFhirMapperTests.only(bundle, Observation.class);
        assertThat(observation.getMethod().getCodingFirstRep().getCode()).isEqualTo("0112");
        assertThat(observation.getMethod().getText()).isEqualTo("Immunoassay");
        ServiceRequest request = OruToFhirMapperTests.only(bundle, ServiceRequest.class);
        assertThat(request.getReasonCodeFirstRep().getCodingFirstRep().getCode()).isEqualTo("R51");
        assertThat(OruToFhirMapperTests.all(bundle, OperationOutcome.class)).isEmpty();
        assertThat(validation.errors(bundle)).isEmpty();
    }

    private static String withPid(String pid) {
        return LabMessages.join(LabMessages.MSH, pid, LabMessages.OBR, "OBX|1|NM|X1^Test^L||7|mg|||||F");
    }
}
