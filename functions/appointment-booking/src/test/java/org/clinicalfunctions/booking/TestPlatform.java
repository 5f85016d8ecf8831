package org.clinicalfunctions.booking;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.clinicalfunctions.auth.DevelopmentTokens;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * What every test class shares, started once per test JVM so Spring reuses one application context: a real
 * PostgreSQL (zonky), WireMock standing in for Entra ID's JWKS endpoint and for the broker ingress, and the key
 * pair that signs the test tokens.
 */
final class TestPlatform {

    static final String JWKS_PATH = "/tenant/discovery/v2.0/keys";
    static final String BROKER_PATH = "/clinical/default";
    static final DevelopmentTokens TOKENS = new DevelopmentTokens("booking-test-key");

    private static EmbeddedPostgres postgres;
    private static WireMockServer wiremock;

    private TestPlatform() {
    }

    static synchronized void register(DynamicPropertyRegistry registry) {
        start();
        registry.add("spring.datasource.url", () -> postgres.getJdbcUrl("postgres", "postgres"));
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "");
        DevelopmentTokens.properties(wiremock.baseUrl() + JWKS_PATH)
                .forEach((name, value) -> registry.add(name, () -> value));
        registry.add("clinical.booking.sink", () -> wiremock.baseUrl() + BROKER_PATH);
        registry.add("clinical.booking.relay-interval", () -> "200ms");
    }

    static synchronized WireMockServer wiremock() {
        start();
        return wiremock;
    }

    /** Puts the stubs back, for tests that change them. */
    static void stubDefaults() {
        wiremock.stubFor(get(JWKS_PATH).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody(TOKENS.jwks())));
        wiremock.stubFor(post(BROKER_PATH).willReturn(aResponse().withStatus(202)));
    }

    private static void start() {
        if (postgres != null) {
            return;
        }
        try {
            // zonky turns synchronous_commit off by default; a booking answered 201 must survive a crash, so the
            // tests and the benchmark run with PostgreSQL's durable default.
            postgres = EmbeddedPostgres.builder().setServerConfig("synchronous_commit", "on").start();
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        }
        // The journal keeps every request it is sent; the benchmark sends it 100,000 events, which would sit
        // in the function's heap. The test suite sends it far fewer than the cap.
        wiremock = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")
                .maxRequestJournalEntries(10_000));
        wiremock.start();
        stubDefaults();
    }
}
