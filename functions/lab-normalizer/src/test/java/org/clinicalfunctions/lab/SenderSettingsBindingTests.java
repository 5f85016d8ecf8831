package org.clinicalfunctions.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

/** The per-sender zone and code map bind from {@code clinical.lab.senders[n]} properties, as a deployment sets them. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
    "clinical.lab.default-zone=Europe/Paris",
    "clinical.lab.senders[0].application=LAB",
    "clinical.lab.senders[0].facility=ACME",
    "clinical.lab.senders[0].zone=America/New_York",
    "clinical.lab.senders[0].codes[0].code=GLU",
    "clinical.lab.senders[0].codes[0].system=L",
    "clinical.lab.senders[0].codes[0].loinc=2345-7",
    "clinical.lab.senders[0].codes[0].display=Glucose [Mass/volume]",
})
class SenderSettingsBindingTests {

    @Autowired
    private LabNormalizerProperties properties;

    @Autowired
    private Function<Message<byte[]>, Message<byte[]>> labNormalizer;

    @Autowired
    private FhirContext fhir;

    @Test
    void bindsSenderEntriesFromProperties() {
        LabNormalizerProperties.Sender sender = properties.senderOf("LAB", "ACME");

        assertThat(properties.defaultZone().getId()).isEqualTo("Europe/Paris");
        assertThat(sender.zone().getId()).isEqualTo("America/New_York");
        assertThat(sender.codes()).containsExactly(
                new LabNormalizerProperties.LocalCode("GLU", "L", "2345-7", "Glucose [Mass/volume]"));
    }

    @Test
    void configuredSenderGetsItsZoneAndLoincCoding() {
        String hl7 = LabMessages.join("MSH|^~\\&|LAB|ACME|EHR|CLINIC|20240105101500||ORU^R01|CTRL1|P|2.5.1",
                LabMessages.PID, "OBR|1||FL1|2345-7^Glucose^LN", "OBX|1|NM|GLU^Glucose^L||5.4|mmol/L|||||F|||"
                        + "20240105123000");
        Message<byte[]> input = MessageBuilder.withPayload(hl7.getBytes(StandardCharsets.UTF_8))
                .setHeader("contentType", "text/plain").build();

        Message<byte[]> output = labNormalizer.apply(input);

        Bundle bundle = fhir.newJsonParser().parseResource(Bundle.class,
                new String(output.getPayload(), StandardCharsets.UTF_8));
        List<Observation> observations = bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(Observation.class::isInstance).map(Observation.class::cast).toList();
        assertThat(observations).hasSize(1);
        assertThat(observations.get(0).getEffectiveDateTimeType().getValueAsString())
                .isEqualTo("2024-01-05T12:30:00-05:00");
        assertThat(fhir.newJsonParser().encodeToString(observations.get(0).getCode())).isEqualTo(
                "{\"coding\":[{\"system\":\"urn:clinicalfunctions:hl7v2:codesystem:L\",\"code\":\"GLU\","
                + "\"display\":\"Glucose\"},{\"system\":\"http://loinc.org\",\"code\":\"2345-7\","
                + "\"display\":\"Glucose [Mass/volume]\"}],\"text\":\"Glucose\"}");
    }
}
