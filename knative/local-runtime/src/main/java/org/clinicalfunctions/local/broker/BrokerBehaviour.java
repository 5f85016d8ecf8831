package org.clinicalfunctions.local.broker;

import java.time.Duration;

/**
 * Which Knative data plane the local broker imitates where the real implementations disagree: the backoff
 * arithmetic and the legacy filter's empty-value rule. Default {@link #MT}.
 */
public enum BrokerBehaviour {

    /** Multi-tenant channel-based broker (Go): the first linear retry is immediate. */
    MT,

    /** Kafka broker (Java/Vert.x): every wait is one step longer than MT's. */
    KAFKA;

    private static final int MAX_DOUBLINGS = 30;

    /**
     * Wait before retry {@code k} (1-based). MT passes a 0-based index to its backoff, so linear is
     * {@code D*(k-1)} and exponential {@code D*2^(k-1)}; Kafka uses {@code D*k} and {@code D*2^k}. Without a
     * policy or a positive delay every retry is immediate (both implementations).
     */
    Duration delayBeforeRetry(DeliverySpec delivery, int k) {
        Duration delay = delivery.backoffDelay();
        if (delivery.backoffPolicy() == null || delay == null || delay.isNegative() || delay.isZero()) {
            return Duration.ZERO;
        }

        int step = this == MT ? k - 1 : k;
        if (delivery.backoffPolicy() == BackoffPolicy.LINEAR) {
            return delay.multipliedBy(step);
        }
        return delay.multipliedBy(1L << Math.min(step, MAX_DOUBLINGS));
    }

    /** Legacy {@code filter.attributes} value {@code ""}: MT wants a non-empty attribute, Kafka ignores the entry. */
    boolean emptyValueMeansPresent() {
        return this == MT;
    }
}
