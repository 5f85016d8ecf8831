package org.clinicalfunctions.manifests;

import java.time.Duration;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The Knative Eventing webhook's checks of a delivery spec ({@code pkg/apis/duck/v1/delivery_types.go},
 * release 1.22, with the default {@code config-features}: delivery-timeout enabled, delivery-retryafter disabled).
 */
final class DeliveryRules {

    private DeliveryRules() {
    }

    /** The violations of a {@code delivery} object at location {@code at}; none when it is absent. */
    static List<Violation> check(JsonNode delivery, String at) {
        List<Violation> violations = new ArrayList<>();
        if (delivery.isMissingNode() || delivery.isNull()) {
            return violations;
        }
        JsonNode retry = delivery.get("retry");
        if (retry != null && (!retry.isIntegralNumber() || retry.asLong() < 0)) {
            violations.add(new Violation("delivery.retry", at + ".retry", "must be an integer >= 0"));
        }
        JsonNode policy = delivery.get("backoffPolicy");
        if (policy != null && !Set.of("linear", "exponential").contains(policy.asText())) {
            violations.add(new Violation("delivery.backoff-policy", at + ".backoffPolicy",
                    "must be linear or exponential"));
        }
        JsonNode delay = delivery.get("backoffDelay");
        if (delay != null && isoDuration(delay.asText()).isEmpty()) {
            violations.add(new Violation("delivery.backoff-delay", at + ".backoffDelay",
                    "must be an ISO-8601 duration"));
        }
        JsonNode timeout = delivery.get("timeout");
        if (timeout != null && isoDuration(timeout.asText()).filter(d -> d.isPositive()).isEmpty()) {
            violations.add(new Violation("delivery.timeout", at + ".timeout", "must be a positive ISO-8601 duration"));
        }
        if (delivery.has("retryAfterMax")) {
            violations.add(new Violation("delivery.retry-after-max", at + ".retryAfterMax",
                    "needs the delivery-retryafter feature, disabled by default"));
        }
        JsonNode format = delivery.get("format");
        if (format != null && !Set.of("json", "binary").contains(format.asText())) {
            violations.add(new Violation("delivery.format", at + ".format", "must be json or binary"));
        }
        JsonNode sink = delivery.get("deadLetterSink");
        if (sink != null && !sink.has("ref") && !sink.has("uri")) {
            violations.add(new Violation("delivery.dead-letter-sink", at + ".deadLetterSink", "needs a ref or a uri"));
        }
        return violations;
    }

    /**
     * An ISO-8601 duration such as {@code PT0.2S}; years and months count as 365 and 30 days, which is
     * enough to compare and add them.
     */
    static Optional<Duration> isoDuration(String text) {
        try {
            return Optional.of(Duration.parse(text));
        } catch (DateTimeParseException notTimeBased) {
            try {
                Period period = Period.parse(text);
                return Optional.of(Duration.ofDays(period.getYears() * 365L + period.getMonths() * 30L
                        + period.getDays()));
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
    }
}
