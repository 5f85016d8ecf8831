package org.clinicalfunctions.local.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The backoff arithmetic of Knative MT and the Kafka broker (reference 2.4), retry by retry. */
class BrokerBehaviourTests {

    @ParameterizedTest(name = "{0} {1} retry {2} waits {3} ms")
    @CsvSource({
        "MT, LINEAR, 1, 0",
        "MT, LINEAR, 2, 200",
        "MT, LINEAR, 3, 400",
        "MT, EXPONENTIAL, 1, 200",
        "MT, EXPONENTIAL, 2, 400",
        "MT, EXPONENTIAL, 10, 102400",
        "KAFKA, LINEAR, 1, 200",
        "KAFKA, LINEAR, 3, 600",
        "KAFKA, EXPONENTIAL, 1, 400",
        "KAFKA, EXPONENTIAL, 10, 204800"
    })
    void waitsPerImplementation(BrokerBehaviour behaviour, BackoffPolicy policy, int retry, long expectedMillis) {
        DeliverySpec delivery = new DeliverySpec(10, policy, Duration.ofMillis(200), null, null, false, null);

        Duration wait = behaviour.delayBeforeRetry(delivery, retry);

        assertThat(wait).isEqualTo(Duration.ofMillis(expectedMillis));
    }

    @ParameterizedTest(name = "{0} without policy or delay retries at once")
    @CsvSource({"MT", "KAFKA"})
    void retriesImmediatelyWithoutPolicyOrDelay(BrokerBehaviour behaviour) {
        DeliverySpec noPolicy = new DeliverySpec(3, null, Duration.ofSeconds(1), null, null, false, null);
        DeliverySpec noDelay = new DeliverySpec(3, BackoffPolicy.EXPONENTIAL, null, null, null, false, null);

        Duration withoutPolicy = behaviour.delayBeforeRetry(noPolicy, 3);
        Duration withoutDelay = behaviour.delayBeforeRetry(noDelay, 3);

        assertThat(withoutPolicy).isEqualTo(Duration.ZERO);
        assertThat(withoutDelay).isEqualTo(Duration.ZERO);
    }
}
