package org.clinicalfunctions.manifests;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How long a delivery spec keeps retrying before an event goes to the dead-letter sink, summed over the
 * waits before each retry. The two brokers differ by one in the exponent (see knative-cloudevents reference 2.4):
 * the channel-based broker waits {@code D·2^(k-1)} (linear {@code D·(k-1)}) before retry k, the Kafka broker
 * {@code D·2^k} (linear {@code D·k}).
 */
final class RetryBudget {

    private RetryBudget() {
    }

    /** Total wait on the multi-tenant channel-based broker; zero without policy or delay, as there. */
    static Duration channelBasedBroker(JsonNode delivery) {
        return total(delivery, 0);
    }

    /** Total wait on the Kafka broker; zero without a delay, as there. */
    static Duration kafkaBroker(JsonNode delivery) {
        return total(delivery, 1);
    }

    private static Duration total(JsonNode delivery, int exponentShift) {
        int retries = delivery.path("retry").asInt(0);
        String policy = delivery.path("backoffPolicy").asText("");
        Duration delay = DeliveryRules.isoDuration(delivery.path("backoffDelay").asText(""))
                .orElse(Duration.ZERO);
        boolean linear = "linear".equals(policy);
        if (!linear && !"exponential".equals(policy)) {
            return Duration.ZERO;
        }
        Duration sum = Duration.ZERO;
        for (int k = 1; k <= retries; k++) {
            long factor = linear ? k - 1L + exponentShift : 1L << (k - 1 + exponentShift);
            sum = sum.plus(delay.multipliedBy(factor));
        }
        return sum;
    }
}
