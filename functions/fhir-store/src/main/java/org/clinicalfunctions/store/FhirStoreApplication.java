package org.clinicalfunctions.store;

import java.util.function.Function;

import org.clinicalfunctions.http.InvalidEventReply;
import org.clinicalfunctions.http.PayloadTooLargeReply;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.messaging.Message;

/**
 * The FHIR store: writes the transaction Bundles of {@code org.clinicalfunctions.lab.result.normalized} events to
 * PostgreSQL as versioned resources, and serves them back with FHIR read, vread and search.
 *
 * <p>Limitation: no authorization and no {@code If-Match}; the service is cluster-local and trusts the broker.
 */
@SpringBootApplication
@EnableConfigurationProperties({FhirStoreProperties.class, AcceptedEvents.class})
public class FhirStoreApplication {

    public static void main(String[] args) {
        SpringApplication.run(FhirStoreApplication.class, args);
    }

    /** The single function of this deployable, served at {@code POST /}. */
    @Bean
    Function<Message<byte[]>, Message<byte[]>> fhirStore(TransactionBundleReader reader, ResourceVersionStore store,
            OperationOutcomes outcomes, AcceptedEvents accepted) {
        return new TransactionBundleFunction(reader, store, outcomes, accepted);
    }

    /** A FHIR client understands an OperationOutcome better than the platform's default problem JSON. */
    @Bean
    PayloadTooLargeReply operationOutcomeTooLarge(OperationOutcomes outcomes) {
        return limit -> outcomes.reply(413, StoreProblem.BODY_TOO_LARGE, "Bundle");
    }

    /** A broken CloudEvent is refused as an OperationOutcome too; 400 sends it to the dead letters unretried. */
    @Bean
    InvalidEventReply operationOutcomeInvalidEvent(OperationOutcomes outcomes) {
        return () -> outcomes.reply(400, StoreProblem.INVALID_EVENT, "Bundle");
    }
}
