package org.clinicalfunctions.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
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
    private HttpServer sink;
    private final List<String> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException, SQLException {
        sink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        sink.createContext("/", exchange -> {
            events.add(exchange.getRequestHeaders().getFirst("ce-type") + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        sink.start();
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
        sink.stop(0);
    }

    @Test
    void exportWhoseFilesCannotBeWrittenFailsWith500AndAFailedEvent() throws IOException {
        Path notAFolder = Files.writeString(work.resolve("not-a-folder"), "a file where the folder should be");
        BulkClient client = environment.systemClient(environment.startExport(notAFolder,
                "--clinical.fhir-export.max-attempts=2",
                "--clinical.fhir-export.event-sink=http://127.0.0.1:" + sink.getAddress().getPort() + "/"));

        String status = client.kickOff("/$export").headers().firstValue("Content-Location").orElseThrow();
        HttpResponse<String> failed = client.awaitCompletion(status);

        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(failed.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/fhir+json");
        JsonNode issue = BulkClient.json(failed.body()).path("issue").get(0);
        assertThat(issue.path("diagnostics").asText()).startsWith("FX-500 ");
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (events.isEmpty() && System.nanoTime() < deadline) {
            BulkClient.sleep(100);
        }
        assertThat(events).singleElement().satisfies(e -> assertThat(e).startsWith(ExportEvents.FAILED + " ")
                .contains("\"failure\":\"FX-500").contains("\"output\":[]"));
    }
}
