package org.clinicalfunctions.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clinicalfunctions.store.StoreHttpClient.bundleForPatient;
import static org.clinicalfunctions.store.StoreHttpClient.fixture;
import static org.clinicalfunctions.store.StoreHttpClient.json;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.clinicalfunctions.auth.DevelopmentTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The write path over real HTTP into a real PostgreSQL: broker deliveries, which need the dispatcher's OIDC token
 * and no user's, and plain FHIR transactions, which need create and update rights on every type they write.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "clinical.http.max-body-bytes=65536")
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@ExtendWith(OutputCaptureExtension.class)
class TransactionBundleFunctionTests {

    private static final EmbeddedPostgres POSTGRES = EmbeddedPostgresSupport.start();
    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    StoreHttpClient store;

    @DynamicPropertySource
    static void datasource(DynamicPropertyRegistry registry) {
        EmbeddedPostgresSupport.register(POSTGRES, registry);
        TestIssuer.register(registry);
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        POSTGRES.close();
    }

    @BeforeEach
    void emptyStore() {
        jdbc.execute("TRUNCATE resource_current, resource_history, processed_event");
        store = new StoreHttpClient(port);
    }

    @Test
    void storesDeliveredBundleAndAnswersEmpty() {
        HttpResponse<String> response = store.deliver("evt-1", fixture("lab-result-bundle.json"));

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
        assertThat(response.headers().firstValue("ce-type")).isEmpty();
        for (String reference : List.of("Patient/p-1001", "DiagnosticReport/dr-1001-lyte",
                "Observation/obs-1001-potassium", "Observation/obs-1001-sodium")) {
            HttpResponse<String> read = store.get("/" + reference);
            assertThat(read.statusCode()).isEqualTo(200);
            assertThat(json(read).at("/meta/versionId").asText()).isEqualTo("1");
            assertThat(read.headers().firstValue("ETag")).contains("W/\"1\"");
        }
    }

    @Test
    void storedResourceKeepsSenderContentAndGetsStoreMeta() {
        store.deliver("evt-1", fixture("lab-result-bundle.json"));

        JsonNode report = json(store.get("/DiagnosticReport/dr-1001-lyte"));

        assertThat(report.get("resourceType").asText()).isEqualTo("DiagnosticReport");
        assertThat(report.at("/meta/profile/0").asText())
                .isEqualTo("http://hl7.org/fhir/us/core/StructureDefinition/us-core-diagnosticreport-lab");
        assertThat(report.at("/meta/lastUpdated").asText())
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(report.at("/issued").asText()).isEqualTo("2026-11-30T09:02:13.250+01:00");
        assertThat(report.at("/result/1/reference").asText()).isEqualTo("Observation/obs-1001-sodium");
    }

    @Test
    void storesStructuredModeEvent() {
        String event = "{\"specversion\":\"1.0\",\"id\":\"evt-s\",\"source\":\"/functions/lab-normalizer\","
                + "\"type\":\"org.clinicalfunctions.lab.result.normalized\","
                + "\"datacontenttype\":\"application/fhir+json\",\"data\":" + fixture("lab-result-bundle.json") + "}";

        HttpResponse<String> response = store.post(event, "application/cloudevents+json");

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
        assertThat(jdbc.queryForObject("SELECT event_id || ' ' || resource_count || ' ' || versions_created"
                + " FROM processed_event", String.class)).isEqualTo("evt-s 4 4");
    }

    @Test
    void refusesAnEventTypeItDoesNotKeepBeforeReadingItsData() {
        String event = "{\"specversion\":\"1.0\",\"id\":\"evt-t\",\"source\":\"/somewhere/else\","
                + "\"type\":\"org.example.forged\","
                + "\"datacontenttype\":\"application/fhir+json\",\"data\":" + fixture("lab-result-bundle.json") + "}";

        HttpResponse<String> response = store.post(event, "application/cloudevents+json");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).at("/issue/0/diagnostics").asText())
                .isEqualTo("FS-115 CloudEvent type is not one the store keeps at type");
        assertThat(historyRows()).isZero();
    }

    @Test
    void rejectsABrokenCloudEventWithOperationOutcome() {
        HttpResponse<String> response = store.post("{\"specversion\":\"1.0\",\"id\":\"evt-x\"}",
                "application/cloudevents+json");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).at("/issue/0/diagnostics").asText())
                .isEqualTo("FS-113 request is not a valid CloudEvent at Bundle");
        assertThat(historyRows()).isZero();
    }

    @Test
    void rejectsOversizedBodyWithOperationOutcome() {
        String padded = fixture("lab-result-bundle.json").replace("\"type\": \"transaction\",",
                "\"type\": \"transaction\"," + " ".repeat(70_000));

        HttpResponse<String> response = store.deliver("evt-big", padded);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(json(response).at("/issue/0/diagnostics").asText())
                .isEqualTo("FS-413 body is larger than the configured limit at Bundle");
        assertThat(historyRows()).isZero();
    }

    @Test
    void redeliveredEventWritesNothing() {
        store.deliver("evt-1", fixture("lab-result-bundle.json"));

        HttpResponse<String> again = store.deliver("evt-1", fixture("lab-result-bundle.json"));

        assertThat(again.statusCode()).isEqualTo(204);
        assertThat(again.body()).isEmpty();
        assertThat(historyRows()).isEqualTo(4);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM processed_event", Integer.class)).isEqualTo(1);
    }

    @Test
    void differentDataUnderAReusedEventIdIsStoredNotSkipped() {
        store.deliver("evt-1", fixture("lab-result-bundle.json"));

        HttpResponse<String> reused = store.deliver("evt-1", fixture("lab-result-bundle-corrected.json"));

        assertThat(reused.statusCode()).isEqualTo(204);
        assertThat(historyRows()).isEqualTo(5);
        JsonNode potassium = json(store.get("/Observation/obs-1001-potassium"));
        assertThat(potassium.at("/meta/versionId").asText()).isEqualTo("2");
        assertThat(potassium.at("/status").asText()).isEqualTo("corrected");
    }

    @Test
    void changedContentUnderNewEventCreatesVersionTwo() {
        store.deliver("evt-1", fixture("lab-result-bundle.json"));

        HttpResponse<String> response = store.deliver("evt-2", fixture("lab-result-bundle-corrected.json"));

        assertThat(response.statusCode()).isEqualTo(204);
        HttpResponse<String> current = store.get("/Observation/obs-1001-potassium");
        assertThat(json(current).at("/meta/versionId").asText()).isEqualTo("2");
        assertThat(json(current).at("/status").asText()).isEqualTo("corrected");
        assertThat(current.headers().firstValue("ETag")).contains("W/\"2\"");
        JsonNode first = json(store.get("/Observation/obs-1001-potassium/_history/1"));
        assertThat(first.at("/status").asText()).isEqualTo("final");
        assertThat(first.at("/valueQuantity/value").decimalValue()).isEqualByComparingTo("5.9");
        assertThat(json(store.get("/Observation/obs-1001-sodium")).at("/meta/versionId").asText()).isEqualTo("1");
        assertThat(historyRows()).isEqualTo(5);
    }

    @Test
    void aFinalResultArrivingAfterItsCorrectionDoesNotReplaceIt() {
        store.deliver("evt-2", fixture("lab-result-bundle-corrected.json"));

        HttpResponse<String> late = store.deliver("evt-1", fixture("lab-result-bundle.json"));

        assertThat(late.statusCode()).isEqualTo(204);
        JsonNode potassium = json(store.get("/Observation/obs-1001-potassium"));
        assertThat(potassium.at("/status").asText()).isEqualTo("corrected");
        assertThat(potassium.at("/meta/versionId").asText()).isEqualTo("1");
        assertThat(potassium.at("/valueQuantity/value").decimalValue()).isNotEqualByComparingTo("5.9");
    }

    @Test
    void identicalContentUnderNewEventKeepsVersionOne() {
        store.deliver("evt-1", fixture("lab-result-bundle.json"));
        String lastUpdated = json(store.get("/Patient/p-1001")).at("/meta/lastUpdated").asText();

        HttpResponse<String> response = store.deliver("evt-2", fixture("lab-result-bundle.json"));

        assertThat(response.statusCode()).isEqualTo(204);
        JsonNode patient = json(store.get("/Patient/p-1001"));
        assertThat(patient.at("/meta/versionId").asText()).isEqualTo("1");
        assertThat(patient.at("/meta/lastUpdated").asText()).isEqualTo(lastUpdated);
        assertThat(historyRows()).isEqualTo(4);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM processed_event", Integer.class)).isEqualTo(2);
    }

    @Test
    void changeOnlyInMetaKeepsVersionOne() {
        store.deliver("evt-1", fixture("lab-result-bundle.json"));
        String otherMeta = fixture("lab-result-bundle.json").replace("us-core-diagnosticreport-lab",
                "us-core-diagnosticreport-note").replace("\"id\": \"p-1001\",",
                "\"id\": \"p-1001\", \"meta\": {\"versionId\": \"7\"},");

        HttpResponse<String> response = store.deliver("evt-2", otherMeta);

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(json(store.get("/DiagnosticReport/dr-1001-lyte")).at("/meta/profile/0").asText())
                .endsWith("us-core-diagnosticreport-lab");
        assertThat(json(store.get("/Patient/p-1001")).at("/meta/versionId").asText()).isEqualTo("1");
        assertThat(historyRows()).isEqualTo(4);
    }

    @Test
    void concurrentDuplicateDeliveriesCreateOneVersion() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 1; round <= 5; round++) {
                String bundle = fixture("lab-result-bundle.json").replace("\"value\": 5.9", "\"value\": 5." + round);
                CyclicBarrier together = new CyclicBarrier(2);
                List<Future<Integer>> deliveries = new ArrayList<>();
                for (int thread = 0; thread < 2; thread++) {
                    String eventId = "evt-race-" + round;
                    deliveries.add(pool.submit(() -> {
                        together.await(10, TimeUnit.SECONDS);
                        return store.deliver(eventId, bundle).statusCode();
                    }));
                }
                for (Future<Integer> delivery : deliveries) {
                    assertThat(delivery.get(30, TimeUnit.SECONDS)).isEqualTo(204);
                }
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(jdbc.queryForObject("SELECT count(*) FROM resource_history WHERE resource_id = ?", Integer.class,
                "obs-1001-potassium")).isEqualTo(5);
        assertThat(json(store.get("/Observation/obs-1001-potassium")).at("/meta/versionId").asText()).isEqualTo("5");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM resource_history WHERE resource_id = ?", Integer.class,
                "p-1001")).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM processed_event", Integer.class)).isEqualTo(5);
    }

    @Test
    void concurrentEventsOverlappingInReverseOrderBothCommit() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 1; round <= 5; round++) {
                String forward = fixture("lab-result-bundle.json").replace("\"value\": 5.9", "\"value\": 6." + round);
                String reversed = reverseEntries(fixture("lab-result-bundle.json")
                        .replace("\"value\": 5.9", "\"value\": 7." + round));
                CyclicBarrier together = new CyclicBarrier(2);
                Future<Integer> first = pool.submit(() -> {
                    together.await(10, TimeUnit.SECONDS);
                    return store.deliver("evt-fwd-" + System.nanoTime(), forward).statusCode();
                });
                Future<Integer> second = pool.submit(() -> {
                    together.await(10, TimeUnit.SECONDS);
                    return store.deliver("evt-rev-" + System.nanoTime(), reversed).statusCode();
                });
                assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(204);
                assertThat(second.get(30, TimeUnit.SECONDS)).isEqualTo(204);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(json(store.get("/Observation/obs-1001-potassium")).at("/meta/versionId").asText()).isEqualTo("10");
        assertThat(json(store.get("/Patient/p-1001")).at("/meta/versionId").asText()).isEqualTo("1");
    }

    @ParameterizedTest
    @CsvSource({
        "truncated.json,             FS-100, Bundle",
        "patient-not-bundle.json,    FS-101, Bundle",
        "batch-bundle.json,          FS-102, Bundle.type",
        "entry-post.json,            FS-104, Bundle.entry[0].request.method",
        "entry-without-url.json,     FS-105, Bundle.entry[1].request.url",
        "entry-conditional-url.json, FS-106, Bundle.entry[2].request.url",
        "entry-without-resource.json, FS-108, Bundle.entry[2].resource",
        "entry-id-mismatch.json,     FS-109, Bundle.entry[3].request.url",
        "entry-type-mismatch.json,   FS-109, Bundle.entry[3].request.url",
        "entry-invalid-date.json,    FS-110, Bundle.entry[2].resource",
        "entry-nul-character.json,   FS-110, Bundle.entry[2].resource",
        "entry-twice.json,           FS-111, Bundle.entry[4].request.url"
    })
    void rejectsInvalidBundleWithOperationOutcome(String file, String code, String location) {
        HttpResponse<String> response = store.deliver("evt-bad", fixture("invalid/" + file));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/fhir+json"));
        JsonNode issue = json(response).at("/issue/0");
        assertThat(json(response).get("resourceType").asText()).isEqualTo("OperationOutcome");
        assertThat(issue.get("severity").asText()).isEqualTo("error");
        assertThat(issue.get("diagnostics").asText()).startsWith(code + " ").endsWith(" at " + location);
        assertThat(issue.at("/expression/0").asText()).isEqualTo(location);
        assertThat(response.body()).doesNotContain("MRN1001", "Fictional", "1970-01-01", "yesterday-morning",
                "obs-1001", "p-1001");
        assertThat(historyRows()).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM processed_event", Integer.class)).isZero();
    }

    @Test
    void rejectsXmlContentType() {
        HttpResponse<String> response = store.deliverAs("evt-xml", "<Bundle/>", "application/fhir+xml");

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(json(response).at("/issue/0/diagnostics").asText())
                .isEqualTo("FS-112 content type is not FHIR JSON at Bundle");
    }

    @Test
    void plainTransactionOfNewResourcesAnswersCreated() {
        HttpResponse<String> response = store.transaction(bundleForPatient("2002"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/fhir+json;charset=UTF-8");
        JsonNode reply = json(response);
        assertThat(reply.get("resourceType").asText()).isEqualTo("Bundle");
        assertThat(reply.get("type").asText()).isEqualTo("transaction-response");
        assertThat(reply.get("entry")).hasSize(4);
        assertThat(reply.at("/entry/0/response/status").asText()).isEqualTo("201 Created");
        assertThat(reply.at("/entry/0/response/location").asText()).isEqualTo("Patient/p-2002/_history/1");
        assertThat(reply.at("/entry/0/response/etag").asText()).isEqualTo("W/\"1\"");
        assertThat(reply.at("/entry/3/response/location").asText())
                .isEqualTo("Observation/obs-2002-sodium/_history/1");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM processed_event", Integer.class)).isZero();
    }

    @Test
    void plainTransactionOfExistingResourcesAnswersOkWithVersions() {
        store.deliver("evt-1", fixture("lab-result-bundle.json"));

        HttpResponse<String> response = store.transaction(fixture("lab-result-bundle-corrected.json"));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode reply = json(response);
        assertThat(reply.at("/entry/0/response/status").asText()).isEqualTo("200 OK");
        assertThat(reply.at("/entry/0/response/location").asText()).isEqualTo("Patient/p-1001/_history/1");
        assertThat(reply.at("/entry/2/response/status").asText()).isEqualTo("200 OK");
        assertThat(reply.at("/entry/2/response/location").asText())
                .isEqualTo("Observation/obs-1001-potassium/_history/2");
        assertThat(reply.at("/entry/2/response/etag").asText()).isEqualTo("W/\"2\"");
        assertThat(reply.at("/entry/2/response/lastModified").asText())
                .isEqualTo(json(store.get("/Observation/obs-1001-potassium")).at("/meta/lastUpdated").asText());
    }

    @Test
    void plainTransactionWithoutTokenIs401AndStoresNothing() {
        HttpResponse<String> response = store.as(null).transaction(bundleForPatient("2002"));

        TestIssuer.assertTokenRequired(response);
        assertThat(historyRows()).isZero();
    }

    @Test
    void plainTransactionWithBadTokenIs401AndTheTokenIsNotLogged(CapturedOutput output) {
        String expired = TestIssuer.TOKENS.sign(DevelopmentTokens.claims("user/*.cruds")
                .expirationTime(Date.from(Instant.now().minusSeconds(3600))).build());

        HttpResponse<String> response = store.as(expired).transaction(bundleForPatient("2002"));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response).at("/issue/0/diagnostics").asText()).isEqualTo("AU-102 token expired");
        assertThat(output.getAll()).contains("outcome=AU-102").doesNotContain(expired.split("\\.")[1]);
        assertThat(historyRows()).isZero();
    }

    @ParameterizedTest
    @CsvSource({
        "application, system/Patient.cu system/Observation.cu, AU-201 no scope grants create on DiagnosticReport",
        "application, system/*.c,                             AU-201 no scope grants update on DiagnosticReport",
        "user,        user/*.rs,                              AU-201 no scope grants create on DiagnosticReport",
        "patient,     patient/*.cruds,                        AU-201 no scope grants create on DiagnosticReport"
    })
    void plainTransactionNeedsCreateAndUpdateOnEveryTypeFromStaffOrSystem(String kind, String scopes,
            String diagnostics) {
        HttpResponse<String> response = store.as(token(kind, scopes)).transaction(bundleForPatient("2002"));

        TestIssuer.assertForbidden(response, diagnostics);
        assertThat(response.body()).doesNotContain("p-2002", "MRN");
        assertThat(historyRows()).isZero();
    }

    @ParameterizedTest
    @CsvSource({
        "application, system/*.cu",
        "application, system/Patient.cu system/DiagnosticReport.cu system/Observation.cu",
        "user,        user/*.cruds"
    })
    void plainTransactionWithWriteScopesIsStored(String kind, String scopes) {
        HttpResponse<String> response = store.as(token(kind, scopes)).transaction(bundleForPatient("2002"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(historyRows()).isEqualTo(4);
    }

    @Test
    void aTypeNamedOnlyInTheUrlStillNeedsItsScope() throws IOException {
        ObjectNode bundle = (ObjectNode) JSON.readTree(bundleForPatient("2002"));
        ((ObjectNode) bundle.at("/entry/1/request")).put("url", "Specimen/dr-2002-lyte");
        String token = TestIssuer.application("system/Patient.cu", "system/DiagnosticReport.cu",
                "system/Observation.cu");

        HttpResponse<String> response = store.as(token).transaction(JSON.writeValueAsString(bundle));

        TestIssuer.assertForbidden(response, "AU-201 no scope grants create on Specimen");
    }

    @Test
    void brokerDeliveryNeedsTheDispatchersTokenAndNoUserToken() {
        HttpResponse<String> response = store.as(null).deliver("evt-no-user", bundleForPatient("2002"));

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(historyRows()).isEqualTo(4);
    }

    @Test
    void brokerDeliveryWithoutTokenIs401AsOperationOutcomeAndStoresNothing(CapturedOutput output) {
        HttpResponse<String> response = store.deliveringWith(null).deliver("evt-no-token", bundleForPatient("2002"));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate"))
                .hasValue("Bearer realm=\"clinical-functions-eventing\"");
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/fhir+json"));
        assertThat(json(response).at("/issue/0/code").asText()).isEqualTo("login");
        assertThat(json(response).at("/issue/0/diagnostics").asText())
                .isEqualTo("EV-101 event delivery token required");
        assertThat(output.getAll()).contains("outcome=EV-101");
        assertThat(historyRows()).isZero();
    }

    @Test
    void brokerDeliveryWithAUserTokenIsRefused() {
        HttpResponse<String> response = store.deliveringWith("Bearer " + TestIssuer.ADMIN)
                .deliver("evt-user-token", bundleForPatient("2002"));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response).at("/issue/0/diagnostics").asText())
                .isEqualTo("EV-104 token signature invalid or signing key unknown");
        assertThat(historyRows()).isZero();
    }

    @Test
    void plainTransactionWithTheDispatchersTokenIs401() {
        String delivery = TestIssuer.DELIVERIES.token(TestIssuer.DELIVERY_AUDIENCE);

        HttpResponse<String> response = store.as(delivery).transaction(bundleForPatient("2002"));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response).at("/issue/0/diagnostics").asText()).startsWith("AU-102 ");
        assertThat(historyRows()).isZero();
    }

    private static String token(String kind, String scopes) {
        return switch (kind) {
            case "application" -> TestIssuer.application(scopes.split(" "));
            case "patient" -> TestIssuer.patient("p-2002", scopes);
            default -> TestIssuer.TOKENS.sign(DevelopmentTokens.claims(scopes).build());
        };
    }

    private static String reverseEntries(String bundle) throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(bundle);
        ArrayNode reversed = JSON.createArrayNode();
        root.withArray("entry").forEach(entry -> reversed.insert(0, entry));
        root.set("entry", reversed);
        return JSON.writeValueAsString(root);
    }

    private int historyRows() {
        return jdbc.queryForObject("SELECT count(*) FROM resource_history", Integer.class);
    }
}
