package org.clinicalfunctions.http;

import java.net.MalformedURLException;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the token a Knative broker's dispatcher sends with each delivery when Eventing's {@code authentication-oidc}
 * is on: an RS256 or ES256 signature (what the Kubernetes service-account issuer signs with) against the issuer's
 * JWKS, the exact issuer, the subscriber's audience, an allowed service-account subject, {@code exp} and {@code nbf}
 * within the clock skew. Unsigned tokens and HMAC algorithms are refused before any key is looked at: with a
 * public key set, an HMAC "signature" could be made with the public key as secret.
 *
 * <p>Entra ID user tokens are smart-auth's {@code BearerTokenVerifier}; this class only speaks for the broker.
 */
public class DeliveryTokenVerifier {

    private static final Logger log = LoggerFactory.getLogger(DeliveryTokenVerifier.class);
    private static final Set<JWSAlgorithm> ACCEPTED = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);
    private static final int MAX_JWKS_BYTES = 256 * 1024;

    private final EventDeliveryProperties properties;
    private final DefaultJWTProcessor<SecurityContext> processor;

    /** Fetches keys from {@code clinical.eventing.oidc.jwks-uri}; checks nothing when not enforced. */
    public DeliveryTokenVerifier(EventDeliveryProperties properties) {
        this(properties, properties.enforced() ? remoteKeys(properties) : null);
    }

    /** For tests and callers that hold their own key source. */
    public DeliveryTokenVerifier(EventDeliveryProperties properties, JWKSource<SecurityContext> keys) {
        this.properties = properties;
        if (keys == null) {
            this.processor = null;
            log.warn("event=delivery-tokens-unchecked note=\"clinical.eventing.oidc.required=false: broker"
                    + " deliveries are accepted without a token\"");
            return;
        }
        this.processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ACCEPTED, keys));
        processor.setJWTClaimsSetVerifier((claims, context) -> verifyClaims(claims));
    }

    /** Whether deliveries are checked at all. */
    public boolean enforced() {
        return processor != null;
    }

    /**
     * Verifies the {@code Authorization} header of one delivery.
     *
     * @return the sender's subject, or null when deliveries are not checked
     * @throws DeliveryTokenRefusal when the delivery must be refused; the reason code is logged, never the token
     */
    public String verifyHeader(String authorization) {
        if (processor == null) {
            return null;
        }
        try {
            return verify(authorization);
        } catch (DeliveryTokenRefusal refusal) {
            log.atWarn().addKeyValue("outcome", refusal.code()).addKeyValue("status", refusal.status())
                    .log("event delivery refused outcome={} reason=\"{}\"", refusal.code(), refusal.getMessage());
            throw refusal;
        }
    }

    private String verify(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw DeliveryTokenRefusal.missing();
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw DeliveryTokenRefusal.invalid("EV-102", "Authorization is not a Bearer token");
        }
        SignedJWT jwt = signed(authorization.substring(7).trim());
        try {
            return processor.process(jwt, null).getSubject();
        } catch (KeySourceException e) {
            throw DeliveryTokenRefusal.keysUnavailable();
        } catch (BadJOSEException | JOSEException e) {
            // Left after the algorithm and claim checks: a signature that does not verify, or an unknown kid.
            throw DeliveryTokenRefusal.invalid("EV-104", "token signature invalid or signing key unknown");
        }
    }

    private static SignedJWT signed(String token) {
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
        } catch (ParseException e) {
            throw DeliveryTokenRefusal.invalid("EV-102", "token is not a JWT");
        }
        if (!(jwt instanceof SignedJWT signed)) {
            throw DeliveryTokenRefusal.invalid("EV-103", "unsigned token (alg none) not accepted");
        }
        if (!ACCEPTED.contains(signed.getHeader().getAlgorithm())) {
            throw DeliveryTokenRefusal.invalid("EV-103", "token algorithm not accepted (RS256 or ES256 only)");
        }
        return signed;
    }

    /** Runs after the signature verified, so a forged token learns nothing about the claims that were wanted. */
    private void verifyClaims(JWTClaimsSet claims) {
        Instant now = Instant.now();
        if (!properties.issuer().equals(claims.getIssuer())) {
            throw DeliveryTokenRefusal.invalid("EV-105", "token issuer not accepted");
        }
        List<String> audience = claims.getAudience();
        if (audience == null || !audience.contains(properties.audience())) {
            throw DeliveryTokenRefusal.invalid("EV-106", "token audience not accepted");
        }
        Date expires = claims.getExpirationTime();
        if (expires == null || claims.getSubject() == null) {
            throw DeliveryTokenRefusal.invalid("EV-110", "token lacks exp or sub");
        }
        if (expires.toInstant().plus(properties.clockSkew()).isBefore(now)) {
            throw DeliveryTokenRefusal.invalid("EV-107", "token expired");
        }
        Date notBefore = claims.getNotBeforeTime();
        if (notBefore != null && notBefore.toInstant().minus(properties.clockSkew()).isAfter(now)) {
            throw DeliveryTokenRefusal.invalid("EV-108", "token not yet valid (nbf)");
        }
        if (!isAllowed(claims.getSubject())) {
            throw DeliveryTokenRefusal.invalid("EV-109", "token subject is not an allowed sender");
        }
    }

    private boolean isAllowed(String subject) {
        for (String allowed : properties.subjects()) {
            if (allowed.endsWith(":") ? subject.startsWith(allowed) : subject.equals(allowed)) {
                return true;
            }
        }
        return false;
    }

    private static JWKSource<SecurityContext> remoteKeys(EventDeliveryProperties properties) {
        int timeout = (int) properties.jwksTimeout().toMillis();
        long refetch = properties.jwksRefetchInterval().toMillis();
        try {
            DefaultResourceRetriever retriever = new DefaultResourceRetriever(timeout, timeout, MAX_JWKS_BYTES);
            JWKSourceBuilder<SecurityContext> keys = JWKSourceBuilder
                    .<SecurityContext>create(properties.jwksUri().toURL(), retriever)
                    .cache(properties.jwksCacheTtl().toMillis(), timeout)
                    .retrying(true);
            return (refetch > 0 ? keys.rateLimited(refetch) : keys.rateLimited(false)).build();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("EV-002 clinical.eventing.oidc.jwks-uri is not a URL", e);
        }
    }
}
