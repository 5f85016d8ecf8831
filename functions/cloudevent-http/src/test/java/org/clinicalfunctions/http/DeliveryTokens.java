package org.clinicalfunctions.http;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A cluster's service-account issuer for tests: a key pair made per instance, its JWKS served on loopback at
 * {@link #JWKS_PATH} as the Kubernetes API server and AKS's issuer serve it, and tokens shaped like the ones Knative's
 * dispatcher sends (RS256, a {@code kid}, no {@code typ}, {@code sub} a service account). Shared with the functions'
 * tests through this module's test jar.
 */
public final class DeliveryTokens implements AutoCloseable {

    public static final String ISSUER = "https://oidc.cluster.test.invalid/tenant/cluster-1/";
    public static final String JWKS_PATH = "/openid/v1/jwks";
    /** The Trigger {@code fhir-store} in namespace {@code clinical}, as knative/eventing names its identity. */
    public static final String TRIGGER_SUBJECT =
            "system:serviceaccount:clinical:fhir-store-oidc-eventing.knative.dev-trigger";

    private final RSAKey key;
    private final HttpServer server;

    /** Makes a key pair and serves its public half on a free loopback port. */
    public DeliveryTokens(String keyId) {
        try {
            key = new RSAKeyGenerator(2048).keyID(keyId).generate();
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (JOSEException | IOException e) {
            throw new IllegalStateException(e);
        }
        byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        server.createContext(JWKS_PATH, exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(jwks);
            }
        });
        server.start();
    }

    public String jwksUri() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + JWKS_PATH;
    }

    public RSAKey key() {
        return key;
    }

    /** Claims of a delivery by the Trigger {@code fhir-store} to {@code audience}, valid for ten minutes. */
    public static JWTClaimsSet.Builder claims(String audience) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(audience)
                .subject(TRIGGER_SUBJECT)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(600)));
    }

    /** A valid delivery token for {@code audience}. */
    public String token(String audience) {
        return sign(claims(audience).build());
    }

    /** The header value a dispatcher sends. */
    public String authorization(String audience) {
        return "Bearer " + token(audience);
    }

    public String sign(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                    claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The properties a function needs to take these tokens for {@code audience} from the Trigger's identity. */
    public Map<String, String> properties(String audience) {
        return Map.of("clinical.eventing.oidc.issuer", ISSUER,
                "clinical.eventing.oidc.jwks-uri", jwksUri(),
                "clinical.eventing.oidc.audience", audience,
                "clinical.eventing.oidc.subjects", TRIGGER_SUBJECT);
    }

    /** Registers {@link #properties(String)} with a Spring test's registry. */
    public void register(DynamicPropertyRegistry registry, String audience) {
        properties(audience).forEach((name, value) -> registry.add(name, () -> value));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
