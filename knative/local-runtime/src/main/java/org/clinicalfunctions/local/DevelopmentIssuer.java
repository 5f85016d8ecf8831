package org.clinicalfunctions.local;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local stand-in for Entra ID, and the one place the local platform relaxes authentication: a key pair made
 * at start (never written to disk), its JWKS and OpenID configuration under {@code /_auth/} on the ingress port,
 * and {@code POST /_auth/token} handing anyone on this machine a token for any patient and scope. Every function
 * is started with {@code CLINICAL_AUTH_*} pointing at it, instead of the tenant values of its manifest. It also
 * stands in for the cluster's service-account issuer: its key signs the local broker's delivery tokens, so the
 * functions a Trigger delivers to check them as on AKS. Tokens stop working when the platform restarts (a new key
 * pair).
 */
public final class DevelopmentIssuer implements HttpHandler {

    /** The first path segment this issuer is mounted at on the ingress. */
    public static final String SEGMENT = "_auth";
    /** The audience of development tokens. */
    public static final String AUDIENCE = "api://clinical-functions-local";
    /** Scopes of a token with a patient, when none are asked for: what a patient portal gets. */
    public static final String PATIENT_SCOPES = "patient/Appointment.cruds patient/Slot.rs";
    /** Scopes of a token without a patient: a clinic's admin or an EHR publishing availability. */
    public static final String STAFF_SCOPES = "user/*.cruds";

    private static final Logger log = LoggerFactory.getLogger(DevelopmentIssuer.class);
    private static final Duration LIFETIME = Duration.ofHours(1);
    /** Longer than a Trigger's whole retry budget, so a delivery's token outlives its retries. */
    private static final Duration DELIVERY_LIFETIME = Duration.ofMinutes(30);

    private final URI issuer;
    private final RSAKey key;

    /** @param ingress the ingress address, e.g. {@code http://localhost:8080/} */
    public DevelopmentIssuer(URI ingress) {
        this.issuer = ingress.resolve("/" + SEGMENT);
        try {
            this.key = new RSAKeyGenerator(2048).keyID("local-" + UUID.randomUUID()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("LOCAL-010 no RSA key pair for the development issuer", e);
        }
        log.warn("event=development-issuer issuer={} note=\"tokens for any patient on request, local use only\"",
                issuer);
    }

    public URI issuer() {
        return issuer;
    }

    /** What every function gets instead of its manifest's Entra ID values. */
    public Map<String, String> functionEnvironment() {
        return Map.of("CLINICAL_AUTH_ISSUER", issuer.toString(),
                "CLINICAL_AUTH_AUDIENCE", AUDIENCE,
                "CLINICAL_AUTH_JWKS_URI", issuer + "/jwks");
    }

    /**
     * What a function a Trigger delivers to gets instead of its cluster's service-account issuer: this issuer, whose
     * key also signs the local broker's delivery tokens ({@link #deliveryToken}).
     */
    public Map<String, String> deliveryEnvironment() {
        return Map.of("CLINICAL_EVENTING_OIDC_ISSUER", issuer.toString(),
                "CLINICAL_EVENTING_OIDC_JWKS_URI", issuer + "/jwks");
    }

    /**
     * A token shaped like the one Knative's dispatcher sends with a delivery when Eventing's authentication-oidc is
     * on: RS256, no {@code typ}, the subscriber's audience, the Trigger's service account as subject, ten minutes.
     */
    public String deliveryToken(String audience, String subject) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer.toString()).audience(audience).subject(subject)
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(DELIVERY_LIFETIME))).build();
        return sign(new JWSHeader.Builder(JWSAlgorithm.RS256), claims);
    }

    /**
     * A signed development token shaped like an Entra ID access token.
     *
     * @param patient the patient in context, or null for a staff token
     * @param scope space-separated SMART scopes, or null for the defaults above
     */
    public String token(String patient, String scope) {
        Instant now = Instant.now();
        String scp = scope != null && !scope.isBlank() ? scope : patient == null ? STAFF_SCOPES : PATIENT_SCOPES;
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer.toString()).audience(AUDIENCE)
                .subject(patient == null ? "local-staff" : "local-patient-" + patient)
                .claim("oid", UUID.nameUUIDFromBytes(("local|" + patient).getBytes(StandardCharsets.UTF_8))
                        .toString())
                .claim("scp", scp)
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plus(LIFETIME)));
        if (patient != null) {
            claims.claim("patient", patient).claim("fhirUser", "Patient/" + patient);
        }
        return sign(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT), claims.build());
    }

    private String sign(JWSHeader.Builder header, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(header.keyID(key.getKeyID()).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("LOCAL-011 could not sign a development token", e);
        }
    }

    /**
     * The request that asks the development issuer of the platform at {@code ingress} for a token.
     *
     * @param form {@code application/x-www-form-urlencoded}: {@code patient} and {@code scope}, both optional
     */
    public static HttpRequest tokenRequest(URI ingress, String form) {
        return HttpRequest.newBuilder(ingress.resolve("/" + SEGMENT + "/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath().substring(SEGMENT.length() + 1);
        switch (exchange.getRequestMethod() + " " + path) {
            case "GET /jwks" -> IngressRouter.reply(exchange, 200, new JWKSet(key.toPublicJWK()).toString());
            case "GET /.well-known/openid-configuration" -> IngressRouter.reply(exchange, 200,
                    "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer + "/jwks\",\"token_endpoint\":\""
                            + issuer + "/token\",\"id_token_signing_alg_values_supported\":[\"RS256\"]}");
            case "POST /token" -> {
                Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(),
                        StandardCharsets.UTF_8));
                String token = token(form.get("patient"), form.get("scope"));
                log.info("event=development-token patientContext={}", form.containsKey("patient"));
                IngressRouter.reply(exchange, 200, "{\"access_token\":\"" + token
                        + "\",\"token_type\":\"Bearer\",\"expires_in\":" + LIFETIME.toSeconds() + "}");
            }
            default -> IngressRouter.reply(exchange, 404, "{\"error\":\"GET jwks, GET .well-known/openid-configuration"
                    + " or POST token\"}");
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> values = new HashMap<>();
        for (String pair : body.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                values.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }
}
