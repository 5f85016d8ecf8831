package org.clinicalfunctions.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Tokens against a real HTTP endpoint, with WireMock standing in for Entra ID's JWKS endpoint. Proves each way a
 * token can be wrong gets its own 401 or 403, challenge and OperationOutcome code.
 */
@SpringBootTest(classes = ProtectedTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BearerTokenHttpTests {

    @RegisterExtension
    static final WireMockExtension ENTRA = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort()).build();

    private static final DevelopmentTokens ISSUER = new DevelopmentTokens("key-2026-1");
    private static final String READ = "patient/Appointment.rs patient/Slot.rs";

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    private int port;

    @DynamicPropertySource
    static void auth(DynamicPropertyRegistry registry) {
        DevelopmentTokens.properties(ENTRA.baseUrl() + "/tenant/discovery/v2.0/keys")
                .forEach((name, value) -> registry.add(name, () -> value));
        registry.add("clinical.auth.jwks-refetch-interval", () -> "0s");
    }

    @BeforeEach
    void serveKeys() {
        serve(ISSUER.jwks());
    }

    @Test
    void patientReadsOwnAppointments() throws Exception {
        HttpResponse<String> response = call("p-1", ISSUER.patient("p-1", READ));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"bound\":\"p-1\"");
    }

    @Test
    void fhirUserClaimGivesPatientContext() throws Exception {
        String token = ISSUER.sign(DevelopmentTokens.claims(READ)
                .claim("fhirUser", "https://fhir.example.org/Patient/p-7").build());

        assertThat(call("p-7", token).statusCode()).isEqualTo(200);
    }

    @Test
    void applicationRolesReachEveryPatient() throws Exception {
        HttpResponse<String> response = call("p-2", ISSUER.application(List.of("system/Appointment.rs")));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"bound\":\"\"");
    }

    @Test
    void missingTokenIsChallengedWithoutErrorCode() throws Exception {
        HttpResponse<String> response = call("p-1", null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate"))
                .hasValue("Bearer realm=\"clinical-functions\"");
        assertThat(response.body()).contains("\"resourceType\":\"OperationOutcome\"", "AU-101", "\"login\"");
    }

    @Test
    void expiredTokenIsRefused() throws Exception {
        Instant past = Instant.now().minusSeconds(3600);
        String token = ISSUER.sign(DevelopmentTokens.claims(READ).claim("patient", "p-1")
                .notBeforeTime(Date.from(past.minusSeconds(600))).expirationTime(Date.from(past)).build());

        assertInvalid(call("p-1", token), "token expired");
    }

    @Test
    void tokenNotYetValidIsRefused() throws Exception {
        String token = ISSUER.sign(DevelopmentTokens.claims(READ).claim("patient", "p-1")
                .notBeforeTime(Date.from(Instant.now().plusSeconds(600))).build());

        assertInvalid(call("p-1", token), "token not yet valid (nbf)");
    }

    @Test
    void wrongAudienceIsRefused() throws Exception {
        String token = ISSUER.sign(DevelopmentTokens.claims(READ).claim("patient", "p-1")
                .audience("api://another-api").build());

        assertInvalid(call("p-1", token), "token audience not accepted");
    }

    @Test
    void wrongIssuerIsRefused() throws Exception {
        String token = ISSUER.sign(DevelopmentTokens.claims(READ).claim("patient", "p-1")
                .issuer("https://login.microsoftonline.com/another-tenant/v2.0").build());

        assertInvalid(call("p-1", token), "token issuer not accepted");
    }

    @Test
    void signatureByAnotherKeyWithTheSameKidIsRefused() throws Exception {
        DevelopmentTokens forger = new DevelopmentTokens("key-2026-1");

        assertInvalid(call("p-1", forger.patient("p-1", READ)), "token signature invalid");
    }

    @Test
    void acceptedTokenWithOneSignatureCharacterChangedIsRefused() throws Exception {
        String token = ISSUER.patient("p-1", READ);
        int at = token.length() - 20;
        String altered = token.substring(0, at) + (token.charAt(at) == 'A' ? 'B' : 'A') + token.substring(at + 1);

        assertThat(call("p-1", token).statusCode()).isEqualTo(200);
        assertInvalid(call("p-1", altered), "token signature invalid");
        assertThat(call("p-1", token).statusCode()).isEqualTo(200);
    }

    @Test
    void unsignedTokenIsRefused() throws Exception {
        String valid = ISSUER.patient("p-1", READ);
        String header = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes());
        String unsigned = header + "." + valid.split("\\.")[1] + ".";

        assertInvalid(call("p-1", unsigned), "unsigned token (alg none) not accepted");
    }

    @Test
    void hmacSignedWithThePublicKeyIsRefused() throws Exception {
        byte[] publicKey = ISSUER.key().toRSAPublicKey().getEncoded();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("key-2026-1").build(),
                DevelopmentTokens.claims(READ).claim("patient", "p-1").build());
        jwt.sign(new MACSigner(publicKey));

        assertInvalid(call("p-1", jwt.serialize()), "token algorithm or signing key not accepted");
    }

    @Test
    void tokenWithoutSubjectIsRefused() throws Exception {
        String token = ISSUER.sign(DevelopmentTokens.claims(null).subject(null).claim("oid", null)
                .claim("roles", List.of("system/Appointment.rs")).build());

        assertInvalid(call("p-1", token), "token lacks iss, aud, exp or sub");
    }

    @Test
    void keyEmbeddedInTheHeaderOrNamedByJkuIsNotTrusted() throws Exception {
        DevelopmentTokens attacker = new DevelopmentTokens("attacker-key");
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("attacker-key")
                .jwk(attacker.key().toPublicJWK()).jwkURL(URI.create(ENTRA.baseUrl() + "/attacker/keys")).build(),
                DevelopmentTokens.claims(READ).claim("patient", "p-1").build());
        jwt.sign(new RSASSASigner(attacker.key()));

        assertInvalid(call("p-1", jwt.serialize()), "token algorithm or signing key not accepted");
        ENTRA.verify(0, getRequestedFor(urlEqualTo("/attacker/keys")));
    }

    @Test
    void garbageIsNotAJwt() throws Exception {
        assertInvalid(call("p-1", "not-a-token"), "token is not a JWT");
    }

    @Test
    void wrongScopeIsForbidden() throws Exception {
        HttpResponse<String> response = call("p-1", ISSUER.patient("p-1", "patient/Slot.rs openid"));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
                .contains("error=\"insufficient_scope\"", "scope=\"patient/Appointment.r user/Appointment.r");
        assertThat(response.body()).contains("AU-201", "\"forbidden\"");
    }

    @Test
    void otherPatientsAppointmentsAreForbidden() throws Exception {
        HttpResponse<String> response = call("p-2", ISSUER.patient("p-1", READ));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("AU-202").doesNotContain("p-1", "p-2");
    }

    @Test
    void patientScopeWithoutPatientClaimIsForbidden() throws Exception {
        HttpResponse<String> response = call("p-1", ISSUER.sign(DevelopmentTokens.claims(READ).build()));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("AU-203");
    }

    @Test
    void rotatedKeyIsFetchedByItsKid() throws Exception {
        DevelopmentTokens rotated = new DevelopmentTokens("key-2026-2");
        assertThat(call("p-1", ISSUER.patient("p-1", READ)).statusCode()).isEqualTo(200);

        serve(new JWKSet(List.of(ISSUER.key().toPublicJWK(), rotated.key().toPublicJWK())).toString());

        assertThat(call("p-1", rotated.patient("p-1", READ)).statusCode()).isEqualTo(200);
        ENTRA.verify(getRequestedFor(urlEqualTo("/tenant/discovery/v2.0/keys")));
    }

    @Test
    void unreachableKeySetIsRetryable() throws Exception {
        ENTRA.stubFor(get("/tenant/discovery/v2.0/keys").willReturn(aResponse().withStatus(500)));

        HttpResponse<String> response = call("p-1", new DevelopmentTokens("key-unknown").patient("p-1", READ));

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(response.body()).contains("AU-301", "\"transient\"");
    }

    private void assertInvalid(HttpResponse<String> response, String description) {
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"clinical-functions\", "
                + "error=\"invalid_token\", error_description=\"" + description + "\"");
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/fhir+json");
        assertThat(response.body()).contains("AU-102 " + description);
    }

    private static void serve(String jwks) {
        ENTRA.stubFor(get("/tenant/discovery/v2.0/keys").willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody(jwks)));
    }

    private HttpResponse<String> call(String owner, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/Patient/" + owner + "/Appointment"));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

}
