package org.clinicalfunctions.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The time a delivery spec retries before the dead-letter sink, on each broker implementation. */
class RetryBudgetTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{\"retry\":10,\"backoffPolicy\":\"exponential\",\"backoffDelay\":\"PT0.2S\"}|PT3M24.6S|PT6M49.2S",
        "{\"retry\":6,\"backoffPolicy\":\"exponential\",\"backoffDelay\":\"PT1S\"}|PT1M3S|PT2M6S",
        "{\"retry\":3,\"backoffPolicy\":\"linear\",\"backoffDelay\":\"PT2S\"}|PT6S|PT12S",
        "{\"retry\":5,\"backoffDelay\":\"PT1S\"}|PT0S|PT0S",
        "{\"retry\":5,\"backoffPolicy\":\"exponential\"}|PT0S|PT0S",
        "{\"backoffPolicy\":\"exponential\",\"backoffDelay\":\"PT1S\"}|PT0S|PT0S"
    })
    void sumsTheWaitsBeforeEachRetry(String delivery, String channelBased, String kafka) throws Exception {
        JsonNode spec = JSON.readTree(delivery);

        Duration onChannelBasedBroker = RetryBudget.channelBasedBroker(spec);
        Duration onKafkaBroker = RetryBudget.kafkaBroker(spec);

        assertThat(onChannelBasedBroker).isEqualTo(Duration.parse(channelBased));
        assertThat(onKafkaBroker).isEqualTo(Duration.parse(kafka));
    }

    @Test
    void deployedTriggersRetryLongerThanTwoColdStartsOnEitherBroker() {
        var budgets = DeployedManifestsTests.completeObjects().stream()
                .filter(m -> m.is("eventing.knative.dev/v1", "Trigger"))
                .map(m -> m.name() + " " + RetryBudget.channelBasedBroker(m.body().at("/spec/delivery")) + " "
                        + RetryBudget.kafkaBroker(m.body().at("/spec/delivery")))
                .sorted().toList();

        // fhir-export-chunks also outlasts a dead worker's 60 s lease on the chunk (a 503 until it runs out).
        assertThat(budgets).containsExactly("appointment-booking-availability PT1M3S PT2M6S",
                "fhir-export-chunks PT4M15S PT8M30S", "fhir-store PT1M3S PT2M6S",
                "fhir-store-appointments PT1M3S PT2M6S", "lab-normalizer PT1M3S PT2M6S");
    }
}
