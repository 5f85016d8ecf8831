package org.clinicalfunctions.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * All twenty Synthea patient Bundles of the shared set and their Group, loaded through fhir-store over HTTP,
 * exported at system and Group level, and every exported line validated with the HAPI R4 validator: zero errors.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SyntheaCorpusExportTests {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    @TempDir
    static Path files;

    private ExportTestEnvironment environment;
    private BulkClient client;
    private Map<String, Integer> loaded;

    @BeforeAll
    void start() throws IOException {
        environment = new ExportTestEnvironment();
        loaded = SyntheaBundles.load(environment.startStore(), environment.issuer().writer(),
                SyntheaBundles.ALL_PATIENT_BUNDLES);
        client = environment.systemClient(environment.startExport(files, "--clinical.fhir-export.poll-interval=1s"));
    }

    @AfterAll
    void stop() throws IOException {
        environment.close();
    }

    @Test
    void everyResourceOfTheTwentyBundlesIsExportedOnceAndValidatesAgainstR4() {
        JsonNode manifest = client.export("/$export");

        FhirR4Validation validation = new FhirR4Validation(FHIR);
        Map<String, Integer> exported = new HashMap<>();
        List<String> errors = new ArrayList<>();
        for (String[] line : client.lines(manifest)) {
            exported.merge(line[0], 1, Integer::sum);
            validation.errorsOf(line[1]).forEach(e -> errors.add(line[0] + " " + e));
        }

        // 3,147 resources in the twenty Bundles, 8 of them providers another Bundle already brought, a Provenance
        // per Bundle, and the Group.
        assertThat(loaded.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(3_147 - 8 + 20 + 1);
        assertThat(exported).isEqualTo(loaded);
        assertThat(errors).isEmpty();
    }

    @Test
    void groupExportHoldsEveryPatientsCompartmentWithItsProvenanceAndEachValidates() {
        JsonNode manifest = client.export("/Group/" + SyntheaBundles.GROUP_ID + "/$export");

        FhirR4Validation validation = new FhirR4Validation(FHIR);
        Map<String, Integer> exported = new HashMap<>();
        Set<String> provenance = new HashSet<>();
        List<String> errors = new ArrayList<>();
        for (String[] line : client.lines(manifest)) {
            exported.merge(line[0], 1, Integer::sum);
            if ("Provenance".equals(line[0])) {
                provenance.add(BulkClient.json(line[1]).path("id").asText());
                validation.errorsOf(line[1]).forEach(e -> errors.add(line[0] + " " + e));
            }
        }

        // The twenty patients are all members; providers and the Group are outside the Patient compartment.
        Map<String, Integer> compartment = new HashMap<>(loaded);
        List.of("Organization", "Practitioner", "Group").forEach(compartment::remove);
        assertThat(exported).isEqualTo(compartment);
        assertThat(exported.get("Provenance")).isEqualTo(20);
        assertThat(provenance).containsExactlyInAnyOrderElementsOf(
                SyntheaBundles.ALL_PATIENT_BUNDLES.stream().map(SyntheaBundles::provenanceId).toList());
        assertThat(errors).isEmpty();
    }
}
