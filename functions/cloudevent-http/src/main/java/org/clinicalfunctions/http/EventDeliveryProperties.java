package org.clinicalfunctions.http;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which broker deliveries a function accepts. With Knative Eventing's {@code authentication-oidc} on, the broker's
 * dispatcher sends every delivery with {@code Authorization: Bearer <JWT>} from the Kubernetes service-account
 * issuer: {@code aud} is the audience of the Trigger's subscriber, {@code sub} the Trigger's OIDC service account
 * ({@code system:serviceaccount:<namespace>:<trigger>-oidc-eventing.knative.dev-trigger}, knative/eventing
 * pkg/auth/serviceaccount.go).
 *
 * @param required whether a delivery (a CloudEvent) must carry a valid token. Default true. When true and
 *     issuer, jwksUri, audience or subjects is missing, the application refuses to start: a revision that cannot
 *     check tokens never takes traffic. A function no Trigger delivers to sets it false; an issuer set all the
 *     same turns the check on again.
 * @param issuer the exact {@code iss} of delivery tokens: the cluster's service-account issuer (on AKS the
 *     cluster's OIDC issuer URL, {@code az aks show --query oidcIssuerProfile.issuerUrl}). Required when required.
 * @param jwksUri where that issuer publishes its signing keys (on AKS {@code <issuer>openid/v1/jwks}). Required
 *     when required.
 * @param audience the accepted {@code aud}: what the Trigger's {@code subscriber.audience} says, e.g.
 *     {@code serving.knative.dev/service/clinical/fhir-store}. Required when required.
 * @param subjects the accepted {@code sub} values; an entry ending in {@code :} accepts every subject that starts
 *     with it (a whole namespace's service accounts). Required when required.
 * @param clockSkew how far {@code exp} and {@code nbf} may be off the local clock. Default 30 s.
 * @param jwksCacheTtl how long a fetched key set is used; an unknown {@code kid} fetches it at once. Default 15 min.
 * @param jwksTimeout connect and read timeout of one key-set fetch. Default 2 s.
 * @param jwksRefetchInterval least time between two fetches caused by unknown {@code kid}s. Default 30 s.
 */
@ConfigurationProperties("clinical.eventing.oidc")
public record EventDeliveryProperties(
        @DefaultValue("true") boolean required,
        String issuer,
        URI jwksUri,
        String audience,
        List<String> subjects,
        @DefaultValue("30s") Duration clockSkew,
        @DefaultValue("15m") Duration jwksCacheTtl,
        @DefaultValue("2s") Duration jwksTimeout,
        @DefaultValue("30s") Duration jwksRefetchInterval) {

    /** Fails at startup when tokens must be checked and the settings to check them are missing. */
    public EventDeliveryProperties {
        subjects = subjects == null ? List.of() : List.copyOf(subjects);
        if (required || issuer != null && !issuer.isBlank()) {
            requireSet(issuer, "issuer", "CLINICAL_EVENTING_OIDC_ISSUER");
            requireSet(jwksUri == null ? null : jwksUri.toString(), "jwks-uri", "CLINICAL_EVENTING_OIDC_JWKS_URI");
            requireSet(audience, "audience", "CLINICAL_EVENTING_OIDC_AUDIENCE");
            requireSet(subjects.isEmpty() ? null : "set", "subjects", "CLINICAL_EVENTING_OIDC_SUBJECTS");
        }
    }

    /** Whether deliveries are checked: always when required, and whenever an issuer is configured. */
    public boolean enforced() {
        return required || issuer != null && !issuer.isBlank();
    }

    private static void requireSet(String value, String name, String variable) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("EV-001 clinical.eventing.oidc." + name + " must be set (" + variable
                    + "), or clinical.eventing.oidc.required=false where no Trigger delivers");
        }
    }
}
