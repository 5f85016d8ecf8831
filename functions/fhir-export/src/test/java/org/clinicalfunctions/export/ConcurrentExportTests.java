package org.clinicalfunctions.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bulk Data K11: while a client's export runs, its next kick-off gets 429 with Retry-After and an
 * OperationOutcome; another client is not held up, and cancelling the running export frees the client.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConcurrentExportTests {

    @TempDir
    static Path files;

    private ExportTestEnvironment environment;
    private int exportPort;

    @BeforeAll
    void start() throws SQLException {
        environment = new ExportTestEnvironment();
        Flyway.configure().dataSource(environment.postgres().getPostgresDatabase())
                .locations("classpath:db/migration").load().migrate();
        try (Connection connection = environment.postgres().getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(GeneratedResources.insertSql("Observation", 3_000, 10));
            statement.execute(GeneratedResources.insertSql("Patient", 10, 10));
        }
        // 100 resources a second, checked every 1,000: the first export runs for 30 s, past this test.
        exportPort = environment.startExport(files, "--clinical.fhir-export.rows-per-second=100");
    }

    @AfterAll
    void stop() throws IOException {
        environment.close();
    }

    @Test
    void aSecondExportOfTheSameClientWaitsForTheFirst() {
        BulkClient client = environment.systemClient(exportPort);
        BulkClient other = environment.systemClient(exportPort);
        HttpResponse<String> first = client.kickOff("/$export?_type=Observation");

        HttpResponse<String> second = client.kickOff("/$export?_type=Patient");
        HttpResponse<String> otherClients = other.kickOff("/$export?_type=Patient");

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(second.statusCode()).isEqualTo(429);
        assertThat(second.headers().firstValue("Retry-After")).hasValue("30");
        assertThat(BulkClient.json(second.body()).at("/issue/0/diagnostics").asText()).startsWith("FX-430");
        assertThat(otherClients.statusCode()).isEqualTo(202);

        String running = first.headers().firstValue("Content-Location").orElseThrow();
        assertThat(client.delete(running).statusCode()).isEqualTo(202);
        HttpResponse<String> afterCancel = client.kickOff("/$export?_type=Patient");
        assertThat(afterCancel.statusCode()).isEqualTo(202);
        other.delete(otherClients.headers().firstValue("Content-Location").orElseThrow());
        client.delete(afterCancel.headers().firstValue("Content-Location").orElseThrow());
    }
}
