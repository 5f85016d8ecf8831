package org.clinicalfunctions.local.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every filter dialect, admitted from YAML as the broker loads it, against one ORU event. */
class EventFilterTests {

    private static final CloudEvent ORU = CloudEventBuilder.v1()
            .withId("4e3c0f1a-0000-3000-8000-000000000001")
            .withSource(URI.create("/hl7v2/LAB/HOSP"))
            .withType("org.clinicalfunctions.hl7v2.ORU_R01")
            .withSubject("MSG00001")
            .withExtension("partitionkey", "/hl7v2/LAB/HOSP")
            .withData("x-application/hl7-v2+er7; charset=utf-8", "MSH|^~\\&|LAB|HOSP".getBytes(StandardCharsets.UTF_8))
            .build();

    @TempDir
    Path folder;

    static Stream<Arguments> filters() {
        return Stream.of(
                Arguments.of("exact matches", "filters: [{exact: {type: org.clinicalfunctions.hl7v2.ORU_R01}}]", true),
                Arguments.of("exact differs", "filters: [{exact: {type: org.clinicalfunctions.hl7v2.ADT_A01}}]", false),
                Arguments.of("exact is case-sensitive", "filters: [{exact: {subject: msg00001}}]", false),
                Arguments.of("exact on missing attribute", "filters: [{exact: {dataschema: 'urn:x'}}]", false),
                Arguments.of("prefix matches", "filters: [{prefix: {type: org.clinicalfunctions.hl7v2.}}]", true),
                Arguments.of("prefix differs", "filters: [{prefix: {type: org.clinicalfunctions.lab.}}]", false),
                Arguments.of("suffix matches", "filters: [{suffix: {type: .ORU_R01}}]", true),
                Arguments.of("suffix differs", "filters: [{suffix: {type: .ADT_A01}}]", false),
                Arguments.of("all holds", "filters: [{all: [{prefix: {type: org.}}, {exact: {subject: MSG00001}}]}]",
                        true),
                Arguments.of("all fails on one", "filters: [{all: [{prefix: {type: org.}}, {exact: {subject: M2}}]}]",
                        false),
                Arguments.of("any holds on one", "filters: [{any: [{exact: {type: x}}, {suffix: {source: /HOSP}}]}]",
                        true),
                Arguments.of("any fails on all", "filters: [{any: [{exact: {type: x}}, {suffix: {source: /X}}]}]",
                        false),
                Arguments.of("not of a miss", "filters: [{not: {exact: {type: x}}}]", true),
                Arguments.of("not of a hit", "filters: [{not: {suffix: {type: ORU_R01}}}]", false),
                Arguments.of("not of no filter", "filters: [{not: {}}]", true),
                Arguments.of("cesql true", "filters: [{cesql: \"type LIKE '%ORU_R01' AND partitionkey = "
                        + "'/hl7v2/LAB/HOSP'\"}]", true),
                Arguments.of("cesql false", "filters: [{cesql: \"subject = 'MSG00002'\"}]", false),
                Arguments.of("cesql evaluation error", "filters: [{cesql: \"missingattr = 'x'\"}]", false),
                Arguments.of("implicit all over the list", "filters: [{prefix: {type: org.}}, {exact: {type: x}}]",
                        false),
                Arguments.of("filters win over filter", "filter: {attributes: {type: x}}\n  filters: [{suffix: "
                        + "{type: ORU_R01}}]", true),
                Arguments.of("legacy AND of exact", "filter: {attributes: {type: org.clinicalfunctions.hl7v2.ORU_R01,"
                        + " source: /hl7v2/LAB/HOSP}}", true),
                Arguments.of("legacy one differs", "filter: {attributes: {type: org.clinicalfunctions.hl7v2.ORU_R01,"
                        + " source: /hl7v2/LAB/OTHER}}", false),
                Arguments.of("legacy empty value, present", "filter: {attributes: {subject: ''}}", true),
                Arguments.of("legacy empty value, absent (MT)", "filter: {attributes: {dataschema: ''}}", false),
                Arguments.of("no filter at all", "filters: []", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filters")
    void filterDecidesDelivery(String name, String filterYaml, boolean expected) throws IOException {
        EventFilter filter = admit(filterYaml, BrokerBehaviour.MT);

        boolean matches = filter.matches(ORU);

        assertThat(matches).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kafkaEmptyValue")
    void kafkaIgnoresEmptyLegacyValue(String name, String filterYaml, boolean expected) throws IOException {
        EventFilter filter = admit(filterYaml, BrokerBehaviour.KAFKA);

        boolean matches = filter.matches(ORU);

        assertThat(matches).isEqualTo(expected);
    }

    static Stream<Arguments> kafkaEmptyValue() {
        return Stream.of(
                Arguments.of("absent attribute passes", "filter: {attributes: {dataschema: ''}}", true),
                Arguments.of("other entries still count", "filter: {attributes: {dataschema: '', type: x}}", false));
    }

    private EventFilter admit(String filterYaml, BrokerBehaviour behaviour) throws IOException {
        Files.writeString(folder.resolve("trigger.yaml"), """
                apiVersion: eventing.knative.dev/v1
                kind: Trigger
                metadata:
                  name: under-test
                spec:
                  broker: default
                  subscriber:
                    uri: http://127.0.0.1:9/
                  %s
                """.formatted(filterYaml));
        return EventingManifests.load(folder, "clinical", behaviour).triggers().get(0).filter();
    }
}
