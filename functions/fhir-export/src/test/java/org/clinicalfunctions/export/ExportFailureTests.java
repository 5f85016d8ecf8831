package org.clinicalfunctions.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import com.fasterxml.jackson.databind.JsonNode;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Storage that cannot be written: each claim of the chunk fails, and after max-attempts the job is failed, its
 * status URL answers 500 with an OperationOutcome and an export.failed CloudEvent goes to the sink.
 */
class ExportFailureTests {

    @TempDir
    Path work;

    private ExportTestEnvironment environment;
    private EventSink sink;

    @BeforeEach
    void start() throws IOException, SQLException {
        sink = new EventSink();
        environment = new ExportTestEnvironment();
        Flyway.configure().dataSource(environment.postgres().getPostgresDatabase())
                .locations("classpath:db/migration").load().migrate();
        try (Connection connection = environment.postgres().getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(GeneratedResources.insertSql("Patient", 5, 5));
        }
    }

    @AfterEach
    void stop() throws IOException {
        environment.close();
        sink.close();
    }

    @Test
    void exportWhoseFilesCannotBeWrittenFailsWith500AndAFailedEvent() throws IOException {
        Path notAFolder = Files.writeString(work.resolve("not-a-folder"), "a file where the folder should be");
        BulkClient client = environment.systemClient(environment.startExport(notAFolder,
                "--clinical.fhir-export.max-attempts=2",
                sink.arg()));

        String status = client.kickOff("/$export").headers().firstValue("Content-Location").orElseThrow();
        HttpResponse<String> failed = client.awaitCompletion(status);

        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(failed.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/fhir+json");
        JsonNode issue = BulkClient.json(failed.body()).path("issue").get(0);
        assertThat(issue.path("diagnostics").asText()).startsWith("FX-500 ");
        assertThat(sink.await(e -> true)).singleElement()
                .satisfies(e -> assertThat(e).startsWith(ExportEvents.FAILED + " ")
                .contains("\"failure\":\"FX-500").contains("\"output\":[]"));
    }
}
