package org.clinicalfunctions.export;

import java.io.IOException;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.http.HttpMessageFactory;
import io.cloudevents.rw.CloudEventRWException;
import org.clinicalfunctions.http.DeliveryTokenRefusal;
import org.clinicalfunctions.http.DeliveryTokenVerifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /export-chunks}: the broker delivers each chunk.ready CloudEvent here (Trigger
 * {@code eventing/230-trigger-fhir-export-chunks.yaml}), binary or structured mode. The chunk is worked inside
 * this request, so Knative keeps the pod while it runs. The answer follows the broker's contract: 200 when the
 * chunk is done (now, before, or its job is over), 503 with Retry-After while another live worker holds it or this
 * instance is full, 500 when the attempt failed, 400 for an event that never will be one (dead letters).
 *
 * <p>fhir-export is a public service, so this path is reachable from outside the cluster: every delivery must carry
 * the token Knative Eventing's dispatcher sends ({@code clinical.eventing.oidc.*}, audience of the Trigger's
 * subscriber, subject the Trigger's OIDC service account). Anything else gets 401 with an OperationOutcome before
 * its body is read; Knative does not retry a 401, so a refused delivery goes to the dead letters.
 */
@RestController
public class ChunkEventController {

    static final String PATH = "/export-chunks";

    private static final Logger LOG = LoggerFactory.getLogger(ChunkEventController.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LOCATION = "chunk.ready";

    private final ExportWorker worker;
    private final OperationOutcomes outcomes;
    private final DeliveryTokenVerifier deliveries;

    public ChunkEventController(ExportWorker worker, OperationOutcomes outcomes, DeliveryTokenVerifier deliveries) {
        this.worker = worker;
        this.outcomes = outcomes;
        this.deliveries = deliveries;
    }

    @PostMapping(PATH)
    public ResponseEntity<String> chunkReady(@RequestHeader HttpHeaders headers,
            @RequestBody(required = false) byte[] body) {
        try {
            deliveries.verifyHeader(headers.getFirst(HttpHeaders.AUTHORIZATION));
        } catch (DeliveryTokenRefusal refusal) {
            return refused(refusal);
        }

        Optional<ChunkRef> chunk = chunkOf(headers, body == null ? new byte[0] : body);
        if (chunk.isEmpty()) {
            return outcomes.reply(400, ExportProblem.CHUNK_EVENT_INVALID, LOCATION);
        }

        ExportWorker.Outcome outcome = worker.workDelivered(chunk.get());
        LOG.info("export chunk event job={} type={} outcome={}", chunk.get().jobId(), chunk.get().resourceType(),
                outcome);

        return switch (outcome) {
            case DONE, MORE -> ResponseEntity.ok().build();
            case HELD -> retryLater(worker.heldFor(chunk.get()).toSeconds() + 1);
            case BUSY -> retryLater(1);
            case FAILED -> outcomes.reply(500, ExportProblem.CHUNK_ATTEMPT_FAILED, LOCATION);
        };
    }

    @ExceptionHandler(DataAccessException.class)
    public ResponseEntity<String> databaseUnavailable(DataAccessException e) {
        return ResponseEntity.status(503).header(HttpHeaders.RETRY_AFTER, "10")
                .header(HttpHeaders.CONTENT_TYPE, OperationOutcomes.FHIR_JSON)
                .body(outcomes.json(ExportProblem.DATABASE_UNAVAILABLE, "database"));
    }

    private static ResponseEntity<String> refused(DeliveryTokenRefusal refusal) {
        return ResponseEntity.status(refusal.status()).header(HttpHeaders.CONTENT_TYPE, OperationOutcomes.FHIR_JSON)
                .header(refusal.responseHeaderName(), refusal.responseHeaderValue())
                .body(refusal.operationOutcome());
    }

    private ResponseEntity<String> retryLater(long seconds) {
        return ResponseEntity.status(503).header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, seconds)))
                .header(HttpHeaders.CONTENT_TYPE, OperationOutcomes.FHIR_JSON)
                .body(outcomes.json(ExportProblem.CHUNK_HELD, LOCATION));
    }

    /**
     * The chunk a chunk.ready event names, read by the CloudEvents SDK as the function endpoint reads events: binary
     * or structured mode, with the required attributes; anything else is no chunk.
     */
    private static Optional<ChunkRef> chunkOf(HttpHeaders headers, byte[] body) {
        try {
            CloudEvent event = HttpMessageFactory.createReaderFromMultimap(headers, body).toEvent();
            if (!ExportEvents.CHUNK_READY.equals(event.getType()) || event.getData() == null) {
                return Optional.empty();
            }
            JsonNode data = JSON.readTree(event.getData().toBytes());
            if (data == null || !data.path("chunk").isTextual()) {
                return Optional.empty();
            }
            return Optional.of(new ChunkRef(UUID.fromString(data.path("job").asText("")),
                    data.path("chunk").asText()));
        } catch (IOException | CloudEventRWException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
