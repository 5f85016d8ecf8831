package org.clinicalfunctions.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import java.util.List;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Specimen;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What each OBX, OBR, PID and SPM becomes, with the exact FHIR JSON expected. */
class OruToFhirMapperTests {

    private static final FhirContext FHIR = LabResultNormalizer.newFhirContext();
    private static final LabResultNormalizer NORMALIZER =
            new LabResultNormalizer(FHIR, new LabNormalizerProperties(ZoneId.of("UTC")));

    @ParameterizedTest(name = "{0} {1} -> {3}")
    @CsvSource(delimiter = ';', value = {
        "NM ; 065.880 ; mg/dL^^UCUM ; \"valueQuantity\":{\"value\":65.880,\"unit\":\"mg/dL\","
            + "\"system\":\"http://unitsofmeasure.org\",\"code\":\"mg/dL\"}",
        "NM ; +.5 ; '' ; \"valueQuantity\":{\"value\":0.5}",
        "NM ; 12a ; mg ; \"valueString\":\"12a\"",
        "NM ; -7.0 ; x10E3/uL ; \"valueQuantity\":{\"value\":-7.0,\"unit\":\"x10E3/uL\"}",
        "NM ; 12 ; \u00B5mol/L ; \"valueQuantity\":{\"value\":12,\"unit\":\"\u00B5mol/L\","
            + "\"system\":\"http://unitsofmeasure.org\",\"code\":\"umol/L\"}",
        "SN ; <^5 ; '' ; \"valueQuantity\":{\"value\":5,\"comparator\":\"<\"}",
        "SN ; >=^10 ; '' ; \"valueQuantity\":{\"value\":10,\"comparator\":\">=\"}",
        "SN ; =^3 ; '' ; \"valueQuantity\":{\"value\":3}",
        "SN ; ^2^-^4 ; mmol/L ; \"valueRange\":{\"low\":{\"value\":2,\"unit\":\"mmol/L\","
            + "\"system\":\"http://unitsofmeasure.org\",\"code\":\"mmol/L\"},\"high\":{\"value\":4,"
            + "\"unit\":\"mmol/L\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"mmol/L\"}}",
        "SN ; ^1^:^128 ; '' ; \"valueRatio\":{\"numerator\":{\"value\":1},\"denominator\":{\"value\":128}}",
        "SN ; ^2^+ ; '' ; \"valueString\":\"2+\"",
        "CWE ; 260373001^Detected^SCT ; '' ; \"valueCodeableConcept\":{\"coding\":[{\"system\":"
            + "\"http://snomed.info/sct\",\"code\":\"260373001\",\"display\":\"Detected\"}],\"text\":\"Detected\"}",
        "CWE ; POS^Positive^L^10828004^Positive^SCT ; '' ; \"valueCodeableConcept\":{\"coding\":[{\"system\":"
            + "\"urn:clinicalfunctions:hl7v2:codesystem:L\",\"code\":\"POS\",\"display\":\"Positive\"},{\"system\":"
            + "\"http://snomed.info/sct\",\"code\":\"10828004\",\"display\":\"Positive\"}],\"text\":\"Positive\"}",
        "CE ; 1234-5^Thing^LN ; '' ; \"valueCodeableConcept\":{\"coding\":[{\"system\":\"http://loinc.org\","
            + "\"code\":\"1234-5\",\"display\":\"Thing\"}],\"text\":\"Thing\"}",
        "ST ; '  two  spaces  ' ; '' ; \"valueString\":\"  two  spaces  \"",
        "TX ; 'a^b \\T\\ c' ; '' ; \"valueString\":\"a^b & c\"",
        "'' ; '  no type  ' ; '' ; \"valueString\":\"  no type  \"",
        "DT ; 20240305 ; '' ; \"valueDateTime\":\"2024-03-05\"",
        "DTM ; 202403051230-0500 ; '' ; \"valueDateTime\":\"2024-03-05T12:30:00-05:00\"",
        "TS ; 20240305123045.12 ; '' ; \"valueDateTime\":\"2024-03-05T12:30:45.12+01:00\"",
    })
    void mapsObservationValueByValueType(String type, String value, String units, String expectedJson)
            throws Exception {
        String message = LabMessages.withObservations("OBX|1|" + type + "|X1^Test^L||" + value + "|" + units
                + "|||||F");

        Observation observation = only(NORMALIZER.normalize(message), Observation.class);

        assertThat(valueJson(observation)).isEqualTo(expectedJson);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "70-99 ; \"low\":{\"value\":70},\"high\":{\"value\":99},\"text\":\"70-99\"",
        "3.5 - 5.0 ; \"low\":{\"value\":3.5},\"high\":{\"value\":5.0},\"text\":\"3.5 - 5.0\"",
        "-2 to 2 ; \"low\":{\"value\":-2},\"high\":{\"value\":2},\"text\":\"-2 to 2\"",
        "<10 ; \"high\":{\"value\":10},\"text\":\"<10\"",
        "<=1.5 ; \"high\":{\"value\":1.5},\"text\":\"<=1.5\"",
        ">60 ; \"low\":{\"value\":60},\"text\":\">60\"",
        "3.5 to 5.0 ; \"low\":{\"value\":3.5},\"high\":{\"value\":5.0},\"text\":\"3.5 to 5.0\"",
        "-5 - -1 ; \"low\":{\"value\":-5},\"high\":{\"value\":-1},\"text\":\"-5 - -1\"",
        "-10--2 ; \"low\":{\"value\":-10},\"high\":{\"value\":-2},\"text\":\"-10--2\"",
        "> -3 ; \"low\":{\"value\":-3},\"text\":\"> -3\"",
        "Non-reactive ; \"text\":\"Non-reactive\"",
        ">=5 ; \"low\":{\"value\":5},\"text\":\">=5\"",
        "negative ; \"text\":\"negative\"",
        "^^10.000000 ; \"text\":\"^^10.000000\"",
    })
    void keepsReferenceRangeTextAndParsesSimpleBounds(String range, String expectedJson) throws Exception {
        String message = LabMessages.withObservations("OBX|1|NM|X1^Test^L||7||" + range + "||||F");

        Observation observation = only(NORMALIZER.normalize(message), Observation.class);

        String json = FHIR.newJsonParser().encodeToString(observation.getReferenceRangeFirstRep());
        assertThat(json).isEqualTo("{" + expectedJson + "}");
    }

    @Test
    void givesRangeBoundsTheResultUnit() throws Exception {
        String message = LabMessages.withObservations("OBX|1|NM|X1^Test^L||7|mg/dl|70 - 99||||F");

        Observation observation = only(NORMALIZER.normalize(message), Observation.class);

        String json = FHIR.newJsonParser().encodeToString(observation.getReferenceRangeFirstRep());
        assertThat(json).isEqualTo("{\"low\":{\"value\":70,\"unit\":\"mg/dl\",\"system\":"
                + "\"http://unitsofmeasure.org\",\"code\":\"mg/dL\"},\"high\":{\"value\":99,\"unit\":\"mg/dl\","
                + "\"system\":\"http://unitsofmeasure.org\",\"code\":\"mg/dL\"},\"text\":\"70 - 99\"}");
    }

    @Test
    void mapsEveryInterpretationRepetitionToV3() throws Exception {
        String message = LabMessages.withObservations("OBX|1|NM|X1^Test^L||7|||H~A~POS|||F");

        Observation observation = only(NORMALIZER.normalize(message), Observation.class);

        assertThat(observation.getInterpretation()).flatExtracting(CodeableConcept::getCoding)
                .extracting(Coding::getSystem, Coding::getCode)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Interpretations.V3, "H"),
                        org.assertj.core.groups.Tuple.tuple(Interpretations.V3, "A"),
                        org.assertj.core.groups.Tuple.tuple(Interpretations.V3, "POS"));
    }

    @Test
    void marksEmptyFinalResultAsDataAbsent() throws Exception {
        String message = LabMessages.withObservations("OBX|1|NM|X1^Test^L||||||||F");

        Observation observation = only(NORMALIZER.normalize(message), Observation.class);

        assertThat(observation.hasValue()).isFalse();
        assertThat(observation.getDataAbsentReason().getCodingFirstRep().getCode()).isEqualTo("unknown");
    }

    @Test
    void leavesPendingEmptyResultWithoutAbsentReason() throws Exception {
        String message = LabMessages.withObservations("OBX|1|NM|X1^Test^L||||||||I");

        Observation observation = only(NORMALIZER.normalize(message), Observation.class);

        assertThat(observation.getStatus()).isEqualTo(Observation.ObservationStatus.REGISTERED);
        assertThat(observation.hasDataAbsentReason()).isFalse();
    }

    @Test
    void takesEffectiveTimeFromObxElseObr() throws Exception {
        String message = LabMessages.withObservations("OBX|1|NM|X1^Test^L||1||||||F|||202403050800",
                "OBX|2|NM|X2^Test^L||2||||||F");

        List<Observation> observations = all(NORMALIZER.normalize(message), Observation.class);

        assertThat(observations).extracting(o -> o.getEffectiveDateTimeType().getValueAsString())
                .containsExactly("2024-03-05T08:00:00+01:00", "2024-03-05T09:30:00+01:00");
    }

    @Test
    void mapsReportFromObr() throws Exception {
        String message = LabMessages.withObservations("OBX|1|NM|X1^Test^L||1||||||C");

        Bundle bundle = NORMALIZER.normalize(message);

        DiagnosticReport report = only(bundle, DiagnosticReport.class);
        Observation observation = only(bundle, Observation.class);
        assertThat(report.getStatus()).isEqualTo(DiagnosticReport.DiagnosticReportStatus.FINAL);
        assertThat(report.getCode().getCodingFirstRep().getSystem()).isEqualTo("http://loinc.org");
        assertThat(report.getIdentifierFirstRep().getValue()).isEqualTo("FL1");
        assertThat(report.getEffectiveDateTimeType().getValueAsString()).isEqualTo("2024-03-05T09:30:00+01:00");
        assertThat(report.getResult()).extracting(r -> r.getReference())
                .containsExactly("Observation/" + observation.getIdElement().getIdPart());
        assertThat(observation.getStatus()).isEqualTo(Observation.ObservationStatus.CORRECTED);
    }

    @Test
    void takesFillerNumberFromOrcWhenObrHasNone() throws Exception {
        String message = LabMessages.join(LabMessages.MSH, LabMessages.PID, "ORC|RE||ORC-F9^LAB",
                LabMessages.OBR.replace("|FL1^LAB|", "||"), "OBX|1|NM|X1^Test^L||1||||||F");

        DiagnosticReport report = only(NORMALIZER.normalize(message), DiagnosticReport.class);

        assertThat(report.getIdentifierFirstRep().getValue()).isEqualTo("ORC-F9");
    }

    @Test
    void mapsPatientFromPid() throws Exception {
        String message = LabMessages.withObservations("OBX|1|NM|X1^Test^L||1||||||F");

        Patient patient = only(NORMALIZER.normalize(message), Patient.class);

        assertThat(FHIR.newJsonParser().encodeResourceToString(patient.setIdElement(null)))
                .isEqualTo("{\"resourceType\":\"Patient\",\"identifier\":[{\"type\":{\"text\":\"MR\"},"
                        + "\"system\":\"urn:clinicalfunctions:hl7v2:assigner:HOSP\",\"value\":\"MRN1\"}],"
                        + "\"name\":[{\"family\":\"Doe\",\"given\":[\"Jane\"]}],\"gender\":\"female\","
                        + "\"birthDate\":\"1980-01-02\"}");
    }

    @Test
    void mapsSpecimenAndReferencesItFromReportAndObservation() throws Exception {
        String message = LabMessages.withObservations("OBX|1|NM|X1^Test^L||1||||||F",
                "SPM|1|S1^S1F||119297000^Blood specimen^SCT|||||||||||||20240305070000|20240305081500+0100");

        Bundle bundle = NORMALIZER.normalize(message);

        Specimen specimen = only(bundle, Specimen.class);
        String reference = "Specimen/" + specimen.getIdElement().getIdPart();
        assertThat(specimen.getType().getCodingFirstRep().getCode()).isEqualTo("119297000");
        assertThat(specimen.getCollection().getCollectedDateTimeType().getValueAsString())
                .isEqualTo("2024-03-05T07:00:00+01:00");
        assertThat(specimen.getReceivedTimeElement().getValueAsString()).isEqualTo("2024-03-05T08:15:00+01:00");
        assertThat(only(bundle, DiagnosticReport.class).getSpecimenFirstRep().getReference()).isEqualTo(reference);
        assertThat(only(bundle, Observation.class).getSpecimen().getReference()).isEqualTo(reference);
    }

    @ParameterizedTest
    @CsvSource({"2.3", "2.4", "2.5", "2.6", "2.7", "2.8"})
    void readsOtherVersionsIntoTheSameModel(String version) throws Exception {
        String message = LabMessages.withObservations("OBX|1|NM|X1^Test^L||4.2||||||F")
                .replace("|P|2.5.1", "|P|" + version);

        Observation observation = only(NORMALIZER.normalize(message), Observation.class);

        assertThat(observation.getValueQuantity().getValue()).isEqualByComparingTo("4.2");
    }

    @Test
    void readsOruWithoutTriggerAsOruR01() throws Exception {
        String message = LabMessages.withObservations("OBX|1|NM|X1^Test^L||1||||||F")
                .replace("|ORU^R01|", "|ORU|");

        Bundle bundle = NORMALIZER.normalize(message);

        assertThat(all(bundle, Observation.class)).hasSize(1);
    }

    @Test
    void mapsEveryObxWhateverUnusedSegmentsSitBetween() throws Exception {
        String message = LabMessages.withObservations("OBX|1|ST|A^a^L||one||||||F", "CTI|TRIAL1",
                "OBX|2|ST|B^b^L||two||||||F", "SPM|1|||119297000^Blood specimen^SCT", "OBX|3|ST|C^c^L||three||||||F",
                "NTE|1||specimen note", "OBX|4|ST|D^d^L||four||||||F", "ZXT|custom");

        List<Observation> observations = all(NORMALIZER.normalize(message), Observation.class);

        assertThat(observations).extracting(o -> o.getValueStringType().getValue())
                .containsExactly("one", "two", "three", "four");
    }

    @Test
    void countsPatientLevelObxAndUnknownSegmentsAsSetAside() throws Exception {
        String message = LabMessages.join(LabMessages.MSH, LabMessages.PID, "OBX|1|NM|29463-7^Weight^LN||70||||||F",
                "PRT|1|AD", LabMessages.OBR, "OBX|1|NM|X1^Test^L||1||||||F");

        LabResultNormalizer.Normalized normalized = NORMALIZER.normalizeCounting(message);

        assertThat(normalized.ignoredSegments()).isEqualTo(2);
        assertThat(all(normalized.bundle(), Observation.class)).hasSize(1);
    }

    @Test
    void convertingTwiceYieldsIdenticalJson() throws Exception {
        String message = LabMessages.withObservations("OBX|1|NM|X1^Test^L||1|||H|||F",
                "SPM|1|S1||119297000^Blood specimen^SCT");

        String first = new String(NORMALIZER.encode(NORMALIZER.normalize(message)));
        String second = new String(NORMALIZER.encode(NORMALIZER.normalize(message)));

        assertThat(second).isEqualTo(first);
    }

    @Test
    void samePatientAcrossMessagesKeepsOneId() throws Exception {
        String first = LabMessages.withObservations("OBX|1|NM|X1^Test^L||1||||||F");
        String second = first.replace("|CTRL1|", "|CTRL2|").replace("|FL1^LAB|", "|FL2^LAB|");

        Patient one = only(NORMALIZER.normalize(first), Patient.class);
        Patient other = only(NORMALIZER.normalize(second), Patient.class);

        assertThat(other.getIdElement().getIdPart()).isEqualTo(one.getIdElement().getIdPart());
    }

    @Test
    void repeatedCodeAndSubIdGetDistinctIds() throws Exception {
        String message = LabMessages.withObservations("OBX|1|NM|X1^Test^L|1|1||||||F",
                "OBX|2|NM|X1^Test^L|1|1||||||F", "OBX|3|NM|X1^Test^L|2|1||||||F");

        List<Observation> observations = all(NORMALIZER.normalize(message), Observation.class);

        assertThat(observations).extracting(o -> o.getIdElement().getIdPart()).doesNotHaveDuplicates().hasSize(3);
    }

    @Test
    void sameFillerNumberOnTwoObrGivesTwoReports() throws Exception {
        String message = LabMessages.withObservations("OBX|1|NM|X1^Test^L||1||||||F", LabMessages.OBR,
                "OBX|1|NM|X1^Test^L||2||||||F");

        List<DiagnosticReport> reports = all(NORMALIZER.normalize(message), DiagnosticReport.class);

        assertThat(reports).extracting(r -> r.getIdElement().getIdPart()).doesNotHaveDuplicates().hasSize(2);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = ';', value = {
        "OBX|1|SN|X1^Test^L||<>^5||||||F ; LAB-212 ; OBX[1]-5",
        "OBX|1|DT|X1^Test^L||20241345||||||F ; LAB-213 ; OBX[1]-5",
        "OBX|1|NM|X1^Test^L||1||||||F|||2024-03-05 ; LAB-213 ; OBX[1]-14",
    })
    void refusesUnreadableValueNamingItsLocation(String segments, String code, String location) {
        String message = LabMessages.withObservations(segments);

        assertRefused(message, code, location);
    }

    @ParameterizedTest(name = "{1} {2}")
    @CsvSource(delimiter = ';', value = {
        "MSH|^~\\&|A|B|C|D|20240305||ADT^A01|C1|P|2.5.1\rPID|1||X ; LAB-202 ; MSH-9",
        "hello world ; LAB-100 ; MSH",
        "MSH|^~\\&|A|B|C|D|20240305||ORU^R01|C1|P|2.5.1\rPID|1||X ; LAB-201 ; OBR",
        "MSH|^~\\&|A|B|C|D|20240305||ORU^R01||P|2.5.1\rOBR|1 ; LAB-101 ; MSH-10",
    })
    void refusesMessagesThatAreNotMappableOru(String message, String code, String location) {
        assertRefused(message, code, location);
    }

    /** The refusal names code and location, and its text quotes nothing of the message beyond the location. */
    private static void assertRefused(String message, String code, String location) {
        assertThatThrownBy(() -> NORMALIZER.normalize(message))
                .isInstanceOfSatisfying(LabMappingException.class, e -> {
                    assertThat(e.code()).isEqualTo(code);
                    assertThat(e.location()).isEqualTo(location);
                    assertThat(e.diagnostics()).doesNotContain("12a", "<>", "20241345", "2024-03-05", "hello");
                });
    }

    private static String valueJson(Observation observation) {
        String json = FHIR.newJsonParser().encodeResourceToString(new Observation().setValue(observation.getValue()));
        String prefix = "{\"resourceType\":\"Observation\",";
        return json.substring(prefix.length(), json.length() - 1);
    }

    static <T extends Resource> T only(Bundle bundle, Class<T> type) {
        List<T> resources = all(bundle, type);
        assertThat(resources).hasSize(1);
        return resources.get(0);
    }

    static <T extends Resource> List<T> all(Bundle bundle, Class<T> type) {
        return bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(type::isInstance).map(type::cast).toList();
    }
}
