package org.clinicalfunctions.store;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import org.clinicalfunctions.http.CloudEventHeaders;
import org.clinicalfunctions.http.FunctionReply;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.messaging.Message;
import org.springframework.transaction.TransactionException;

/**
 * The {@code fhirStore} function. A CloudEvent (a broker delivery) is answered 204 with no body once its Bundle is
 * committed: a body would be read as a reply event. A plain HTTP POST is a FHIR transaction and gets a
 * transaction-response Bundle.
 */
public class TransactionBundleFunction implements Function<Message<byte[]>, Message<byte[]>> {

    private static final Logger log = LoggerFactory.getLogger(TransactionBundleFunction.class);

    private final TransactionBundleReader reader;
    private final ResourceVersionStore store;
    private final OperationOutcomes outcomes;
    private final AcceptedEvents accepted;

    public TransactionBundleFunction(TransactionBundleReader reader, ResourceVersionStore store,
            OperationOutcomes outcomes, AcceptedEvents accepted) {
        this.reader = reader;
        this.store = store;
        this.outcomes = outcomes;
        this.accepted = accepted;
    }

    @Override
    public Message<byte[]> apply(Message<byte[]> message) {
        long started = System.nanoTime();
        boolean event = CloudEventHeaders.isCloudEvent(message);
        EventKey key = event ? EventKey.of(CloudEventHeaders.attribute(message, "source"),
                CloudEventHeaders.attribute(message, "id"), message.getPayload()) : null;
        String eventId = key == null ? null : key.id();
        if (event && !accepted.accepts(CloudEventHeaders.attribute(message, "type"))) {
            logOutcome(eventId, StoreProblem.UNSUPPORTED_EVENT_TYPE.code(), 0, 0, started);
            return outcomes.reply(400, StoreProblem.UNSUPPORTED_EVENT_TYPE, "type");
        }
        if (!isFhirJson(message.getHeaders().get(CloudEventHeaders.CONTENT_TYPE))) {
            logOutcome(eventId, StoreProblem.UNSUPPORTED_MEDIA_TYPE.code(), 0, 0, started);
            return outcomes.reply(415, StoreProblem.UNSUPPORTED_MEDIA_TYPE, "Bundle");
        }

        try {
            List<ResourceWrite> writes = reader.read(message.getPayload());
            StoreResult result = store.store(key, writes);
            logOutcome(eventId, result.duplicate() ? "duplicate" : "stored", writes.size(), result.versionsCreated(),
                    started);
            return event ? FunctionReply.accepted(204) : transactionResponse(result);
        } catch (StoreRejection rejection) {
            // Knative: a 400 is not retried, which is right for a Bundle that can never be stored.
            logOutcome(eventId, rejection.problem().code(), 0, 0, started);
            return outcomes.reply(400, rejection.problem(), rejection.location());
        } catch (DataAccessException | TransactionException unavailable) {
            // Knative retries a 503 with backoff; the event row makes the retry safe even if the commit landed.
            log.atWarn().addKeyValue("ceId", eventId).addKeyValue("error", unavailable.getClass().getSimpleName())
                    .log("fhirStore database unavailable ceId={} error={}", eventId,
                            unavailable.getClass().getSimpleName());
            logOutcome(eventId, StoreProblem.DATABASE_UNAVAILABLE.code(), 0, 0, started);
            return outcomes.reply(503, StoreProblem.DATABASE_UNAVAILABLE, "Bundle");
        }
    }

    /** FHIR R4 http.html#transaction-response: one entry per request entry, in the same order. */
    private Message<byte[]> transactionResponse(StoreResult result) {
        Bundle response = new Bundle().setType(BundleType.TRANSACTIONRESPONSE);
        for (StoredVersion version : result.versions()) {
            response.addEntry().getResponse()
                    .setStatus(version.created() ? "201 Created" : "200 OK")
                    .setLocation(version.type() + "/" + version.id() + "/_history/" + version.versionId())
                    .setEtag("W/\"" + version.versionId() + "\"")
                    .setLastModifiedElement(FhirJson.utcInstant(version.lastUpdated()));
        }
        return FunctionReply.http(200, OperationOutcomes.FHIR_JSON, outcomes.encode(response));
    }

    /** Absent is accepted: a plain POST from a script often carries no content type. */
    private static boolean isFhirJson(Object contentType) {
        if (contentType == null || contentType.toString().isBlank()) {
            return true;
        }
        String type = contentType.toString().toLowerCase(Locale.ROOT);
        return type.startsWith("application/fhir+json") || type.startsWith("application/json");
    }

    private static void logOutcome(String eventId, String outcome, int resources, long versionsCreated,
            long started) {
        double millis = (System.nanoTime() - started) / 1_000_000.0;
        log.atInfo()
                .addKeyValue("ceId", eventId)
                .addKeyValue("outcome", outcome)
                .addKeyValue("resources", resources)
                .addKeyValue("versionsCreated", versionsCreated)
                .addKeyValue("durationMs", millis)
                .log("fhirStore ceId={} outcome={} resources={} versionsCreated={} durationMs={}", eventId, outcome,
                        resources, versionsCreated, millis);
    }
}
