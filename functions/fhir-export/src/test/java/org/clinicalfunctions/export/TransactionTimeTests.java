package org.clinicalfunctions.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * IG M01: the files hold each resource as it was at transactionTime. A resource whose current version is newer
 * (written while the export ran) is exported in its last version up to transactionTime; one created later is not.
 */
class TransactionTimeTests {

    private static final String INSERT_CURRENT = "INSERT INTO resource_current (resource_type, resource_id,"
            + " version_id, last_updated, patient_id, content_sha256, content) VALUES ('Patient', ?, ?,"
            + " now() + interval '1 hour', ?, repeat('0', 64), ?::jsonb)";
    private static final String INSERT_HISTORY = "INSERT INTO resource_history (resource_type, resource_id,"
            + " version_id, last_updated, content) VALUES ('Patient', ?, ?, now() + ?::interval, ?::jsonb)";

    @TempDir
    Path files;

    private ExportTestEnvironment environment;

    @BeforeEach
    void start() {
        environment = new ExportTestEnvironment();
        Flyway.configure().dataSource(environment.postgres().getPostgresDatabase())
                .locations("classpath:db/migration").load().migrate();
    }

    @AfterEach
    void stop() throws IOException {
        environment.close();
    }

    @Test
    void exportsEachResourceAsItWasAtTransactionTime() {
        JdbcTemplate jdbc = new JdbcTemplate(new SingleConnectionDataSource(environment.jdbcUrl(), "postgres", "",
                true));
        jdbc.update(INSERT_CURRENT, "changed", 2, "changed", patient("changed", false));
        jdbc.update(INSERT_HISTORY, "changed", 1, "-1 hour", patient("changed", true));
        jdbc.update(INSERT_HISTORY, "changed", 2, "1 hour", patient("changed", false));
        jdbc.update(INSERT_CURRENT, "created-later", 1, "created-later", patient("created-later", true));
        jdbc.update(INSERT_HISTORY, "created-later", 1, "1 hour", patient("created-later", true));
        BulkClient client = environment.systemClient(environment.startExport(files));

        List<String[]> lines = client.lines(client.export("/$export"));

        assertThat(lines).hasSize(1);
        JsonNode exported = BulkClient.json(lines.get(0)[1]);
        assertThat(exported.path("id").asText()).isEqualTo("changed");
        assertThat(exported.path("active").asBoolean(false)).isTrue();
    }

    private static String patient(String id, boolean active) {
        return "{\"resourceType\":\"Patient\",\"id\":\"" + id + "\",\"active\":" + active + "}";
    }
}
