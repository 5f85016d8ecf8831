package org.clinicalfunctions.booking;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.clinicalfunctions.auth.DevelopmentTokens;
import org.clinicalfunctions.http.DeliveryTokens;
import org.clinicalfunctions.http.LoopbackBroker;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * What every test class shares, started once per test JVM so Spring reuses one application context: a real
 * PostgreSQL (zonky), WireMock standing in for Entra ID's JWKS endpoint, a loopback broker ingress that reads each
 * event with the CloudEvents SDK, the key pair that signs the test tokens, and the cluster issuer of the broker's
 * delivery tokens.
 */
final class TestPlatform {

    static final String JWKS_PATH = "/tenant/discovery/v2.0/keys";
    static final DevelopmentTokens TOKENS = new DevelopmentTokens("booking-test-key");
    /** The audience the Trigger {@code appointment-booking-availability} names for its subscriber. */
    static final String DELIVERY_AUDIENCE = "serving.knative.dev/service/clinical/appointment-booking";
    /** The cluster's service-account issuer, whose tokens the broker's dispatcher sends with availability events. */
    static final DeliveryTokens DELIVERIES = new DeliveryTokens("booking-cluster-key");

    private static EmbeddedPostgres postgres;
    private static WireMockServer wiremock;
    private static LoopbackBroker broker;

    private TestPlatform() {
    }

    static synchronized void register(DynamicPropertyRegistry registry) {
        start();
        registry.add("spring.datasource.url", () -> postgres.getJdbcUrl("postgres", "postgres"));
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "");
        DevelopmentTokens.properties(wiremock.baseUrl() + JWKS_PATH)
                .forEach((name, value) -> registry.add(name, () -> value));
        DELIVERIES.register(registry, DELIVERY_AUDIENCE);
        registry.add("clinical.booking.sink", broker::url);
        registry.add("clinical.booking.relay-interval", () -> "200ms");
    }

    static synchronized LoopbackBroker broker() {
        start();
        return broker;
    }

    /** Puts the stubs back, for tests that change them. */
    static void stubDefaults() {
        wiremock.stubFor(get(JWKS_PATH).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody(TOKENS.jwks())));
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
        wiremock = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        wiremock.start();
        stubDefaults();
        // The benchmark sends it over 100,000 events; only the last ones are kept in the heap.
        broker = LoopbackBroker.start(10_000);
    }
}
