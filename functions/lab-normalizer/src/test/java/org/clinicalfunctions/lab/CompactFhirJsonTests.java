package org.clinicalfunctions.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import ca.uhn.fhir.parser.IParser;
import org.clinicalfunctions.hl7.Hl7Batch;
import org.clinicalfunctions.hl7.Hl7Text;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Proves the compact encoder writes the very bytes HAPI's JSON encoder writes: for the Bundle of every ORU^R01
 * sample (warnings OperationOutcome included), for Synthea's Bundles and every resource in them (narratives,
 * nested extensions, decimals, booleans, choice types) and for the primitive extension rules the samples lack.
 */
class CompactFhirJsonTests {

    private static final IParser HAPI = LabFixtures.FHIR.newJsonParser();
    private static final List<String> SYNTHEA = List.of("Fannie_Waelchi_8666cd40-7af9-48c6-a1a6-86a161195542.json",
            "Dwain_McGlynn_7515d14b-843b-4210-8b6b-a33ab253d560.json", "groupInformation1588766256867.json");

    static Stream<String> samples() {
        return SampleCorpus.names().stream();
    }

    static Stream<String> syntheaFiles() {
        return SYNTHEA.stream();
    }

    @ParameterizedTest
    @MethodSource("samples")
    void sampleBundleEncodesAsHapiDoes(String sample) throws Exception {
        for (String message : Hl7Batch.messages(Hl7Text.decode(SampleCorpus.bytes(sample)))) {
            Bundle bundle = LabFixtures.NORMALIZER.normalize(message);

            String compact = new String(CompactFhirJson.encode(bundle), StandardCharsets.UTF_8);

            assertThat(compact).isEqualTo(HAPI.encodeResourceToString(bundle));
        }
    }

    @ParameterizedTest
    @MethodSource("syntheaFiles")
    void syntheaBundleAndEachResourceEncodeAsHapiDoes(String file) {
        Resource parsed = (Resource) HAPI.parseResource(synthea(file));
        List<Resource> resources = new ArrayList<>(List.of(parsed));
        if (parsed instanceof Bundle bundle) {
            bundle.getEntry().forEach(entry -> resources.add(entry.getResource()));
        }

        for (Resource resource : resources) {
            String compact = new String(CompactFhirJson.encode(resource), StandardCharsets.UTF_8);

            assertThat(compact).as(resource.fhirType()).isEqualTo(HAPI.encodeResourceToString(resource));
        }
    }

    @Test
    void primitiveIdsAndExtensionsGoToUnderscoreSiblingsPaddedWithNulls() {
        Patient patient = new Patient();
        patient.setId("p1");
        HumanName name = patient.addName().setFamily("Doe");
        name.addGiven("Ann");
        StringType second = name.addGivenElement();
        second.setValue("Marie").setId("g2");
        second.addExtension(new Extension("urn:example:given", new BooleanType(true)));
        name.addGivenElement().addExtension(new Extension("urn:example:absent", new StringType("x")));
        patient.getBirthDateElement().addExtension(new Extension("urn:example:time", new StringType("12:30")));
        patient.setActive(false);

        String compact = new String(CompactFhirJson.encode(patient), StandardCharsets.UTF_8);

        assertThat(compact).isEqualTo(HAPI.encodeResourceToString(patient))
                .contains("\"given\":[\"Ann\",\"Marie\",null],\"_given\":[null,{\"id\":\"g2\",");
    }

    @Test
    void decimalKeepsItsPrecisionAndChoiceIsNamedByType() {
        Observation observation = new Observation();
        observation.setValue(new Quantity().setValueElement(new org.hl7.fhir.r4.model.DecimalType("5.40"))
                .setUnit("mmol/L"));
        observation.getReferenceRangeFirstRep().getLow().setValue(new BigDecimal("1E+2"));

        String compact = new String(CompactFhirJson.encode(observation), StandardCharsets.UTF_8);

        assertThat(compact).isEqualTo(HAPI.encodeResourceToString(observation))
                .contains("\"valueQuantity\":{\"value\":5.40,");
    }

    private static String synthea(String file) {
        try (InputStream in = CompactFhirJsonTests.class.getResourceAsStream("/synthea/" + file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
