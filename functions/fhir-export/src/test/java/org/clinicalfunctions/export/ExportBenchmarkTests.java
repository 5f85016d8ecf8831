package org.clinicalfunctions.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * Exports 1,000,000 generated resources (900,000 Observations, 100,000 Patients) from a fresh PostgreSQL with the
 * function in its own JVM capped at {@code -Xmx256m}; reports resources per second (kick-off to completion, from
 * the job's own timestamps) and the peak used heap sampled every 100 ms through the actuator. Not part of the
 * normal build: {@code -Dexport.benchmark=true} runs it (see README.md).
 */
@EnabledIfSystemProperty(named = "export.benchmark", matches = "true")
class ExportBenchmarkTests {

    private static final int OBSERVATIONS = 900_000;
    private static final int PATIENTS = 100_000;

    @Test
    void exportsOneMillionResources() throws Exception {
        Path work = Files.createDirectories(Path.of("target", "benchmark"));
        try (ExportTestEnvironment environment = new ExportTestEnvironment()) {
            Flyway.configure().dataSource(environment.postgres().getPostgresDatabase())
                    .locations("classpath:db/migration").load().migrate();
            try (Connection connection = environment.postgres().getPostgresDatabase().getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute(GeneratedResources.insertSql("Observation", OBSERVATIONS, PATIENTS));
                statement.execute(GeneratedResources.insertSql("Patient", PATIENTS, PATIENTS));
                statement.execute("VACUUM ANALYZE resource_current");
            }
            int port = ExportTestEnvironment.freePort();
            List<String> args = List.of(environment.datasourceArgs(
                    "--clinical.fhir-export.storage.local-folder=" + work.resolve("files").toAbsolutePath(),
                    "--clinical.fhir-export.poll-interval=100ms",
                    "--management.endpoints.web.exposure.include=health,metrics",
                    "--spring.autoconfigure.exclude=org.clinicalfunctions.http.FunctionHttpAutoConfiguration"));
            try (ExportProcess process = ExportProcess.start(port, work.resolve("export.log"), args)) {
                JdbcTemplate jdbc = new JdbcTemplate(new SingleConnectionDataSource(environment.jdbcUrl(),
                        "postgres", "", true));
                run(environment.systemClient(port), jdbc, work);
            }
        }
    }

    private static void run(BulkClient client, JdbcTemplate jdbc, Path work) throws IOException {
        AtomicLong peakHeap = new AtomicLong();
        Thread sampler = Thread.ofPlatform().daemon().start(() -> sampleHeap(client, peakHeap));
        String status = client.kickOff("/$export").headers().firstValue("Content-Location").orElseThrow();
        HttpResponse<String> done = client.awaitCompletion(status);
        sampler.interrupt();
        JsonNode manifest = BulkClient.json(done.body());

        long total = 0;
        for (JsonNode output : manifest.path("output")) {
            total += output.path("count").asLong();
        }
        UUID job = UUID.fromString(status.substring(status.lastIndexOf('/') + 1));
        double seconds = jdbc.queryForObject("SELECT extract(epoch FROM finished_at - created_at)"
                + " FROM fhir_export.export_job"
                + " WHERE job_id = ?", Double.class, job);
        String report = String.format(Locale.ROOT, "exported %d resources in %d files in %.2f s: %.0f resources/s;"
                + " peak used heap %.1f MB (-Xmx256m); %d cores visible%n", total, manifest.path("output").size(),
                seconds, total / seconds, peakHeap.get() / 1_048_576.0, Runtime.getRuntime().availableProcessors());
        System.out.print(report);
        Files.writeString(work.resolve("result.txt"), report, StandardCharsets.UTF_8);
        assertThat(total).isEqualTo(OBSERVATIONS + PATIENTS);
    }

    private static void sampleHeap(BulkClient client, AtomicLong peak) {
        while (!Thread.currentThread().isInterrupted()) {
            HttpResponse<String> metric = client.get(client.base()
                    + "/actuator/metrics/jvm.memory.used?tag=area:heap");
            if (metric.statusCode() == 200) {
                long used = BulkClient.json(metric.body()).path("measurements").get(0).path("value").asLong();
                peak.accumulateAndGet(used, Math::max);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
