package org.clinicalfunctions.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Stream;

import ca.uhn.fhir.context.FhirContext;
import org.clinicalfunctions.hl7.Hl7Batch;
import org.clinicalfunctions.hl7.Hl7Text;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every ORU^R01 of the shared sample corpus (src/test/resources/hl7v2, see SOURCES.md there) maps to a Bundle that
 * the HAPI FHIR R4 validator accepts without error, resource by resource and as a whole.
 */
class SampleMessagesTests {

    private static final FhirContext FHIR = LabResultNormalizer.newFhirContext();
    private static FhirR4Validation validation;
    private static LabResultNormalizer normalizer;

    @BeforeAll
    static void buildValidator() {
        validation = new FhirR4Validation(FHIR);
        normalizer = new LabResultNormalizer(FHIR, new LabNormalizerProperties(ZoneId.of("UTC")));
    }

    static Stream<String> samples() throws IOException {
        return SampleCorpus.names().stream();
    }

    @ParameterizedTest
    @MethodSource("samples")
    void sampleMapsToValidBundle(String name) throws Exception {
        List<String> messages = Hl7Batch.messages(Hl7Text.decode(SampleCorpus.bytes(name)));

        for (String message : messages) {
            Bundle bundle = normalizer.normalize(message);

            long observations = bundle.getEntry().stream()
                    .filter(entry -> entry.getResource() instanceof Observation).count();
            // One sample (athena amylase) is an order status update that carries no OBX at all.
            assertThat(observations > 0).as(name + " has observations").isEqualTo(message.contains("\rOBX|"));
            assertThat(validation.errors(bundle)).as(name + " bundle").isEmpty();
            for (BundleEntryComponent entry : bundle.getEntry()) {
                assertThat(validation.errors(entry.getResource())).as(name + " " + entry.getFullUrl()).isEmpty();
            }
        }
    }
}
