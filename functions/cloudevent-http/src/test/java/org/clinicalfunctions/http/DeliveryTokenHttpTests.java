package org.clinicalfunctions.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.stream.Stream;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Broker deliveries over real HTTP, with the cluster issuer's JWKS served on loopback: a token the dispatcher would
 * send gets through; every other one is refused with 401, the RFC 6750 challenge and a stable code, before the
 * function runs. Knative does not retry a 401, so such a delivery lands in the dead letters at once.
 */
class DeliveryTokenHttpTests extends ShoutFunctionTest {

    @Test
    void acceptsADeliveryWithTheDispatchersToken() throws Exception {
        HttpResponse<String> response = deliver("Bearer " + ISSUER.token(AUDIENCE));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("HI");
    }

    @Test
    void refusesADeliveryWithoutATokenWithABareChallenge() throws Exception {
        HttpResponse<String> response = deliver(null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate"))
                .hasValue("Bearer realm=\"clinical-functions-eventing\"");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.body()).isEqualTo("{\"title\":\"EV-101 event delivery token required\",\"status\":401}");
    }

    @Test
    void leavesPlainHttpToTheFunctionsGuardAsItIsNoDelivery() throws Exception {
        HttpResponse<String> response = send(endpoint().header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("hi")));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("HI");
    }

    @Test
    void refusesAStructuredModeDeliveryWithoutAToken() throws Exception {
        HttpResponse<String> response = send(endpoint().header("Content-Type", "application/cloudevents+json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"specversion\":\"1.0\",\"id\":\"e-2\","
                        + "\"source\":\"/test\",\"type\":\"org.example.said\",\"data\":\"hi\"}")));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("EV-101");
    }

    static Stream<Arguments> refusedTokens() {
        return Stream.of(
                Arguments.of("wrong issuer", "EV-105", "token issuer not accepted",
                        signed(claims(AUDIENCE).issuer("https://other-cluster.test.invalid/").build())),
                Arguments.of("wrong audience", "EV-106", "token audience not accepted",
                        signed(claims("serving.knative.dev/service/clinical/fhir-store").build())),
                Arguments.of("unknown subject", "EV-109", "token subject is not an allowed sender",
                        signed(claims(AUDIENCE).subject("system:serviceaccount:clinical:hl7-ingest").build())),
                Arguments.of("expired", "EV-107", "token expired", signed(claims(AUDIENCE)
                        .expirationTime(Date.from(Instant.now().minusSeconds(120))).build())),
                Arguments.of("not yet valid", "EV-108", "token not yet valid (nbf)", signed(claims(AUDIENCE)
                        .notBeforeTime(Date.from(Instant.now().plusSeconds(600))).build())),
                Arguments.of("bad signature", "EV-104", "token signature invalid or signing key unknown",
                        signedBy(otherKey(ISSUER.key().getKeyID()), claims(AUDIENCE).build())),
                Arguments.of("unknown key", "EV-104", "token signature invalid or signing key unknown",
                        signedBy(otherKey("cluster-key-unknown"), claims(AUDIENCE).build())),
                Arguments.of("alg none", "EV-103", "unsigned token (alg none) not accepted",
                        new PlainJWT(claims(AUDIENCE).build()).serialize()),
                Arguments.of("HMAC", "EV-103", "token algorithm not accepted (RS256 or ES256 only)",
                        hmac(claims(AUDIENCE).build())),
                Arguments.of("not a JWT", "EV-102", "token is not a JWT", "not-a-jwt"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedTokens")
    void refusesADeliveryWhoseTokenBreaksARule(String name, String code, String reason, String token)
            throws Exception {
        HttpResponse<String> response = deliver("Bearer " + token);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"clinical-functions"
                + "-eventing\", error=\"invalid_token\", error_description=\"" + reason + "\"");
        assertThat(response.body()).isEqualTo("{\"title\":\"" + code + " " + reason + "\",\"status\":401}");
        assertThat(response.body()).doesNotContain(token);
    }

    @Test
    void refusesAnAuthorizationThatIsNotBearer() throws Exception {
        HttpResponse<String> response = deliver("Basic " + ISSUER.token(AUDIENCE));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("EV-102 Authorization is not a Bearer token");
    }

    @Test
    void refusesToStartWhenRequiredAndNotConfigured() {
        assertThatThrownBy(() -> new EventDeliveryProperties(true, null, null, null, null, null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("EV-001 clinical.eventing.oidc.issuer must be set (CLINICAL_EVENTING_OIDC_ISSUER),"
                        + " or clinical.eventing.oidc.required=false where no Trigger delivers");
    }

    @Test
    void checksNothingWhereNoTriggerDeliversAndNoIssuerIsSet() {
        EventDeliveryProperties off = new EventDeliveryProperties(false, null, null, null, List.of(), null, null,
                null, null);

        DeliveryTokenVerifier verifier = new DeliveryTokenVerifier(off);

        assertThat(verifier.enforced()).isFalse();
        assertThat(verifier.verifyHeader(null)).isNull();
    }

    private HttpResponse<String> deliver(String authorization) throws Exception {
        HttpRequest.Builder request = endpoint()
                .header("ce-specversion", "1.0").header("ce-id", "e-1").header("ce-source", "/test")
                .header("ce-type", "org.example.said").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("hi"));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request);
    }

    private static JWTClaimsSet.Builder claims(String audience) {
        return DeliveryTokens.claims(audience);
    }

    private static String signed(JWTClaimsSet claims) {
        return ISSUER.sign(claims);
    }

    private static RSAKey otherKey(String keyId) {
        return jose(() -> new RSAKeyGenerator(2048).keyID(keyId).generate());
    }

    private static String signedBy(RSAKey key, JWTClaimsSet claims) {
        return jose(() -> {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                    claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        });
    }

    /** HS256 keyed with the issuer's public key: the forgery an algorithm-confused verifier would accept. */
    private static String hmac(JWTClaimsSet claims) {
        return jose(() -> {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256)
                    .keyID(ISSUER.key().getKeyID()).build(), claims);
            byte[] secret = ISSUER.key().toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
            jwt.sign(new MACSigner(secret));
            return jwt.serialize();
        });
    }

    private static <T> T jose(JoseCall<T> call) {
        try {
            return call.run();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    @FunctionalInterface
    private interface JoseCall<T> {
        T run() throws JOSEException;
    }
}
