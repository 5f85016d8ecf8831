package org.clinicalfunctions.lab;

import java.util.function.Function;

import ca.uhn.fhir.context.FhirContext;
import io.micrometer.core.instrument.MeterRegistry;
import org.clinicalfunctions.http.DeliveryRefusalReply;
import org.clinicalfunctions.http.FunctionReply;
import org.clinicalfunctions.http.InvalidEventReply;
import org.clinicalfunctions.http.PayloadTooLargeReply;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.messaging.Message;

/** The lab-normalizer deployable: one function, {@code labNormalizer}, served at {@code POST /}. */
@SpringBootApplication
@EnableConfigurationProperties(LabNormalizerProperties.class)
public class LabNormalizerApplication {

    public static void main(String[] args) {
        SpringApplication.run(LabNormalizerApplication.class, args);
    }

    @Bean
    FhirContext fhirContext() {
        return LabResultNormalizer.newFhirContext();
    }

    @Bean
    Function<Message<byte[]>, Message<byte[]>> labNormalizer(FhirContext fhir, LabNormalizerProperties properties,
            MeterRegistry meters) {
        return new LabResultNormalizer(fhir, properties, meters);
    }

    /** A too-large body is refused in FHIR terms, like every other refusal of this function. */
    @Bean
    PayloadTooLargeReply operationOutcomeTooLarge(FhirContext fhir) {
        return limit -> FunctionReply.http(413, LabResultNormalizer.FHIR_JSON, OperationOutcomes.error(fhir,
                IssueType.TOOLONG, "LAB-413 body larger than " + limit + " bytes", ""));
    }

    /** A broken CloudEvent is refused as an OperationOutcome; 400 sends it to the dead letters unretried. */
    @Bean
    InvalidEventReply operationOutcomeInvalidEvent(FhirContext fhir) {
        return () -> FunctionReply.http(400, LabResultNormalizer.FHIR_JSON, OperationOutcomes.error(fhir,
                IssueType.STRUCTURE, "LAB-400 request is not a valid CloudEvent", ""));
    }

    /** A delivery without the broker's token is refused as an OperationOutcome; 401 sends it to the dead letters. */
    @Bean
    DeliveryRefusalReply operationOutcomeDeliveryRefusal() {
        return refusal -> refusal.reply(LabResultNormalizer.FHIR_JSON, refusal.operationOutcome());
    }
}
