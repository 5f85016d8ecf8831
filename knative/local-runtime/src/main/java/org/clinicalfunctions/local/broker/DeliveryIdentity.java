package org.clinicalfunctions.local.broker;

/**
 * Mints the token a Knative dispatcher sends with a delivery when Eventing's {@code authentication-oidc} is on: a
 * JWT from the cluster's service-account issuer for the subscriber's audience, with the Trigger's OIDC service
 * account as subject.
 */
@FunctionalInterface
public interface DeliveryIdentity {

    /** A compact JWT for {@code audience} with {@code subject}, or null to send none. */
    String token(String audience, String subject);

    /** Sends no token: a broker with Eventing OIDC off. */
    static DeliveryIdentity none() {
        return (audience, subject) -> null;
    }

    /** The subject Knative gives a Trigger's deliveries (knative/eventing pkg/auth/serviceaccount.go). */
    static String subjectOf(TriggerSpec trigger) {
        return "system:serviceaccount:" + trigger.namespace() + ":" + trigger.name()
                + "-oidc-eventing.knative.dev-trigger";
    }
}
