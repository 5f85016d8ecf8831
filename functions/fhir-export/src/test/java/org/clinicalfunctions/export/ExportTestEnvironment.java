package org.clinicalfunctions.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.clinicalfunctions.store.FhirStoreApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real PostgreSQL with fhir-store and fhir-export running on it as the two Spring applications they are, each on
 * its own loopback port, as the local runtime runs them.
 */
final class ExportTestEnvironment implements AutoCloseable {

    private final EmbeddedPostgres postgres;
    private final List<ConfigurableApplicationContext> apps = new ArrayList<>();
    private final TestIssuer issuer = new TestIssuer();

    ExportTestEnvironment() {
        try {
            postgres = EmbeddedPostgres.builder().start();
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        }
    }

    TestIssuer issuer() {
        return issuer;
    }

    /** A client with a new backend-services token (system/*.rs). */
    BulkClient systemClient(int port) {
        return new BulkClient(port, issuer.system());
    }

    EmbeddedPostgres postgres() {
        return postgres;
    }

    String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    /** Starts fhir-store (its own Flyway schema) and returns its port. */
    int startStore() {
        ConfigurableApplicationContext store = new SpringApplicationBuilder(FhirStoreApplication.class)
                // No application.yml: the export's own, first on this classpath, is not the store's.
                .run(datasourceArgs("--spring.config.name=fhir-store-test-none", "--server.port=0",
                        "--spring.application.name=fhir-store",
                        "--spring.cloud.function.definition=fhirStore",
                        "--spring.flyway.table=flyway_schema_history",
                        "--spring.flyway.locations=classpath:db/migration",
                        "--spring.flyway.baseline-on-migrate=false"));
        apps.add(store);
        return port(store);
    }

    /** Starts fhir-export with the given {@code --name=value} arguments over the defaults; returns its port. */
    int startExport(Path files, String... extra) {
        Map<String, String> args = new LinkedHashMap<>();
        for (String arg : datasourceArgs("--server.port=0", "--clinical.fhir-export.storage.local-folder=" + files,
                "--clinical.fhir-export.poll-interval=100ms", "--clinical.fhir-export.lease=3s",
                // fhir-store is on the test classpath; its POST / endpoint is no part of the export.
                "--spring.autoconfigure.exclude=org.clinicalfunctions.http.FunctionHttpAutoConfiguration")) {
            args.put(arg.substring(0, arg.indexOf('=')), arg);
        }
        for (String arg : extra) {
            args.put(arg.substring(0, arg.indexOf('=')), arg);
        }
        ConfigurableApplicationContext export = new SpringApplicationBuilder(FhirExportApplication.class)
                .run(args.values().toArray(String[]::new));
        apps.add(export);
        return port(export);
    }

    /** The datasource and the token issuer of this environment, then {@code more}. */
    String[] datasourceArgs(String... more) {
        List<String> args = new ArrayList<>(List.of("--spring.datasource.url=" + jdbcUrl(),
                "--spring.datasource.username=postgres", "--spring.datasource.password="));
        args.addAll(issuer.args());
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    @Override
    public void close() throws IOException {
        for (int i = apps.size() - 1; i >= 0; i--) {
            apps.get(i).close();
        }
        postgres.close();
        issuer.close();
    }
}
