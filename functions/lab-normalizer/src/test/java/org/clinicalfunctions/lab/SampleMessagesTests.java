package org.clinicalfunctions.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import ca.uhn.fhir.context.FhirContext;
import org.clinicalfunctions.hl7.Hl7Batch;
import org.clinicalfunctions.hl7.Hl7Text;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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

    /** One normalizer serves every request thread: mapping the corpus in parallel gives the sequential JSON. */
    @Test
    void concurrentMappingMatchesSequential() throws Exception {
        List<String> messages = new ArrayList<>();
        for (String name : SampleCorpus.names()) {
            messages.addAll(Hl7Batch.messages(Hl7Text.decode(SampleCorpus.bytes(name))));
        }
        List<String> sequential = new ArrayList<>();
        for (String message : messages) {
            sequential.add(json(message));
        }

        List<String> parallel;
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<String>> results = new ArrayList<>();
            for (int round = 0; round < 4; round++) {
                for (String message : messages) {
                    results.add(pool.submit(() -> json(message)));
                }
            }
            parallel = new ArrayList<>();
            for (Future<String> result : results) {
                parallel.add(result.get());
            }
        }

        for (int i = 0; i < parallel.size(); i++) {
            assertThat(parallel.get(i)).isEqualTo(sequential.get(i % messages.size()));
        }
    }

    private static String json(String message) throws LabMappingException {
        return new String(normalizer.encode(normalizer.normalize(message)), StandardCharsets.UTF_8);
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
