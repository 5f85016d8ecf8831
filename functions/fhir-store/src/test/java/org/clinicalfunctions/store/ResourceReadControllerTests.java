package org.clinicalfunctions.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clinicalfunctions.store.StoreHttpClient.bundleForPatient;
import static org.clinicalfunctions.store.StoreHttpClient.json;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.clinicalfunctions.auth.DevelopmentTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Read, vread and search over real HTTP and a real PostgreSQL. Two fictional patients' results are stored once,
 * in two events a few milliseconds apart, so every {@code _lastUpdated} boundary has exact expected totals.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "clinical.fhir-store.search.max-count=3")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ResourceReadControllerTests {

    private static final EmbeddedPostgres POSTGRES = EmbeddedPostgresSupport.start();

    @LocalServerPort
    int port;

    StoreHttpClient store;
    String firstStored;
    String secondStored;

    @DynamicPropertySource
    static void datasource(DynamicPropertyRegistry registry) {
        EmbeddedPostgresSupport.register(POSTGRES, registry);
        TestIssuer.register(registry);
    }

    @BeforeAll
    void storeTwoPatients() throws InterruptedException {
        store = new StoreHttpClient(port);
        assertThat(store.deliver("evt-1001", bundleForPatient("1001")).statusCode()).isEqualTo(204);
        firstStored = lastUpdated("/Patient/p-1001");
        Thread.sleep(20);
        assertThat(store.deliver("evt-2002", bundleForPatient("2002")).statusCode()).isEqualTo(204);
        secondStored = lastUpdated("/Patient/p-2002");
    }

    @AfterAll
    void stopPostgres() throws IOException {
        POSTGRES.close();
    }

    @Test
    void answersAPathItDoesNotServeWithAnOperationOutcome() {
        HttpResponse<String> response = store.get("/metadata/extra");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response).at("/issue/0/diagnostics").asText())
                .isEqualTo("FS-114 no such interaction at this path and method at request");
    }

    @Test
    void answersAMethodItDoesNotServeWithAnOperationOutcomeAndAllow() throws Exception {
        java.net.http.HttpRequest delete = java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + port + "/Observation/obs-2002-potassium")).DELETE().build();

        HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(delete,
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).contains("GET");
        assertThat(json(response).at("/issue/0/diagnostics").asText()).startsWith("FS-114 ");
    }

    @Test
    void readsResourceWithVersionHeaders() {
        HttpResponse<String> response = store.get("/Observation/obs-2002-potassium");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/fhir+json;charset=UTF-8");
        assertThat(response.headers().firstValue("ETag")).contains("W/\"1\"");
        assertThat(response.headers().firstValue("Last-Modified")).isPresent();
        JsonNode observation = json(response);
        assertThat(observation.get("id").asText()).isEqualTo("obs-2002-potassium");
        assertThat(observation.at("/subject/reference").asText()).isEqualTo("Patient/p-2002");
        assertThat(observation.at("/meta/lastUpdated").asText()).isEqualTo(secondStored);
    }

    @ParameterizedTest
    @CsvSource({
        "/Observation/obs-9999-potassium,            FS-404 resource not found at Observation.id",
        "/Observation/obs-1001-potassium/_history/2, FS-404 resource not found at Observation.id",
        "/Specimen/obs-1001-potassium,               FS-404 resource not found at Specimen.id",
        "/Prescription/rx-1,                         FS-405 unknown resource type at type"
    })
    void answersNotFoundWithOperationOutcome(String path, String diagnostics) {
        HttpResponse<String> response = store.get(path);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response).get("resourceType").asText()).isEqualTo("OperationOutcome");
        assertThat(json(response).at("/issue/0/diagnostics").asText()).isEqualTo(diagnostics);
        assertThat(response.body()).doesNotContain("obs-", "rx-1");
    }

    @Test
    void readsVersionFromHistory() {
        HttpResponse<String> response = store.get("/Patient/p-1001/_history/1");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).at("/meta/versionId").asText()).isEqualTo("1");
        assertThat(json(response).at("/identifier/0/value").asText()).isEqualTo("MRN1001");
    }

    @ParameterizedTest
    @CsvSource({
        "Observation, '',                                   4, 3",
        "Observation, patient=p-1001,                       2, 2",
        "Observation, patient=Patient/p-2002,               2, 2",
        "Observation, 'patient=p-1001,p-2002',              4, 3",
        "Observation, patient=p-3003,                       0, 0",
        "Patient,     patient=p-1001,                       1, 1",
        "DiagnosticReport, patient=Patient/p-1001,          1, 1",
        "Observation, _lastUpdated=gt{first},               2, 2",
        "Observation, _lastUpdated=ge{first},               4, 3",
        "Observation, _lastUpdated=le{first},               2, 2",
        "Observation, _lastUpdated=lt{first},               0, 0",
        "Observation, _lastUpdated=eq{second},              2, 2",
        "Observation, _lastUpdated={second},                2, 2",
        "Observation, _lastUpdated=ne{second},              2, 2",
        "Observation, _lastUpdated=ge{first}&_lastUpdated=lt{second}, 2, 2",
        "Observation, _lastUpdated=gt{first}&patient=p-1001, 0, 0",
        "Observation, _count=1,                             4, 1",
        "Observation, _count=0,                             4, 0",
        "Observation, _count=500,                           4, 3",
        "Observation, _summary=count,                       4, 0",
        "Patient,     _summary=count&patient=p-2002,        1, 0"
    })
    void searchReturnsExactTotals(String type, String query, int total, int entries) {
        HttpResponse<String> response = store.get("/" + type + "?" + expand(query));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode bundle = json(response);
        assertThat(bundle.get("resourceType").asText()).isEqualTo("Bundle");
        assertThat(bundle.get("type").asText()).isEqualTo("searchset");
        assertThat(bundle.get("total").asInt()).isEqualTo(total);
        assertThat(bundle.path("entry").size()).isEqualTo(entries);
    }

    @Test
    void searchEntriesCarryFullUrlAndMatchMode() {
        JsonNode bundle = json(store.get("/Observation?patient=p-2002"));

        JsonNode first = bundle.at("/entry/0");
        assertThat(first.get("fullUrl").asText()).isEqualTo("http://127.0.0.1:" + port + "/Observation/"
                + first.at("/resource/id").asText());
        assertThat(first.at("/search/mode").asText()).isEqualTo("match");
        assertThat(first.at("/resource/subject/reference").asText()).isEqualTo("Patient/p-2002");
    }

    @Test
    void lastUpdatedAcceptsOffsetWithUnescapedPlus() {
        String sameInstantInBerlin = java.time.OffsetDateTime.parse(secondStored)
                .atZoneSameInstant(java.time.ZoneOffset.ofHours(1)).toOffsetDateTime().toString();

        JsonNode bundle = json(store.get("/Observation?_lastUpdated=eq" + sameInstantInBerlin));

        assertThat(sameInstantInBerlin).contains("+01:00");
        assertThat(bundle.get("total").asInt()).isEqualTo(2);
    }

    @ParameterizedTest
    @CsvSource({
        "name=Fictional,            FS-120 unknown search parameter at name",
        "patient:missing=true,      FS-120 unknown search parameter at patient:missing",
        "_lastUpdated=yesterday,    FS-121 search parameter value is not valid at _lastUpdated",
        "_lastUpdated=gt2026-13-01, FS-121 search parameter value is not valid at _lastUpdated",
        "_count=-1,                 FS-121 search parameter value is not valid at _count",
        "_summary=true,             FS-121 search parameter value is not valid at _summary",
        "patient=Group/g-1,         FS-121 search parameter value is not valid at patient"
    })
    void rejectsUnsupportedSearchWithOperationOutcome(String query, String diagnostics) {
        HttpResponse<String> response = store.get("/Observation?" + query);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).at("/issue/0/diagnostics").asText()).isEqualTo(diagnostics);
        assertThat(response.body()).doesNotContain("Fictional", "yesterday", "g-1");
    }

    @Test
    void readWithoutTokenIs401WithChallenge() {
        HttpResponse<String> response = store.as(null).get("/Observation/obs-2002-potassium");

        TestIssuer.assertTokenRequired(response);
        assertThat(response.body()).doesNotContain("obs-2002", "p-2002");
    }

    @ParameterizedTest
    @CsvSource({
        "/Observation/obs-2002-potassium",
        "/Observation/obs-2002-potassium/_history/1",
        "/Observation?patient=p-2002",
        "/Observation?_summary=count"
    })
    void everyReadAndSearchNeedsAToken(String path) {
        HttpResponse<String> response = store.as(null).get(path);

        TestIssuer.assertTokenRequired(response);
    }

    @Test
    void tokenFromAnotherKeyIs401() {
        DevelopmentTokens otherKey = new DevelopmentTokens("fhir-store-test-key");
        String forged = otherKey.sign(DevelopmentTokens.claims("user/*.rs").build());

        HttpResponse<String> response = store.as(forged).get("/Observation/obs-2002-potassium");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
                .contains("error=\"invalid_token\"");
        assertThat(json(response).at("/issue/0/diagnostics").asText()).isEqualTo("AU-102 token signature invalid");
    }

    @ParameterizedTest
    @CsvSource({
        "patient/Observation.s,  /Observation/obs-2002-potassium,     AU-201 no scope grants read on Observation",
        "patient/Patient.rs,     /Observation/obs-2002-potassium,     AU-201 no scope grants read on Observation",
        "patient/Observation.r,  /Observation?patient=p-2002,         AU-201 no scope grants search on Observation",
        "patient/Observation.rs, /Observation/obs-1001-potassium,     AU-202 Observation belongs to another patient",
        "patient/Observation.rs, /Observation/obs-1001-sodium/_history/1, AU-202 Observation belongs to another",
        "patient/Patient.rs,     /Patient/p-1001,                     AU-202 Patient belongs to another patient",
        "patient/Observation.rs, /Observation?patient=p-1001,         AU-202 Observation belongs to another patient",
        "patient/Observation.rs, '/Observation?patient=p-2002,p-1001', AU-202 Observation belongs to another"
    })
    void patientTokenIsRefusedBeyondItsScopesAndPatient(String scopes, String path, String diagnostics) {
        HttpResponse<String> response = store.as(TestIssuer.patient("p-2002", scopes)).get(path);

        TestIssuer.assertForbidden(response, diagnostics);
        assertThat(response.body()).doesNotContain("p-1001", "MRN");
    }

    @ParameterizedTest
    @CsvSource({
        "patient/Observation.rs, /Observation/obs-2002-potassium",
        "patient/Observation.rs, /Observation/obs-2002-potassium/_history/1",
        "patient/Patient.r,      /Patient/p-2002",
        "patient.Patient.read,   /Patient/p-2002/_history/1"
    })
    void patientReadsItsOwnResources(String scopes, String path) {
        HttpResponse<String> response = store.as(TestIssuer.patient("p-2002", scopes)).get(path);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("p-2002").doesNotContain("p-1001");
    }

    @ParameterizedTest
    @CsvSource({
        "Observation, '',                              2, 2",
        "Observation, patient=p-2002,                  2, 2",
        "Observation, patient=Patient/p-2002,          2, 2",
        "Observation, _summary=count,                  2, 0",
        "Observation, _lastUpdated=ge{first},          2, 2",
        "Patient,     '',                              1, 1",
        "DiagnosticReport, '',                         1, 1"
    })
    void patientSearchIsLimitedToItsPatient(String type, String query, int total, int entries) {
        String token = TestIssuer.patient("p-2002", "patient/*.rs");

        JsonNode bundle = json(store.as(token).get("/" + type + "?" + expand(query)));

        assertThat(bundle.get("total").asInt()).isEqualTo(total);
        assertThat(bundle.path("entry").size()).isEqualTo(entries);
        assertThat(bundle.toString()).doesNotContain("p-1001");
    }

    @Test
    void applicationTokenSearchesEveryPatient() {
        String token = TestIssuer.application("system/Observation.rs");

        JsonNode bundle = json(store.as(token).get("/Observation?_summary=count"));

        assertThat(bundle.get("total").asInt()).isEqualTo(4);
    }

    @Test
    void applicationTokenNeedsTheSearchedType() {
        HttpResponse<String> response = store.as(TestIssuer.application("system/Observation.rs")).get("/Patient");

        TestIssuer.assertForbidden(response, "AU-201 no scope grants search on Patient");
    }

    private String expand(String query) {
        return query.replace("{first}", encode(firstStored)).replace("{second}", encode(secondStored));
    }

    private String lastUpdated(String path) {
        return json(store.get(path)).at("/meta/lastUpdated").asText();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
