package org.clinicalfunctions.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * An export process killed with SIGKILL part way; a new process finishes the job with exactly the right lines: with
 * worker threads (resumed on a poll), and with chunk events (the broker's redelivery of the event whose delivery the
 * kill broke resumes the chunk).
 */
class ExportResumeTests {

    private static final int OBSERVATIONS = 60_000;
    private static final int PATIENTS = 100;

    @TempDir
    Path work;

    private ExportTestEnvironment environment;
    private JdbcTemplate jdbc;

    @BeforeEach
    void start() throws SQLException {
        environment = new ExportTestEnvironment();
        Flyway.configure().dataSource(environment.postgres().getPostgresDatabase())
                .locations("classpath:db/migration").load().migrate();
        jdbc = new JdbcTemplate(new SingleConnectionDataSource(environment.jdbcUrl(), "postgres", "", true));
        try (Connection connection = environment.postgres().getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(GeneratedResources.insertSql("Observation", OBSERVATIONS, PATIENTS));
            statement.execute(GeneratedResources.insertSql("Patient", PATIENTS, PATIENTS));
        }
    }

    @AfterEach
    void stop() throws IOException {
        environment.close();
    }

    /** The export's arguments: slow enough (8,000 rows/s) to be killed part way, parts of 4,000 lines. */
    private List<String> args(String... more) {
        List<String> args = new ArrayList<>(List.of(environment.datasourceArgs(
                "--clinical.fhir-export.storage.local-folder=" + work.resolve("files"),
                "--clinical.fhir-export.rows-per-second=8000", "--clinical.fhir-export.max-lines-per-file=4000",
                "--clinical.fhir-export.lease=2s", "--clinical.fhir-export.workers=1",
                "--clinical.fhir-export.poll-interval=100ms",
                "--spring.autoconfigure.exclude=org.clinicalfunctions.http.FunctionHttpAutoConfiguration")));
        args.addAll(List.of(more));
        return args;
    }

    @Test
    void killedMidDeliveryTheRedeliveredChunkEventFinishesTheChunkWithNoLineLostOrRepeated() throws Exception {
        int port = ExportTestEnvironment.freePort();
        Path logs = Files.createDirectories(Path.of("target", "resume-test"));
        try (EventSink sink = new EventSink()) {
            List<String> args = args("--clinical.fhir-export.chunk-events=true",
                    "--clinical.fhir-export.chunk-time-budget=60s", sink.arg());
            BulkClient client = environment.systemClient(port);
            HttpClient broker = HttpClient.newHttpClient();
            String status;
            HttpRequest delivery;
            Set<String> partsBeforeKill;
            try (ExportProcess first = ExportProcess.start(port, logs.resolve("first-events.log"), args)) {
                status = client.kickOff("/$export?_type=Observation").headers().firstValue("Content-Location")
                        .orElseThrow();
                sink.await(e -> e.startsWith(ExportEvents.CHUNK_READY));
                delivery = delivery(port, environment.issuer().delivery(), sink.received().stream()
                        .filter(e -> ExportEvents.CHUNK_READY.equals(e.type())).findFirst().orElse(null));
                CompletableFuture<HttpResponse<String>> inFlight =
                        broker.sendAsync(delivery, HttpResponse.BodyHandlers.ofString());
                awaitCommittedParts(jobOf(status), 3);

                first.kill();
                assertThat(inFlight).failsWithin(Duration.ofSeconds(30));
            }
            partsBeforeKill = committedParts(jobOf(status));
            assertThat(partsBeforeKill.size() * 4000).isLessThan(OBSERVATIONS);

            try (ExportProcess second = ExportProcess.start(port, logs.resolve("second-events.log"), args)) {
                List<Integer> answers = redeliverUntilTaken(broker, delivery);
                JsonNode manifest = BulkClient.json(client.awaitCompletion(status).body());

                assertThat(answers).last().isEqualTo(200);
                assertExactly(client, manifest, "Observation", GeneratedResources.ids("Observation", OBSERVATIONS));
                assertThat(fileNames(manifest)).containsAll(partsBeforeKill);
            }
        }
    }

    @Test
    void killedExportCompletesAfterRestartWithNoLineLostOrRepeated() throws Exception {
        int port = ExportTestEnvironment.freePort();
        Path logs = Files.createDirectories(Path.of("target", "resume-test"));
        List<String> args = args();
        BulkClient client = environment.systemClient(port);
        String status;
        UUID job;
        Set<String> partsBeforeKill;
        try (ExportProcess first = ExportProcess.start(port, logs.resolve("first.log"), args)) {
            status = client.kickOff("/$export?_type=Patient,Observation").headers()
                    .firstValue("Content-Location").orElseThrow();
            job = UUID.fromString(status.substring(status.lastIndexOf('/') + 1));
            awaitCommittedParts(job, 3);
            HttpResponse<String> progress = client.get(status);
            assertThat(progress.statusCode()).isEqualTo(202);
            assertThat(progress.headers().firstValue("X-Progress").orElseThrow()).hasSizeLessThan(100)
                    .contains("resources written");
            assertThat(progress.headers().firstValue("Retry-After")).isPresent();

            first.kill();
        }
        partsBeforeKill = committedParts(job);
        assertThat(jdbc.queryForObject("SELECT status FROM fhir_export.export_job WHERE job_id = ?", String.class, job))
                .isEqualTo("in-progress");
        assertThat(partsBeforeKill.size() * 4000).isLessThan(OBSERVATIONS);

        try (ExportProcess second = ExportProcess.start(port, logs.resolve("second.log"), args)) {
            HttpResponse<String> done = client.awaitCompletion(status);
            assertThat(done.statusCode()).isEqualTo(200);
            JsonNode manifest = BulkClient.json(done.body());

            assertExactly(client, manifest, "Observation", GeneratedResources.ids("Observation", OBSERVATIONS));
            assertExactly(client, manifest, "Patient", GeneratedResources.ids("Patient", PATIENTS));
            assertThat(fileNames(manifest)).containsAll(partsBeforeKill);
        }
    }

    /** The chunk.ready event as the broker would deliver it to the function on {@code port}. */
    private static HttpRequest delivery(int port, String authorization, EventSink.Received event) {
        assertThat(event).as("a chunk.ready event").isNotNull();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + ChunkEventController.PATH)).timeout(Duration.ofSeconds(90)).header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofString(event.data()));
        event.headers().forEach(request::header);
        return request.build();
    }

    /** Redelivers as the broker retries: again after a 503's Retry-After, until the chunk is taken (200). */
    private static List<Integer> redeliverUntilTaken(HttpClient broker, HttpRequest delivery) {
        List<Integer> answers = new ArrayList<>();
        for (int attempt = 0; attempt < 20; attempt++) {
            HttpResponse<String> answer = BulkClient.exchange(broker, delivery, HttpResponse.BodyHandlers.ofString());
            answers.add(answer.statusCode());
            if (answer.statusCode() != 503) {
                return answers;
            }
            BulkClient.sleep(1000L * Long.parseLong(answer.headers().firstValue("Retry-After").orElse("1")));
        }
        return answers;
    }

    private Set<String> committedParts(UUID job) {
        return new HashSet<>(jdbc.queryForList("SELECT file_name FROM fhir_export.export_file WHERE job_id = ?"
                + " AND resource_type = 'Observation'", String.class, job));
    }

    private static Set<String> fileNames(JsonNode manifest) {
        Set<String> names = new HashSet<>();
        manifest.path("output").forEach(o -> names.add(o.path("url").asText()
                .substring(o.path("url").asText().lastIndexOf('/') + 1)));
        return names;
    }

    private static UUID jobOf(String status) {
        return UUID.fromString(status.substring(status.lastIndexOf('/') + 1));
    }

    private static void assertExactly(BulkClient client, JsonNode manifest, String type, Set<String> expected) {
        Set<String> seen = new HashSet<>();
        long lines = 0;
        long counted = 0;
        for (JsonNode output : manifest.path("output")) {
            if (!type.equals(output.path("type").asText())) {
                continue;
            }
            counted += output.path("count").asLong();
            for (String line : client.get(output.path("url").asText()).body().split("\n")) {
                lines++;
                assertThat(seen.add(BulkClient.json(line).path("id").asText())).as("repeated line").isTrue();
            }
        }
        assertThat(lines).isEqualTo(expected.size()).isEqualTo(counted);
        assertThat(seen).isEqualTo(expected);
    }

    private void awaitCommittedParts(UUID job, int parts) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            Integer committed = jdbc.queryForObject("SELECT count(*) FROM fhir_export.export_file WHERE job_id = ?"
                    + " AND resource_type = 'Observation'", Integer.class, job);
            if (committed != null && committed >= parts) {
                return;
            }
            BulkClient.sleep(50);
        }
        throw new AssertionError("no " + parts + " committed parts within a minute");
    }
}
