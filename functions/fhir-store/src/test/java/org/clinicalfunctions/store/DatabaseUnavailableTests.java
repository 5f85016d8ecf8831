package org.clinicalfunctions.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clinicalfunctions.store.StoreHttpClient.fixture;
import static org.clinicalfunctions.store.StoreHttpClient.json;

import java.io.IOException;
import java.net.http.HttpResponse;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * With PostgreSQL gone the store answers 503, which Knative retries, never a 2xx that would lose the event nor a
 * 400 that would drop it. The database is started (the schema migrates), then stopped before the requests.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.datasource.hikari.connection-timeout=1000")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class DatabaseUnavailableTests {

    private static final EmbeddedPostgres POSTGRES = EmbeddedPostgresSupport.start();

    @LocalServerPort
    int port;

    StoreHttpClient store;

    @DynamicPropertySource
    static void datasource(DynamicPropertyRegistry registry) {
        EmbeddedPostgresSupport.register(POSTGRES, registry);
        TestIssuer.register(registry);
    }

    @BeforeAll
    void stopPostgres() throws IOException {
        store = new StoreHttpClient(port);
        POSTGRES.close();
    }

    @Test
    void deliveryAnswersServiceUnavailable() {
        HttpResponse<String> response = store.deliver("evt-1", fixture("lab-result-bundle.json"));

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(json(response).at("/issue/0/code").asText()).isEqualTo("transient");
        assertThat(json(response).at("/issue/0/diagnostics").asText())
                .isEqualTo("FS-503 database unavailable, try again at Bundle");
    }

    @Test
    void plainTransactionAnswersServiceUnavailable() {
        HttpResponse<String> response = store.transaction(fixture("lab-result-bundle.json"));

        assertThat(response.statusCode()).isEqualTo(503);
    }

    @Test
    void readAnswersServiceUnavailable() {
        HttpResponse<String> response = store.get("/Patient/p-1001");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).contains("5");
        assertThat(json(response).at("/issue/0/diagnostics").asText())
                .isEqualTo("FS-503 database unavailable, try again at Bundle");
    }

    @Test
    void invalidBundleIsStillRejectedWithoutTheDatabase() {
        HttpResponse<String> response = store.deliver("evt-2", fixture("invalid/batch-bundle.json"));

        assertThat(response.statusCode()).isEqualTo(400);
    }
}
