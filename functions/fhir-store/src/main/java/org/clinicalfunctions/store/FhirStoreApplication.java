package org.clinicalfunctions.store;

import java.util.function.Function;

import org.clinicalfunctions.auth.AuthProblemReplies;
import org.clinicalfunctions.auth.BearerTokenVerifier;
import org.clinicalfunctions.http.DeliveryRefusalReply;
import org.clinicalfunctions.http.InvalidEventReply;
import org.clinicalfunctions.http.PayloadTooLargeReply;
import org.clinicalfunctions.http.RequestGuard;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.messaging.Message;

/**
 * The FHIR store: writes the transaction Bundles of {@code org.clinicalfunctions.lab.result.normalized} events to
 * PostgreSQL as versioned resources, and serves them back with FHIR read, vread and search.
 *
 * <p>Reads, searches and plain HTTP transactions need a bearer token with SMART scopes ({@code clinical.auth.*});
 * broker deliveries are authenticated by the mesh and Knative Eventing, not here. Limitation: no {@code If-Match}.
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

    /**
     * A plain HTTP transaction needs {@code cu} on every type it writes; CloudEvents carry the broker's delivery
     * token instead, which the endpoint has checked before this guard runs.
     */
    @Bean
    RequestGuard transactionWriters(BearerTokenVerifier verifier, AuthProblemReplies replies, FhirJson fhir) {
        return new TransactionWriteGuard(verifier, replies, fhir);
    }

    /** A FHIR client understands an OperationOutcome better than the platform's default problem JSON. */
    @Bean
    PayloadTooLargeReply operationOutcomeTooLarge(OperationOutcomes outcomes) {
        return limit -> outcomes.reply(413, StoreProblem.BODY_TOO_LARGE, "Bundle");
    }

    /** A delivery without the broker's token is refused as an OperationOutcome; 401 sends it to the dead letters. */
    @Bean
    DeliveryRefusalReply operationOutcomeDeliveryRefusal() {
        return refusal -> refusal.reply(AuthProblemReplies.FHIR_JSON.toString(), refusal.operationOutcome());
    }

    /** A broken CloudEvent is refused as an OperationOutcome too; 400 sends it to the dead letters unretried. */
    @Bean
    InvalidEventReply operationOutcomeInvalidEvent(OperationOutcomes outcomes) {
        return () -> outcomes.reply(400, StoreProblem.INVALID_EVENT, "Bundle");
    }
}
