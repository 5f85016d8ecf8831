package org.clinicalfunctions.auth;

import java.net.MalformedURLException;
import java.text.ParseException;
import java.util.HashSet;
import java.util.Locale;
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
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

/**
 * Verifies OAuth2 bearer tokens as Entra ID issues them and turns them into a {@link Caller}: RSA or EC signature
 * against the issuer's JWKS (cached, re-fetched for an unknown {@code kid}), exact issuer, accepted audience,
 * {@code exp} and {@code nbf} within the clock skew, a {@code sub} (Entra ID always sends one; without it a caller
 * has no identity to key retries or logs by). Unsigned tokens and HMAC algorithms are refused: with a
 * public key set, an HMAC "signature" could be forged with the public key as secret.
 */
public class BearerTokenVerifier {

    private static final Set<JWSAlgorithm> ASYMMETRIC = Set.of(
            JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512,
            JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);
    private static final int MAX_JWKS_BYTES = 256 * 1024;

    private final DefaultJWTProcessor<SecurityContext> processor;
    private final VerifiedTokens verified = new VerifiedTokens(System::currentTimeMillis);

    public BearerTokenVerifier(SmartAuthProperties properties) {
        this(properties, remoteKeys(properties));
    }

    /** For tests and callers that hold their own key source. */
    public BearerTokenVerifier(SmartAuthProperties properties, JWKSource<SecurityContext> keys) {
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                new HashSet<>(properties.audience()),
                new JWTClaimsSet.Builder().issuer(properties.issuer()).build(),
                Set.of("iss", "aud", "exp", "sub"),
                Set.of());
        claims.setMaxClockSkew((int) properties.clockSkew().toSeconds());
        processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ASYMMETRIC, keys));
        processor.setJWTClaimsSetVerifier(claims);
    }

    /** Verifies the value of an {@code Authorization} header; throws {@link AuthProblem} when it fails. */
    public Caller verifyHeader(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw AuthProblem.missingToken();
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw AuthProblem.invalidToken("Authorization is not a Bearer token");
        }
        return verify(authorization.substring(7).trim());
    }

    /**
     * Verifies one compact-serialized JWT; throws {@link AuthProblem} when it fails. A token that passed before
     * is answered from {@link VerifiedTokens} while it is unexpired (one minute at most).
     */
    public Caller verify(String token) {
        Caller known = verified.find(token);
        if (known != null) {
            return known;
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException e) {
            throw AuthProblem.invalidToken("token is not a JWT");
        } catch (KeySourceException e) {
            throw AuthProblem.keysUnavailable();
        } catch (BadJOSEException | JOSEException e) {
            throw AuthProblem.invalidToken(reason(e));
        }
        Caller caller = TokenClaims.caller(claims);
        verified.add(token, caller, claims.getExpirationTime());
        return caller;
    }

    /** Nimbus's messages can quote claim values; the answer names only the rule that failed. */
    private static String reason(Exception e) {
        String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (message.contains("expired")) {
            return "token expired";
        }
        if (message.contains("before use time")) {
            return "token not yet valid (nbf)";
        }
        if (message.contains("audience") || message.contains("jwt aud")) {
            return "token audience not accepted";
        }
        if (message.contains("jwt iss")) {
            return "token issuer not accepted";
        }
        if (message.contains("unsecured") || message.contains("plain")) {
            return "unsigned token (alg none) not accepted";
        }
        if (message.contains("invalid signature")) {
            return "token signature invalid";
        }
        if (message.contains("another algorithm") || message.contains("no matching key")) {
            return "token algorithm or signing key not accepted";
        }
        if (message.contains("missing required claims")) {
            return "token lacks iss, aud, exp or sub";
        }
        return "token rejected";
    }

    private static JWKSource<SecurityContext> remoteKeys(SmartAuthProperties properties) {
        int timeout = (int) properties.jwksTimeout().toMillis();
        long ttl = properties.jwksCacheTtl().toMillis();
        long refetch = properties.jwksRefetchInterval().toMillis();
        try {
            DefaultResourceRetriever retriever = new DefaultResourceRetriever(timeout, timeout, MAX_JWKS_BYTES);
            JWKSourceBuilder<SecurityContext> keys = JWKSourceBuilder
                    .<SecurityContext>create(properties.jwksUri().toURL(), retriever)
                    .cache(ttl, timeout)
                    .retrying(true);
            return (refetch > 0 ? keys.rateLimited(refetch) : keys.rateLimited(false)).build();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("clinical.auth.jwks-uri is not a URL", e);
        }
    }
}
