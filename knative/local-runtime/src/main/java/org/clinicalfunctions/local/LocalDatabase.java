package org.clinicalfunctions.local;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL the store writes to: an external one when {@code CLINICAL_JDBC_URL} is set (with
 * {@code CLINICAL_JDBC_USER} and {@code CLINICAL_JDBC_PASSWORD}), else a real PostgreSQL server started from the
 * zonky embedded binaries with its data kept under the state folder, so stored resources survive a restart.
 * {@code CLINICAL_PG_PORT} fixes its port (default: any free port).
 */
public final class LocalDatabase implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalDatabase.class);

    private final EmbeddedPostgres embedded;
    private final String jdbcUrl;
    private final String user;
    private final String password;

    private LocalDatabase(EmbeddedPostgres embedded, String jdbcUrl, String user, String password) {
        this.embedded = embedded;
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
    }

    public static LocalDatabase start(Path dataDirectory) throws IOException {
        String external = System.getenv("CLINICAL_JDBC_URL");
        if (external != null && !external.isBlank()) {
            log.info("database=external");
            return new LocalDatabase(null, external, System.getenv().getOrDefault("CLINICAL_JDBC_USER", ""),
                    System.getenv().getOrDefault("CLINICAL_JDBC_PASSWORD", ""));
        }
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false);
        String port = System.getenv("CLINICAL_PG_PORT");
        if (port != null && !port.isBlank()) {
            builder.setPort(Integer.parseInt(port));
        }
        EmbeddedPostgres postgres = builder.start();
        String url = postgres.getJdbcUrl("postgres", "postgres");
        log.info("database=embedded port={}", postgres.getPort());
        return new LocalDatabase(postgres, url, "postgres", "postgres");
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** The Spring Boot environment a function needs to reach this database. */
    public Map<String, String> springEnvironment() {
        return Map.of("SPRING_DATASOURCE_URL", jdbcUrl, "SPRING_DATASOURCE_USERNAME", user,
                "SPRING_DATASOURCE_PASSWORD", password);
    }

    @Override
    public void close() throws IOException {
        if (embedded != null) {
            embedded.close();
        }
    }
}
