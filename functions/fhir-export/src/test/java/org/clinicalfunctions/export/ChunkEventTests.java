package org.clinicalfunctions.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chunk work woken by the broker: with chunk events on, a kick-off announces each chunk as a chunk.ready CloudEvent
 * and no thread of the function claims it. The test stands where the broker's dispatcher would: it posts each event
 * the sink received to {@code /export-chunks} over HTTP, with the dispatcher's OIDC token. A time budget of one
 * nanosecond makes every delivery a slice of exactly one resource that announces the next, so a slice's resume point
 * shows in the file parts: one line each.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChunkEventTests {

    private static final int PATIENTS = 5;
    private static final int OBSERVATIONS = 40;

    @TempDir
    static Path files;

    private final HttpClient broker = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ExportTestEnvironment environment;
    private EventSink sink;
    private int port;

    @BeforeAll
    void start() throws SQLException {
        sink = new EventSink();
        environment = new ExportTestEnvironment();
        Flyway.configure().dataSource(environment.postgres().getPostgresDatabase())
                .locations("classpath:db/migration").load().migrate();
        execute(GeneratedResources.insertSql("Patient", PATIENTS, PATIENTS));
        execute(GeneratedResources.insertSql("Observation", OBSERVATIONS, PATIENTS));
        port = environment.startExport(files, "--clinical.fhir-export.chunk-events=true",
                "--clinical.fhir-export.chunk-time-budget=1ns", sink.arg());
    }

    @AfterAll
    void stop() throws IOException {
        environment.close();
        sink.close();
    }

    @Test
    void deliveredChunkEventsWorkTheExportOneSliceEachAndNothingElseDoes() {
        BulkClient client = environment.systemClient(port);
        String status = client.kickOff("/$export").headers().firstValue("Content-Location").orElseThrow();

        BulkClient.sleep(1000);
        HttpResponse<String> waiting = client.get(status);
        JsonNode manifest = deliverUntilDone(client, status);

        assertThat(waiting.statusCode()).isEqualTo(202);
        assertThat(waiting.headers().firstValue("X-Progress"))
                .contains("0 of 2 resource types done, 0 resources written");
        assertThat(manifest.path("output").size()).isEqualTo(PATIENTS + OBSERVATIONS);
        assertThat(manifest.path("output")).allSatisfy(o -> assertThat(o.path("count").asInt()).isEqualTo(1));
        Set<String> ids = exportedIds(client, manifest);
        Set<String> expected = new HashSet<>(GeneratedResources.ids("Patient", PATIENTS));
        expected.addAll(GeneratedResources.ids("Observation", OBSERVATIONS));
        assertThat(ids).isEqualTo(expected);
    }

    @Test
    void aRedeliveredEventAnswers200AndWritesNothingAgain() {
        BulkClient client = environment.systemClient(port);
        String status = client.kickOff("/$export?_type=Patient").headers().firstValue("Content-Location")
                .orElseThrow();
        JsonNode manifest = deliverUntilDone(client, status);

        List<Integer> redelivered = eventsOf(jobOf(status)).stream().map(this::deliver).toList();
        JsonNode again = BulkClient.json(client.awaitCompletion(status).body());

        assertThat(redelivered).isNotEmpty().containsOnly(200);
        assertThat(again.path("output")).isEqualTo(manifest.path("output"));
        assertThat(exportedIds(client, again)).isEqualTo(GeneratedResources.ids("Patient", PATIENTS));
    }

    @Test
    void aChunkHeldByALiveWorkerAnswers503WithRetryAfterUntilItsLeaseRunsOut() throws SQLException {
        BulkClient client = environment.systemClient(port);
        String status = client.kickOff("/$export?_type=Patient").headers().firstValue("Content-Location")
                .orElseThrow();
        EventSink.Received event = awaitEvents(jobOf(status), 1).get(0);
        setLease(jobOf(status), "30 seconds");

        HttpResponse<String> held = post(event.headers().get("content-type"), event.headers(), event.data());
        setLease(jobOf(status), "-1 seconds");
        JsonNode manifest = deliverUntilDone(client, status);

        assertThat(held.statusCode()).isEqualTo(503);
        assertThat(Integer.parseInt(held.headers().firstValue("Retry-After").orElseThrow())).isBetween(1, 31);
        assertThat(held.body()).contains("FX-431");
        assertThat(exportedIds(client, manifest)).isEqualTo(GeneratedResources.ids("Patient", PATIENTS));
    }

    @Test
    void aDeliveryWithoutTheDispatchersTokenIs401WithAnOperationOutcomeAndWorksNothing() {
        String data = "{\"job\":\"" + UUID.randomUUID() + "\",\"chunk\":\"Patient\"}";
        Map<String, String> headers = binaryHeaders(ExportEvents.CHUNK_READY);

        HttpResponse<String> none = post(null, "application/json", headers, data);
        HttpResponse<String> otherSubscriber = post(environment.issuer().deliveryFor(
                "serving.knative.dev/service/clinical/fhir-store"), "application/json", headers, data);

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate"))
                .hasValue("Bearer realm=\"clinical-functions-eventing\"");
        assertThat(BulkClient.json(none.body()).at("/issue/0/diagnostics").asText())
                .isEqualTo("EV-101 event delivery token required");
        assertThat(otherSubscriber.statusCode()).isEqualTo(401);
        assertThat(BulkClient.json(otherSubscriber.body()).at("/issue/0/diagnostics").asText())
                .isEqualTo("EV-106 token audience not accepted");
    }

    @Test
    void anEventOfAnotherTypeIs400AndOneForAnUnknownJobIs200InEitherMode() {
        String data = "{\"job\":\"" + UUID.randomUUID() + "\",\"chunk\":\"Patient\"}";
        EventSink.Received unknownJob = new EventSink.Received(binaryHeaders(ExportEvents.CHUNK_READY), data);

        HttpResponse<String> otherType = post("application/json", binaryHeaders(ExportEvents.COMPLETED), data);
        int binary = deliver(unknownJob);
        HttpResponse<String> structured = post("application/cloudevents+json", Map.of(),
                "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"" + ExportEvents.SOURCE + "\",\"type\":\""
                        + ExportEvents.CHUNK_READY + "\",\"datacontenttype\":\"application/json\",\"data\":" + data
                        + "}");

        assertThat(otherType.statusCode()).isEqualTo(400);
        assertThat(otherType.body()).contains("FX-112");
        assertThat(binary).isEqualTo(200);
        assertThat(structured.statusCode()).isEqualTo(200);
    }

    /** Delivers every chunk.ready event of the job not delivered yet, as the broker would, until the job is done. */
    private JsonNode deliverUntilDone(BulkClient client, String status) {
        String job = jobOf(status);
        int delivered = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            List<EventSink.Received> events = eventsOf(job);
            for (EventSink.Received event : events.subList(delivered, events.size())) {
                assertThat(deliver(event)).isEqualTo(200);
            }
            delivered = events.size();
            HttpResponse<String> poll = client.get(status);
            if (poll.statusCode() == 200) {
                return BulkClient.json(poll.body());
            }
            BulkClient.sleep(150);
        }
        throw new AssertionError("export not done after two minutes of deliveries: " + status);
    }

    private List<EventSink.Received> awaitEvents(String job, int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (eventsOf(job).size() < count && System.nanoTime() < deadline) {
            BulkClient.sleep(50);
        }
        return eventsOf(job);
    }

    private List<EventSink.Received> eventsOf(String job) {
        return sink.received().stream().filter(e -> ExportEvents.CHUNK_READY.equals(e.type()))
                .filter(e -> job.equals(e.headers().get("ce-subject"))).toList();
    }

    private int deliver(EventSink.Received event) {
        return post(event.headers().get("content-type"), event.headers(), event.data()).statusCode();
    }

    /** A POST to the function's chunk endpoint with the event's ce- headers and the dispatcher's token. */
    private HttpResponse<String> post(String contentType, Map<String, String> headers, String body) {
        return post(environment.issuer().delivery(), contentType, headers, body);
    }

    private HttpResponse<String> post(String authorization, String contentType, Map<String, String> headers,
            String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + ChunkEventController.PATH)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        headers.forEach((name, value) -> {
            if (name.startsWith("ce-")) {
                request.header(name, value);
            }
        });
        return BulkClient.exchange(broker, request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> binaryHeaders(String type) {
        return Map.of("ce-specversion", "1.0", "ce-id", UUID.randomUUID().toString(),
                "ce-source", ExportEvents.SOURCE, "ce-type", type, "content-type", "application/json");
    }

    private static Set<String> exportedIds(BulkClient client, JsonNode manifest) {
        List<String> ids = new ArrayList<>();
        for (String[] line : client.lines(manifest)) {
            ids.add(BulkClient.json(line[1]).path("id").asText());
        }
        Set<String> distinct = new HashSet<>(ids);
        assertThat(distinct).hasSameSizeAs(ids);
        return distinct;
    }

    private static String jobOf(String status) {
        return status.substring(status.lastIndexOf('/') + 1);
    }

    /** Stands in for a live worker on another pod (or one that died, with a negative interval) on the job's chunks. */
    private void setLease(String job, String interval) throws SQLException {
        try (Connection connection = environment.postgres().getPostgresDatabase().getConnection();
                PreparedStatement statement = connection.prepareStatement("UPDATE fhir_export.export_chunk"
                        + " SET status = 'running', claim_token = ?, lease_until = clock_timestamp() + ?::interval"
                        + " WHERE job_id = ?")) {
            statement.setObject(1, UUID.randomUUID());
            statement.setString(2, interval);
            statement.setObject(3, UUID.fromString(job));
            assertThat(statement.executeUpdate()).isEqualTo(1);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = environment.postgres().getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
