package org.clinicalfunctions.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Bulk Data Access v2.0.0 checklist walked over real HTTP: Synthea Bundles loaded through fhir-store, exported
 * by fhir-export from the same PostgreSQL, every exported line checked against the store and the R4 validator.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BulkExportConformanceTests {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final String VITAL_SIGNS =
            "http://terminology.hl7.org/CodeSystem/observation-category|vital-signs";
    private static final String BODY_HEIGHT = "http://loinc.org|8302-2";
    /** A Provenance whose only target is an organization: no patient's, so system level only (K17). */
    private static final String PROVENANCE_OF_PROVIDER = "5a1c0f2e-0e7b-4c35-9c1e-3b2d7f8a9c01";
    /** A Provenance targeting Fannie's Patient by a versioned reference: hers at Patient and Group level. */
    private static final String PROVENANCE_OF_VERSION = "5a1c0f2e-0e7b-4c35-9c1e-3b2d7f8a9c02";

    @TempDir
    static Path files;

    private ExportTestEnvironment environment;
    private BulkClient client;
    private Map<String, Integer> loaded;
    private EventSink sink;

    @BeforeAll
    void start() throws IOException {
        sink = new EventSink();
        environment = new ExportTestEnvironment();
        int store = environment.startStore();
        loaded = SyntheaBundles.loadAll(store, environment.issuer().writer());
        SyntheaBundles.post(store, environment.issuer().writer(), provenanceTransaction());
        loaded.merge("Provenance", 2, Integer::sum);
        // One client kicks off every test's export, some left running on purpose: K11 has its own test class.
        client = environment.systemClient(environment.startExport(files, "--clinical.fhir-export.poll-interval=1s",
                "--clinical.fhir-export.one-export-per-client=false",
                "--clinical.fhir-export.max-lines-per-file=40",
                sink.arg()));
    }

    @AfterAll
    void stop() throws IOException {
        environment.close();
        sink.close();
    }

    @Test
    void systemExportHasEveryStoredResourceOnceAndEachValidatesAgainstR4() {
        JsonNode manifest = client.export("/$export");

        List<String[]> lines = client.lines(manifest);
        Map<String, Integer> exported = new HashMap<>();
        Set<String> ids = new HashSet<>();
        FhirR4Validation validation = new FhirR4Validation(FHIR);
        List<String> errors = new ArrayList<>();
        for (String[] line : lines) {
            IBaseResource resource = FHIR.newJsonParser().parseResource(line[1]);
            assertThat(resource.fhirType()).isEqualTo(line[0]);
            exported.merge(line[0], 1, Integer::sum);
            assertThat(ids.add(line[0] + "/" + resource.getIdElement().getIdPart())).isTrue();
            validation.errorsOf(line[1]).forEach(e -> errors.add(line[0] + " " + e));
        }
        assertThat(exported).isEqualTo(loaded);
        assertThat(errors).isEmpty();
        assertThat(manifest.path("output").size()).isGreaterThan(loaded.size());
        assertThat(manifest.path("requiresAccessToken").asBoolean(false)).isTrue();
        assertThat(manifest.path("request").asText()).isEqualTo(client.base() + "/$export");
        assertThat(Instant.parse(manifest.path("transactionTime").asText())).isBefore(Instant.now());
        assertThat(manifest.path("error").isArray()).isTrue();
        assertThat(manifest.path("error").size()).isZero();
        for (JsonNode output : manifest.path("output")) {
            assertThat(output.path("count").asInt()).isBetween(1, 40);
        }
    }

    @Test
    void kickOffAnswers202WithAnAbsoluteStatusUrlThatHonoursForwardedHeaders() {
        HttpResponse<String> accepted = client.send(HttpRequest.newBuilder(
                URI.create(client.base() + "/$export?_type=Patient"))
                .header("Prefer", "respond-async").header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-Host", "fhir.example.org").header("X-Forwarded-Prefix", "/fhir-export").GET());

        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(accepted.headers().firstValue("Content-Location").orElseThrow())
                .matches("https://fhir\\.example\\.org/fhir-export/export-status/[0-9a-f-]{36}");
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void sinceTakesAnOffsetOfPlusFiveThirtyEncodedOrNot(boolean encoded) {
        String before = Instant.now().minus(1, ChronoUnit.HOURS).atOffset(ZoneOffset.ofHoursMinutes(5, 30))
                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        String after = Instant.now().plus(1, ChronoUnit.HOURS).atOffset(ZoneOffset.ofHoursMinutes(5, 30))
                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        assertThat(before).contains("+05:30");

        JsonNode all = client.export("/$export?_type=Patient&_since=" + (encoded ? encode(before) : before));
        JsonNode none = client.export("/$export?_type=Patient&_since=" + (encoded ? encode(after) : after));

        assertThat(all.path("output").get(0).path("count").asInt()).isEqualTo(3);
        assertThat(none.path("output").size()).isZero();
    }

    @Test
    void unknownTypeIsRefusedWith400OperationOutcome() {
        HttpResponse<String> refused = client.kickOff("/$export?_type=Patient,NotAType");

        assertOutcome(refused, 400, "FX-104", "_type");
    }

    @Test
    void unknownTypeUnderLenientHandlingIsSkippedWithAnEntryInError() {
        HttpResponse<String> accepted = client.send(HttpRequest.newBuilder(
                URI.create(client.base() + "/$export?_type=Patient,NotAType"))
                .header("Prefer", "respond-async, handling=lenient").GET());
        assertThat(accepted.statusCode()).isEqualTo(202);

        JsonNode manifest = BulkClient.json(client.awaitCompletion(
                accepted.headers().firstValue("Content-Location").orElseThrow()).body());

        assertThat(manifest.path("output").size()).isEqualTo(1);
        assertThat(manifest.path("output").get(0).path("type").asText()).isEqualTo("Patient");
        assertThat(manifest.path("error").size()).isEqualTo(1);
        String outcome = client.get(manifest.path("error").get(0).path("url").asText()).body().trim();
        assertThat(FHIR.newJsonParser().parseResource(outcome).fhirType()).isEqualTo("OperationOutcome");
        assertThat(outcome).contains("FX-104").contains("_type");
    }

    @Test
    void typeFiltersOnTwoTypesAreEachAppliedAndOredWithinAType() {
        String query = "/$export?_type=Observation,Immunization"
                + "&_typeFilter=" + encode("Observation?category=" + VITAL_SIGNS)
                + "&_typeFilter=" + encode("Observation?code=" + BODY_HEIGHT)
                + "&_typeFilter=" + encode("Immunization?status=completed");

        List<String[]> lines = client.lines(client.export(query));

        int observations = 0;
        int immunizations = 0;
        for (String[] line : lines) {
            JsonNode resource = BulkClient.json(line[1]);
            if ("Observation".equals(line[0])) {
                observations++;
                assertThat(resource.toString()).containsAnyOf("vital-signs", "8302-2");
            } else {
                immunizations++;
                assertThat(resource.path("status").asText()).isEqualTo("completed");
            }
        }
        assertThat(observations).isEqualTo(countObservations()).isLessThan(loaded.get("Observation"));
        assertThat(immunizations).isEqualTo(loaded.get("Immunization"));
    }

    @Test
    void kickOffWithoutPreferRespondAsyncIsRefused() {
        HttpResponse<String> refused = client.send(HttpRequest.newBuilder(
                URI.create(client.base() + "/$export")).header("Accept", "application/fhir+json").GET());

        assertOutcome(refused, 400, "FX-101", "Prefer");
    }

    @Test
    void cancelledExportAnswers404OnTheNextPoll() {
        HttpResponse<String> accepted = client.kickOff("/$export");
        String status = accepted.headers().firstValue("Content-Location").orElseThrow();

        HttpResponse<String> cancelled = client.delete(status);
        HttpResponse<String> poll = client.get(status);

        assertThat(cancelled.statusCode()).isEqualTo(202);
        assertOutcome(poll, 404, "FX-405", "status");
        assertOutcome(client.delete(status), 404, "FX-405", "status");
    }

    @Test
    void unknownGroupIs404OperationOutcome() {
        assertOutcome(client.kickOff("/Group/no-such-group/$export"), 404, "FX-404", "Group");
    }

    @Test
    void groupExportHoldsOnlyTheMembersCompartmentAndPostPatientNarrowsIt() {
        JsonNode group = client.export("/Group/" + SyntheaBundles.GROUP_ID + "/$export");
        HttpResponse<String> accepted = client.kickOffPost("/Group/" + SyntheaBundles.GROUP_ID + "/$export",
                "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"patient\",\"valueReference\":"
                        + "{\"reference\":\"Patient/" + SyntheaBundles.FANNIE + "\"}},"
                        + "{\"name\":\"_type\",\"valueString\":\"Patient,Observation\"}]}");
        JsonNode fannie = BulkClient.json(client.awaitCompletion(
                accepted.headers().firstValue("Content-Location").orElseThrow()).body());

        Set<String> groupTypes = new HashSet<>();
        group.path("output").forEach(o -> groupTypes.add(o.path("type").asText()));
        assertThat(groupTypes).contains("Patient", "Observation", "Claim", "Provenance")
                .doesNotContain("Organization", "Group");
        List<String[]> lines = client.lines(fannie);
        assertThat(lines).hasSize(21);
        assertThat(lines).allSatisfy(line -> assertThat(line[1]).contains(SyntheaBundles.FANNIE));
        assertThat(fannie.path("request").asText()).endsWith("/Group/" + SyntheaBundles.GROUP_ID + "/$export");
    }

    @Test
    void provenanceIsExportedWithThePatientsWhoseCompartmentItTargetsOnceEach() {
        List<String> bundles = SyntheaBundles.PATIENT_BUNDLES.stream().map(SyntheaBundles::provenanceId).toList();
        String fannieBundle = SyntheaBundles.provenanceId(SyntheaBundles.PATIENT_BUNDLES.get(0));
        BulkClient fannie = new BulkClient(port(), environment.issuer().patient(SyntheaBundles.FANNIE));

        List<String> system = provenanceIds(client, client.export("/$export?_type=Provenance"));
        List<String> patients = provenanceIds(client, client.export("/Patient/$export?_type=Provenance"));
        List<String> group = provenanceIds(client, client.export("/Group/" + SyntheaBundles.GROUP_ID + "/$export"));
        List<String> own = provenanceIds(fannie, fannie.export("/Patient/$export"));
        HttpResponse<String> accepted = client.kickOffPost("/Patient/$export", "{\"resourceType\":\"Parameters\","
                + "\"parameter\":[{\"name\":\"patient\",\"valueReference\":{\"reference\":\"Patient/"
                + SyntheaBundles.FANNIE + "\"}},{\"name\":\"_type\",\"valueString\":\"Provenance\"}]}");
        List<String> listed = provenanceIds(client, BulkClient.json(client.awaitCompletion(
                accepted.headers().firstValue("Content-Location").orElseThrow()).body()));

        assertThat(system).containsExactlyInAnyOrderElementsOf(concat(bundles,
                List.of(PROVENANCE_OF_PROVIDER, PROVENANCE_OF_VERSION)));
        assertThat(patients).containsExactlyInAnyOrderElementsOf(concat(bundles, List.of(PROVENANCE_OF_VERSION)));
        assertThat(group).containsExactlyInAnyOrderElementsOf(concat(bundles, List.of(PROVENANCE_OF_VERSION)));
        assertThat(own).containsExactlyInAnyOrder(fannieBundle, PROVENANCE_OF_VERSION);
        assertThat(listed).containsExactlyInAnyOrder(fannieBundle, PROVENANCE_OF_VERSION);
    }

    @Test
    void patientParameterOnAGetOrAtSystemLevelIsRefused() {
        assertOutcome(client.kickOff("/Patient/$export?patient=Patient/x"), 400, "FX-108", "patient");
        assertOutcome(client.kickOffPost("/$export", "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":"
                + "\"patient\",\"valueReference\":{\"reference\":\"Patient/x\"}}]}"), 400, "FX-108",
                "Parameters.parameter[patient]");
        assertOutcome(client.kickOffPost("/Patient/$export", "{\"resourceType\":\"Parameters\",\"parameter\":[{"
                + "\"name\":\"patient\",\"valueReference\":{\"reference\":\"Patient/unknown\"}}]}"), 400, "FX-109",
                "Parameters.parameter[patient]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/fhir+ndjson", "application/ndjson", "ndjson"})
    void eachNdjsonOutputFormatIsAccepted(String format) {
        JsonNode manifest = client.export("/Patient/$export?_type=Patient&_outputFormat=" + encode(format));

        assertThat(manifest.path("output").get(0).path("count").asInt()).isEqualTo(3);
    }

    @Test
    void otherOutputFormatsAndUnsupportedParametersAreRefused() {
        assertOutcome(client.kickOff("/$export?_outputFormat=text%2Fcsv"), 400, "FX-103", "_outputFormat");
        assertOutcome(client.kickOff("/$export?includeAssociatedData=LatestProvenanceResources"), 400, "FX-107",
                "includeAssociatedData");
        assertOutcome(client.kickOff("/$export?_elements=Observation.code.coding"), 400, "FX-113", "_elements");
        assertOutcome(client.kickOff("/$export?_elements=notAnElement"), 400, "FX-113", "_elements");
        assertOutcome(client.kickOff("/$export?_since=2020-01-01"), 400, "FX-105", "_since");
        assertOutcome(client.kickOff("/Patient/$export?_type=Organization"), 400, "FX-111", "_type");
    }

    @Test
    void pollingFasterThanTheIntervalAnswers429WithRetryAfter() {
        String status = client.kickOff("/$export?_type=Patient").headers().firstValue("Content-Location")
                .orElseThrow();

        HttpResponse<String> first = client.get(status);
        HttpResponse<String> second = client.get(status);

        assertThat(first.statusCode()).isIn(200, 202);
        assertThat(second.statusCode()).isEqualTo(429);
        assertThat(second.headers().firstValue("Retry-After")).contains("1");
        assertThat(BulkClient.json(second.body()).path("issue").get(0).path("code").asText()).isEqualTo("throttled");
    }

    @Test
    void completedManifestCarriesExpiresAndFilesAreNdjson() {
        HttpResponse<String> accepted = client.kickOff("/$export?_type=Patient");
        HttpResponse<String> done = client.awaitCompletion(accepted.headers().firstValue("Content-Location")
                .orElseThrow());
        JsonNode manifest = BulkClient.json(done.body());

        HttpResponse<String> file = client.get(manifest.path("output").get(0).path("url").asText());

        assertThat(done.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        assertThat(done.headers().firstValue("Expires")).isPresent();
        assertThat(file.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/fhir+ndjson");
        assertThat(file.body()).endsWith("\n").doesNotContain("\r");
        assertThat(file.body().split("\n")).hasSize(3);
    }

    @Test
    void elementsKeepListedMandatoryAndModifierElementsTagSubsettedAndEachLineStillValidates() {
        JsonNode manifest = client.export("/$export?_type=Patient,Observation,Organization"
                + "&_elements=Observation.code,Observation.value,birthDate");

        FhirR4Validation validation = new FhirR4Validation(FHIR);
        Map<String, Integer> exported = new HashMap<>();
        List<String> errors = new ArrayList<>();
        for (String[] line : client.lines(manifest)) {
            JsonNode resource = BulkClient.json(line[1]);
            exported.merge(line[0], 1, Integer::sum);
            validation.errorsOf(line[1]).forEach(e -> errors.add(line[0] + " " + e));
            List<String> keys = new ArrayList<>();
            resource.fieldNames().forEachRemaining(keys::add);
            boolean subsetted = resource.path("meta").path("tag").toString().contains("\"SUBSETTED\"");
            switch (line[0]) {
                case "Observation" -> assertThat(keys).contains("status", "code")
                        .allMatch(k -> Set.of("resourceType", "id", "meta", "status", "code").contains(k)
                                || k.startsWith("value"));
                case "Patient" -> assertThat(keys).contains("birthDate").doesNotContain("name", "address", "telecom")
                        .allMatch(k -> Set.of("resourceType", "id", "meta", "birthDate", "active").contains(k)
                                || k.startsWith("deceased"));
                default -> assertThat(keys).contains("name");
            }
            assertThat(subsetted).isEqualTo(!"Organization".equals(line[0]));
        }

        assertThat(exported).containsEntry("Observation", loaded.get("Observation"))
                .containsEntry("Patient", loaded.get("Patient"))
                .containsEntry("Organization", loaded.get("Organization"));
        assertThat(errors).isEmpty();
    }

    @Test
    void filesGoGzipCompressedOnlyToAClientThatAcceptsGzip() {
        JsonNode manifest = client.export("/$export?_type=Patient");
        String url = manifest.path("output").get(0).path("url").asText();

        HttpResponse<String> plain = client.get(url);
        HttpResponse<byte[]> gzipped = client.getEncoded(url, "gzip, deflate");
        HttpResponse<byte[]> refused = client.getEncoded(url, "gzip;q=0, identity");

        BulkClient.assertGzipOf(gzipped, plain);
        assertThat(gzipped.body().length).isLessThan(plain.body().length());
        assertThat(refused.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(new String(refused.body(), StandardCharsets.UTF_8)).isEqualTo(plain.body());
    }

    @Test
    void completionIsAnnouncedAsACloudEventWithTheManifest() {
        JsonNode manifest = client.export("/$export?_type=Practitioner");

        String request = manifest.path("request").asText();
        List<String> events = sink.await(e -> e.contains(request));

        assertThat(events).anySatisfy(e -> assertThat(e).startsWith(ExportEvents.COMPLETED + " ")
                .contains(request).contains("\"type\":\"Practitioner\""));
    }

    @Test
    void kickOffWithoutABearerTokenIs401() {
        BulkClient anonymous = new BulkClient(port(), null);

        HttpResponse<String> refused = anonymous.kickOff("/$export");

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Bearer");
    }

    @Test
    void patientTokenMayNotExportTheSystemButGetsItsOwnCompartment() {
        BulkClient fannie = new BulkClient(port(), environment.issuer().patient(SyntheaBundles.FANNIE));

        HttpResponse<String> system = fannie.kickOff("/$export");
        List<String[]> own = fannie.lines(fannie.export("/Patient/$export?_type=Patient,Observation"));

        assertThat(system.statusCode()).isEqualTo(403);
        assertThat(own).hasSize(21).allSatisfy(line -> assertThat(line[1]).contains(SyntheaBundles.FANNIE));
    }

    @Test
    void anotherClientCannotPollCancelOrDownloadAnExport() {
        JsonNode manifest = client.export("/$export?_type=Patient");
        BulkClient other = environment.systemClient(port());
        String file = manifest.path("output").get(0).path("url").asText();
        String job = file.substring(file.indexOf("/export-files/") + 14, file.lastIndexOf('/'));

        assertThat(other.get(client.base() + "/export-status/" + job).statusCode()).isEqualTo(403);
        assertThat(other.delete(client.base() + "/export-status/" + job).statusCode()).isEqualTo(403);
        assertThat(other.get(file).statusCode()).isEqualTo(403);
        assertThat(new BulkClient(port(), null).get(file).statusCode()).isEqualTo(401);
    }

    @Test
    void metadataDeclaresTheThreeExportOperations() {
        HttpResponse<String> metadata = client.get(client.base() + "/metadata");

        JsonNode statement = BulkClient.json(metadata.body());
        assertThat(statement.path("resourceType").asText()).isEqualTo("CapabilityStatement");
        assertThat(statement.path("instantiates").get(0).asText())
                .isEqualTo("http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data");
        assertThat(statement.path("rest").get(0).path("operation").get(0).path("definition").asText())
                .isEqualTo("http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export");
        assertThat(statement.toString()).contains("OperationDefinition/patient-export")
                .contains("OperationDefinition/group-export");
    }

    /** The ids of the Provenance lines of the export, each line validated against R4 on the way. */
    private static List<String> provenanceIds(BulkClient reader, JsonNode manifest) {
        FhirR4Validation validation = new FhirR4Validation(FHIR);
        List<String> ids = new ArrayList<>();
        for (String[] line : reader.lines(manifest)) {
            if ("Provenance".equals(line[0])) {
                assertThat(validation.errorsOf(line[1])).isEmpty();
                ids.add(BulkClient.json(line[1]).path("id").asText());
            }
        }
        return ids;
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    /** The two Provenance beside the Bundles' own: one of a provider only, one by a versioned Patient reference. */
    private static String provenanceTransaction() {
        String organization = SyntheaBundles.read(SyntheaBundles.PATIENT_BUNDLES.get(0)).path("entry").findValues(
                "resource").stream().filter(r -> "Organization".equals(r.path("resourceType").asText()))
                .findFirst().orElseThrow().path("id").asText();
        return "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                + provenanceEntry(PROVENANCE_OF_PROVIDER, "Organization/" + organization) + ","
                + provenanceEntry(PROVENANCE_OF_VERSION, "Patient/" + SyntheaBundles.FANNIE + "/_history/1") + "]}";
    }

    private static String provenanceEntry(String id, String target) {
        return "{\"resource\":{\"resourceType\":\"Provenance\",\"id\":\"" + id + "\",\"target\":[{\"reference\":\""
                + target + "\"}],\"recorded\":\"2026-01-05T10:00:00Z\",\"agent\":[{\"who\":{\"display\":\"lab\"}}]},"
                + "\"request\":{\"method\":\"PUT\",\"url\":\"Provenance/" + id + "\"}}";
    }

    private int port() {
        return Integer.parseInt(client.base().substring(client.base().lastIndexOf(':') + 1));
    }

    private static int countObservations() {
        int count = 0;
        for (String name : SyntheaBundles.PATIENT_BUNDLES) {
            for (JsonNode entry : SyntheaBundles.read(name).path("entry")) {
                String text = entry.path("resource").toString();
                boolean observation = "Observation".equals(entry.path("resource").path("resourceType").asText());
                if (observation && (text.contains("\"vital-signs\"") || text.contains("\"8302-2\""))) {
                    count++;
                }
            }
        }
        return count;
    }

    private static void assertOutcome(HttpResponse<String> response, int status, String code, String location) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/fhir+json");
        JsonNode issue = BulkClient.json(response.body()).path("issue").get(0);
        assertThat(issue.path("diagnostics").asText()).startsWith(code + " ").endsWith(" at " + location);
        assertThat(issue.path("expression").get(0).asText()).isEqualTo(location);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
