package org.clinicalfunctions.auth;

import java.time.Instant;
import java.util.Date;
import java.util.List;
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

/**
 * Test tokens shaped like Entra ID access tokens, signed by a key pair made per instance. Shared with the
 * functions' tests through this module's test jar.
 */
public final class DevelopmentTokens {

    public static final String ISSUER = "https://login.microsoftonline.com/00000000-0000-0000-0000-0000000000aa/v2.0";
    public static final String AUDIENCE = "api://clinical-functions";

    private final RSAKey key;

    public DevelopmentTokens(String keyId) {
        try {
            key = new RSAKeyGenerator(2048).keyID(keyId).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public key set, as the issuer's JWKS endpoint serves it. */
    public String jwks() {
        return new JWKSet(key.toPublicJWK()).toString();
    }

    public RSAKey key() {
        return key;
    }

    /** Claims valid for ten minutes from now, for the configured issuer and audience. */
    public static JWTClaimsSet.Builder claims(String scp) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .subject("sub-" + UUID.randomUUID())
                .claim("oid", UUID.randomUUID().toString())
                .claim("scp", scp)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now.minusSeconds(5)))
                .expirationTime(Date.from(now.plusSeconds(600)));
    }

    /** A delegated token of a patient portal user acting for {@code patientId}. */
    public String patient(String patientId, String scp) {
        return sign(claims(scp).claim("patient", patientId).build());
    }

    /** An application token, as Entra ID issues for app roles ({@code roles}, no {@code scp}). */
    public String application(List<String> roles) {
        return sign(claims(null).claim("roles", roles).build());
    }

    public String sign(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256)
                    .type(JOSEObjectType.JWT).keyID(key.getKeyID()).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The properties a function needs to accept these tokens with its keys served at {@code jwksUri}. */
    public static Map<String, String> properties(String jwksUri) {
        return Map.of("clinical.auth.issuer", ISSUER,
                "clinical.auth.audience", AUDIENCE,
                "clinical.auth.jwks-uri", jwksUri);
    }
}
