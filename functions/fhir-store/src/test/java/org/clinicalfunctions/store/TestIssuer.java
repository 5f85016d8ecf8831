package org.clinicalfunctions.store;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.clinicalfunctions.store.StoreHttpClient.json;

import java.net.http.HttpResponse;
import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.clinicalfunctions.auth.DevelopmentTokens;
import org.clinicalfunctions.http.DeliveryTokens;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The token issuers of the tests: WireMock serves the JWKS as Entra ID would, started once per test JVM, and
 * {@link DevelopmentTokens} signs Entra-shaped tokens with the matching key; {@link DeliveryTokens} is the cluster's
 * service-account issuer whose tokens the broker's dispatcher sends with each delivery.
 */
final class TestIssuer {

    static final String JWKS_PATH = "/tenant/discovery/v2.0/keys";
    static final DevelopmentTokens TOKENS = new DevelopmentTokens("fhir-store-test-key");
    /** What {@code knative/platform token} hands a member of staff. */
    static final String ADMIN = TOKENS.sign(DevelopmentTokens.claims("user/*.cruds").build());
    /** The audience the Triggers {@code fhir-store} and {@code fhir-store-appointments} name for their subscriber. */
    static final String DELIVERY_AUDIENCE = "serving.knative.dev/service/clinical/fhir-store";
    static final DeliveryTokens DELIVERIES = new DeliveryTokens("fhir-store-cluster-key");

    private static WireMockServer wiremock;

    private TestIssuer() {
    }

    static synchronized void register(DynamicPropertyRegistry registry) {
        if (wiremock == null) {
            wiremock = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
            wiremock.start();
            wiremock.stubFor(get(JWKS_PATH).willReturn(aResponse()
                    .withHeader("Content-Type", "application/json").withBody(TOKENS.jwks())));
        }
        DevelopmentTokens.properties(wiremock.baseUrl() + JWKS_PATH)
                .forEach((name, value) -> registry.add(name, () -> value));
        DELIVERIES.register(registry, DELIVERY_AUDIENCE);
    }

    /** What the broker's dispatcher sends with a delivery to fhir-store. */
    static String delivery() {
        return DELIVERIES.authorization(DELIVERY_AUDIENCE);
    }

    /** A patient portal's token: {@code scp} scopes with {@code patientId} in context. */
    static String patient(String patientId, String scp) {
        return TOKENS.patient(patientId, scp);
    }

    /** An application's token with app roles, as Entra ID issues to a daemon. */
    static String application(String... roles) {
        return TOKENS.application(List.of(roles));
    }

    /** Asserts the answer to a request without a token: 401, the bare RFC 6750 challenge, an OperationOutcome. */
    static void assertTokenRequired(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"clinical-functions\"");
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/fhir+json"));
        assertThat(json(response).get("resourceType").asText()).isEqualTo("OperationOutcome");
        assertThat(json(response).at("/issue/0/code").asText()).isEqualTo("login");
        assertThat(json(response).at("/issue/0/diagnostics").asText()).isEqualTo("AU-101 bearer token required");
    }

    /** Asserts a refusal for want of a right: 403, {@code insufficient_scope}, diagnostics starting as given. */
    static void assertForbidden(HttpResponse<String> response, String diagnostics) {
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
                .contains("error=\"insufficient_scope\"");
        assertThat(json(response).at("/issue/0/code").asText()).isEqualTo("forbidden");
        assertThat(json(response).at("/issue/0/diagnostics").asText()).startsWith(diagnostics);
    }
}
