package org.clinicalfunctions.manifests;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * "OIDC between broker and functions": every Trigger names its subscriber's audience, so that with Eventing's
 * {@code authentication-oidc} the dispatcher sends a token at all (a Knative Service publishes no audience of its
 * own), and the Service it delivers to checks that token: the same audience, the Trigger's OIDC identity among its
 * subjects, the issuer from the ConfigMap {@code clinical-eventing-oidc}, and the check not turned off.
 */
final class DeliveryAuthentication {

    static final String ISSUER_CONFIG = "clinical-eventing-oidc";
    private static final String SERVICE_API = "serving.knative.dev/v1";

    private DeliveryAuthentication() {
    }

    static List<Violation> check(List<Manifest> objects) {
        List<Violation> out = new ArrayList<>();
        for (Manifest trigger : objects.stream().filter(m -> m.is("eventing.knative.dev/v1", "Trigger")).toList()) {
            JsonNode subscriber = trigger.body().path("spec").path("subscriber");
            if (!"Service".equals(subscriber.path("ref").path("kind").asText())) {
                continue;
            }
            String at = "Trigger/" + trigger.name();
            String audience = subscriber.path("audience").asText("");
            if (audience.isEmpty()) {
                out.add(new Violation("oidc.audience", at + ".spec.subscriber.audience",
                        "the subscriber's audience, or the dispatcher sends no token"));
            }
            String service = subscriber.path("ref").path("name").asText();
            objects.stream().filter(m -> m.isNamed(SERVICE_API, "Service", service)).findFirst()
                    .ifPresent(function -> checkService(trigger, audience, function, out));
        }
        return out;
    }

    /** The subject Knative gives the Trigger's deliveries (knative/eventing pkg/auth/serviceaccount.go). */
    static String subjectOf(Manifest trigger) {
        String namespace = trigger.body().path("metadata").path("namespace").asText("clinical");
        return "system:serviceaccount:" + namespace + ":" + trigger.name() + "-oidc-eventing.knative.dev-trigger";
    }

    private static void checkService(Manifest trigger, String audience, Manifest function, List<Violation> out) {
        String at = "Service/" + function.name() + " for Trigger/" + trigger.name();
        JsonNode container = function.body().at("/spec/template/spec/containers/0");
        if (!audience.isEmpty() && !audience.equals(env(container, "CLINICAL_EVENTING_OIDC_AUDIENCE").orElse(""))) {
            out.add(new Violation("oidc.service-audience", at, "CLINICAL_EVENTING_OIDC_AUDIENCE must be " + audience));
        }
        List<String> subjects = Arrays.stream(env(container, "CLINICAL_EVENTING_OIDC_SUBJECTS").orElse("").split(","))
                .map(String::trim).toList();
        if (!subjects.contains(subjectOf(trigger))) {
            out.add(new Violation("oidc.subject", at,
                    "CLINICAL_EVENTING_OIDC_SUBJECTS must hold " + subjectOf(trigger)));
        }
        boolean issuer = false;
        for (JsonNode source : container.path("envFrom")) {
            issuer |= ISSUER_CONFIG.equals(source.path("configMapRef").path("name").asText());
        }
        if (!issuer) {
            out.add(new Violation("oidc.issuer", at, "envFrom the ConfigMap " + ISSUER_CONFIG));
        }
        if ("false".equalsIgnoreCase(env(container, "CLINICAL_EVENTING_OIDC_REQUIRED").orElse("true"))) {
            out.add(new Violation("oidc.required", at, "a Trigger delivers here: the token check stays on"));
        }
    }

    private static Optional<String> env(JsonNode container, String name) {
        for (JsonNode variable : container.path("env")) {
            if (name.equals(variable.path("name").asText()) && variable.has("value")) {
                return Optional.of(variable.path("value").asText());
            }
        }
        return Optional.empty();
    }
}
