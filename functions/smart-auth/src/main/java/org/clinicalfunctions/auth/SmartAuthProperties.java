package org.clinicalfunctions.auth;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which bearer tokens a function accepts.
 *
 * @param issuer the exact {@code iss} of accepted tokens, e.g. {@code https://login.microsoftonline.com/<tenant>/v2.0}
 *     for Entra ID v2 tokens or {@code https://sts.windows.net/<tenant>/} for v1 ones. Required.
 * @param audience the accepted {@code aud} values: the API's application ID URI and/or its client id. Required.
 * @param jwksUri where the issuer publishes its signing keys, e.g.
 *     {@code https://login.microsoftonline.com/<tenant>/discovery/v2.0/keys}. Required.
 * @param realm the realm named in {@code WWW-Authenticate}. Default {@code clinical-functions}.
 * @param clockSkew how far {@code exp} and {@code nbf} may be off the local clock. Default 60 s.
 * @param jwksCacheTtl how long a fetched key set is used before it is fetched again; an unknown {@code kid}
 *     fetches it at once (see jwksRefetchInterval), which is how a rotated key is picked up. Default 15 min.
 * @param jwksTimeout connect and read timeout of one key-set fetch. Default 2 s.
 * @param jwksRefetchInterval least time between two fetches caused by unknown {@code kid}s, so forged kids
 *     cannot make the function hammer the issuer; 0 turns the limit off. Default 30 s.
 */
@ConfigurationProperties("clinical.auth")
public record SmartAuthProperties(
        String issuer,
        List<String> audience,
        URI jwksUri,
        @DefaultValue("clinical-functions") String realm,
        @DefaultValue("60s") Duration clockSkew,
        @DefaultValue("15m") Duration jwksCacheTtl,
        @DefaultValue("2s") Duration jwksTimeout,
        @DefaultValue("30s") Duration jwksRefetchInterval) {

    /** Fails at startup when a required property is missing, instead of refusing every request later. */
    public SmartAuthProperties {
        if (issuer == null || issuer.isBlank()) {
            throw new IllegalArgumentException("clinical.auth.issuer must be set (CLINICAL_AUTH_ISSUER)");
        }
        if (audience == null || audience.isEmpty()) {
            throw new IllegalArgumentException("clinical.auth.audience must be set (CLINICAL_AUTH_AUDIENCE)");
        }
        if (jwksUri == null) {
            throw new IllegalArgumentException("clinical.auth.jwks-uri must be set (CLINICAL_AUTH_JWKS_URI)");
        }
        audience = List.copyOf(audience);
    }
}
