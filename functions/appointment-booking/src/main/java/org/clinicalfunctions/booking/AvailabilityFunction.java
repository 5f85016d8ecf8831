package org.clinicalfunctions.booking;

import java.util.List;
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
 * The {@code availability} function at {@code POST /}: a transaction Bundle of Schedules and Slots, as a plain
 * FHIR transaction (answered with a transaction-response Bundle) or as a CloudEvent (answered 204, no reply
 * event). {@link AvailabilityAuthFilter} lets only callers with a user or system Slot and Schedule scope in.
 */
public class AvailabilityFunction implements Function<Message<byte[]>, Message<byte[]>> {

    private static final Logger log = LoggerFactory.getLogger(AvailabilityFunction.class);

    private final AvailabilityWriter writer;
    private final FhirJson fhir;

    public AvailabilityFunction(AvailabilityWriter writer, FhirJson fhir) {
        this.writer = writer;
        this.fhir = fhir;
    }

    @Override
    public Message<byte[]> apply(Message<byte[]> message) {
        boolean event = CloudEventHeaders.isCloudEvent(message);
        String eventId = event ? CloudEventHeaders.attribute(message, "id") : null;
        Object contentType = message.getHeaders().get(CloudEventHeaders.CONTENT_TYPE);
        try {
            if (contentType == null || !contentType.toString().contains("json")) {
                throw BookingProblem.unsupportedMediaType();
            }
            Bundle bundle = fhir.parse(Bundle.class, message.getPayload());
            List<Boolean> created = writer.write(bundle);
            log.info("availability stored ceId={} entries={}", eventId, created.size());
            return event ? FunctionReply.accepted(204) : response(bundle, created);
        } catch (BookingProblem problem) {
            // Knative: a 4xx other than 404, 408, 409 and 429 is not retried, right for a Bundle that never fits.
            log.info("availability refused ceId={} code={}", eventId, problem.code());
            return FunctionReply.http(problem.status(), FhirJson.CONTENT_TYPE, fhir.outcome(problem));
        } catch (DataAccessException | TransactionException unavailable) {
            log.warn("availability not stored ceId={}: {}", eventId, unavailable.getClass().getSimpleName());
            return FunctionReply.http(503, FhirJson.CONTENT_TYPE, fhir.outcome(BookingProblem.unavailable()));
        }
    }

    private Message<byte[]> response(Bundle request, List<Boolean> created) {
        Bundle response = new Bundle().setType(BundleType.TRANSACTIONRESPONSE);
        for (int i = 0; i < created.size(); i++) {
            var resource = request.getEntry().get(i).getResource();
            response.addEntry().getResponse()
                    .setStatus(Boolean.TRUE.equals(created.get(i)) ? "201 Created" : "200 OK")
                    .setLocation(resource.fhirType() + "/" + resource.getIdElement().getIdPart());
        }
        return FunctionReply.http(200, FhirJson.CONTENT_TYPE, fhir.encode(response));
    }
}
