package org.clinicalfunctions.local.broker;

import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;

/**
 * Which Knative data plane the local broker imitates where the real implementations disagree: the backoff
 * arithmetic, the legacy filter's empty-value rule and how {@code knativeerrordata} is truncated. Default
 * {@link #MT}.
 */
public enum BrokerBehaviour {

    /** Multi-tenant channel-based broker (Go): the first linear retry is immediate. */
    MT,

    /** Kafka broker (Java/Vert.x): every wait is one step longer than MT's. */
    KAFKA;

    private static final int MAX_DOUBLINGS = 30;
    private static final int ERROR_DATA_LIMIT = 1024;

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

    /**
     * {@code knativeerrordata} for a failed response body, null when the body is empty. MT base64-encodes and then
     * cuts the text to 1024 characters; Kafka cuts the body to 1024 bytes and then base64-encodes.
     */
    String errorData(byte[] body) {
        if (body.length == 0) {
            return null;
        }
        if (this == KAFKA) {
            return Base64.getEncoder().encodeToString(Arrays.copyOf(body, Math.min(body.length, ERROR_DATA_LIMIT)));
        }
        String encoded = Base64.getEncoder().encodeToString(body);
        return encoded.length() > ERROR_DATA_LIMIT ? encoded.substring(0, ERROR_DATA_LIMIT) : encoded;
    }

    /** Legacy {@code filter.attributes} value {@code ""}: MT wants a non-empty attribute, Kafka ignores the entry. */
    boolean emptyValueMeansPresent() {
        return this == MT;
    }
}
