package org.clinicalfunctions.local.broker;

import java.time.Duration;

/**
 * {@code spec.delivery} of a Broker or Trigger.
 *
 * @param retry number of retries after the first attempt (total attempts = retry + 1)
 * @param backoffPolicy linear or exponential; null means every retry is immediate
 * @param backoffDelay base delay D; null means every retry is immediate
 * @param timeout per-attempt timeout; null means {@link #DEFAULT_TIMEOUT}
 * @param deadLetterSink where failed events go; null falls back to the broker's sink, then the local store
 * @param structured {@code format: json}; false (the default) sends binary mode
 * @param retryAfterMax upper bound for honouring {@code Retry-After} on 429/503; null (the default) ignores the header
 */
public record DeliverySpec(int retry, BackoffPolicy backoffPolicy, Duration backoffDelay, Duration timeout,
        Destination deadLetterSink, boolean structured, Duration retryAfterMax) {

    /** Knative MT has no per-request timeout by default; 600 s is the Kafka broker's and keeps us from hanging. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(600);

    /**
     * {@code config-br-defaults}: what Knative copies into a Broker created without a delivery section
     * (retry 10, exponential, PT0.2S).
     */
    public static final DeliverySpec CLUSTER_DEFAULT =
            new DeliverySpec(10, BackoffPolicy.EXPONENTIAL, Duration.ofMillis(200), null, null, false, null);

    /** The per-attempt timeout actually applied. */
    public Duration effectiveTimeout() {
        return timeout == null ? DEFAULT_TIMEOUT : timeout;
    }

    /**
     * What a trigger delivers with. Knative: a trigger's delivery replaces the broker's wholesale (no merge of
     * retry or backoff); only the dead-letter sink falls back to the broker's.
     */
    static DeliverySpec effective(DeliverySpec trigger, DeliverySpec broker) {
        if (trigger == null) {
            return broker;
        }
        if (trigger.deadLetterSink() != null || broker.deadLetterSink() == null) {
            return trigger;
        }
        return new DeliverySpec(trigger.retry(), trigger.backoffPolicy(), trigger.backoffDelay(), trigger.timeout(),
                broker.deadLetterSink(), trigger.structured(), trigger.retryAfterMax());
    }
}
