package org.clinicalfunctions.local.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Loading Broker and Trigger manifests with the Knative webhook's admission rules. */
class EventingManifestsTests {

    private static final String TRIGGER = """
            apiVersion: eventing.knative.dev/v1
            kind: Trigger
            metadata:
              name: lab-results
            spec:
              broker: default
              subscriber:
                uri: http://127.0.0.1:9/
            """;

    @TempDir
    Path folder;

    @Test
    void rejectsTwoDialectsInOneFilterElement() throws IOException {
        write("20-trigger.yaml", TRIGGER + "  filters:\n    - exact: {type: a}\n      suffix: {source: b}\n");

        assertThatThrownBy(this::load)
                .isInstanceOf(ManifestException.class)
                .hasMessage("20-trigger.yaml: spec.filters[0]: multiple dialects found [exact, suffix]");
    }

    @Test
    void rejectsTwoDialectsInANestedElement() throws IOException {
        write("20-trigger.yaml", TRIGGER + "  filters: [{all: [{exact: {type: a}}, {prefix: {type: b}, "
                + "cesql: \"true\"}]}]\n");

        assertThatThrownBy(this::load)
                .isInstanceOf(ManifestException.class)
                .hasMessage("20-trigger.yaml: spec.filters[0].all[1]: multiple dialects found [prefix, cesql]");
    }

    @Test
    void rejectsCesqlThatDoesNotParse() throws IOException {
        write("20-trigger.yaml", TRIGGER + "  filters: [{cesql: \"type = = 'x' AND\"}]\n");

        assertThatThrownBy(this::load)
                .isInstanceOf(ManifestException.class)
                .hasMessageStartingWith("20-trigger.yaml: spec.filters[0].cesql: CESQL does not parse");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "retry: -1|spec.delivery.retry: must be an integer >= 0",
        "backoffPolicy: quadratic|spec.delivery.backoffPolicy: must be linear or exponential",
        "backoffDelay: 1s|spec.delivery.backoffDelay: must be an ISO-8601 duration such as PT0.2S",
        "timeout: PT0S|spec.delivery.timeout: must be > 0",
        "format: xml|spec.delivery.format: must be json or binary"
    })
    void rejectsBadDeliveryFields(String field, String problem) throws IOException {
        write("20-trigger.yaml", TRIGGER + "  delivery:\n    " + field + "\n");

        assertThatThrownBy(this::load)
                .isInstanceOf(ManifestException.class)
                .hasMessage("20-trigger.yaml: " + problem);
    }

    @Test
    void rejectsAttributeNamesKnativeWouldNot() throws IOException {
        write("20-trigger.yaml", TRIGGER + "  filter: {attributes: {Type: x}}\n");

        assertThatThrownBy(this::load)
                .isInstanceOf(ManifestException.class)
                .hasMessage("20-trigger.yaml: spec.filter.attributes.Type: attribute name must match ^[a-z][a-z0-9]*$");
    }

    @Test
    void rejectsASecondTriggerWithTheSameName() throws IOException {
        write("20-trigger.yaml", TRIGGER + "---\n" + TRIGGER);

        assertThatThrownBy(this::load)
                .isInstanceOf(ManifestException.class)
                .hasMessage("20-trigger.yaml: metadata.name: duplicate object clinical/lab-results");
    }

    @Test
    void readsMultiDocumentFilesAndIgnoresOtherKinds() throws IOException {
        write("10-eventing.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: unrelated
                ---
                apiVersion: eventing.knative.dev/v1
                kind: Broker
                metadata:
                  name: default
                  namespace: clinical
                ---
                """ + TRIGGER.replace("uri: http://127.0.0.1:9/", """
                ref:
                      apiVersion: serving.knative.dev/v1
                      kind: Service
                      name: lab-normalizer
                    uri: /events""") + """
                  delivery:
                    retry: 3
                    backoffPolicy: linear
                    backoffDelay: PT0.5S
                """);

        EventingManifests manifests = load();

        assertThat(manifests.broker("clinical", "default").orElseThrow().delivery())
                .isEqualTo(DeliverySpec.CLUSTER_DEFAULT);
        TriggerSpec trigger = manifests.triggersOf("clinical", "default").get(0);
        assertThat(trigger.delivery()).isEqualTo(new DeliverySpec(3, BackoffPolicy.LINEAR, Duration.ofMillis(500),
                null, null, false, null));
        DestinationResolver resolver = (apiVersion, kind, name) -> "lab-normalizer".equals(name)
                ? Optional.of(URI.create("http://127.0.0.1:8181")) : Optional.empty();
        assertThat(resolver.resolve(trigger.subscriber())).contains(URI.create("http://127.0.0.1:8181/events"));
    }

    @Test
    void triggerDeliveryReplacesBrokerDeliveryButKeepsBrokerDeadLetterSink() {
        Destination brokerSink = new Destination(null, "http://127.0.0.1:9/dls");
        DeliverySpec broker = new DeliverySpec(10, BackoffPolicy.EXPONENTIAL, Duration.ofSeconds(1), null, brokerSink,
                false, null);
        DeliverySpec trigger = new DeliverySpec(2, null, null, null, null, true, null);

        DeliverySpec effective = DeliverySpec.effective(trigger, broker);

        assertThat(effective).isEqualTo(new DeliverySpec(2, null, null, null, brokerSink, true, null));
    }

    private EventingManifests load() {
        return EventingManifests.load(folder, "clinical", BrokerBehaviour.MT);
    }

    private void write(String name, String yaml) throws IOException {
        Files.writeString(folder.resolve(name), yaml);
    }
}
