package org.clinicalfunctions.manifests;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Production delivery for every Trigger: a bounded number of retries (1 to {@value #MAX_RETRIES}), exponential
 * backoff so a struggling subscriber is not hammered, and a dead-letter sink so nothing is dropped after the
 * last retry. Knative would accept a Trigger without any of them.
 */
final class DeliveryBounds {

    /** The most retries a Trigger may ask for: with exponential backoff from 1 s that is over 17 minutes. */
    static final int MAX_RETRIES = 10;

    private DeliveryBounds() {
    }

    static List<Violation> check(List<Manifest> objects) {
        List<Violation> out = new ArrayList<>();
        for (Manifest trigger : objects.stream().filter(m -> m.is("eventing.knative.dev/v1", "Trigger")).toList()) {
            JsonNode delivery = trigger.body().path("spec").path("delivery");
            String at = "Trigger/" + trigger.name() + ".spec.delivery";
            int retry = delivery.path("retry").asInt(0);
            if (retry < 1 || retry > MAX_RETRIES) {
                out.add(new Violation("delivery.retry-bounds", at + ".retry", "between 1 and " + MAX_RETRIES));
            }
            if (!"exponential".equals(delivery.path("backoffPolicy").asText())) {
                out.add(new Violation("delivery.backoff", at + ".backoffPolicy", "must be exponential"));
            }
            if (!delivery.path("deadLetterSink").path("ref").has("name")) {
                out.add(new Violation("delivery.dead-letter", at + ".deadLetterSink", "a ref to the dead-letter sink"));
            }
        }
        return out;
    }
}
