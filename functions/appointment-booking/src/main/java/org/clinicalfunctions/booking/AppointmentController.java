package org.clinicalfunctions.booking;

import java.io.InputStream;
import java.net.URI;
import java.util.List;

import org.clinicalfunctions.auth.Caller;
import org.clinicalfunctions.auth.Grant;
import org.clinicalfunctions.auth.Interaction;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Appointment.AppointmentStatus;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** FHIR Appointment: book (create and {@code $book}), cancel and move (update), read and search. */
@RestController
public class AppointmentController {

    private static final Logger log = LoggerFactory.getLogger(AppointmentController.class);
    private static final String TYPE = "Appointment";

    private final SlotBooking booking;
    private final AppointmentRecords records;
    private final FhirJson fhir;
    private final OutboxRelay relay;
    private final BookingProperties properties;

    public AppointmentController(SlotBooking booking, AppointmentRecords records, FhirJson fhir, OutboxRelay relay,
            BookingProperties properties) {
        this.booking = booking;
        this.records = records;
        this.fhir = fhir;
        this.relay = relay;
        this.properties = properties;
    }

    @PostMapping("/Appointment")
    public ResponseEntity<String> create(Caller caller, InputStream body,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
            @RequestHeader(name = "If-None-Exist", required = false) String ifNoneExist) {
        Grant grant = caller.require(TYPE, Interaction.CREATE);
        Appointment request = fhir.parse(Appointment.class, body);
        return book(caller, grant, request, requestKey(idempotencyKey, ifNoneExist));
    }

    /** IHE ITI-117 / Argonaut {@code $book}: the Appointment itself, or Parameters with appointment-resource. */
    @PostMapping("/Appointment/$book")
    public ResponseEntity<String> bookOperation(Caller caller, InputStream body,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
            @RequestHeader(name = "If-None-Exist", required = false) String ifNoneExist) {
        Grant grant = caller.require(TYPE, Interaction.CREATE);
        Resource input = fhir.parseAny(body, "Appointment");
        return book(caller, grant, appointmentOf(input), requestKey(idempotencyKey, ifNoneExist));
    }

    /** Cancel ({@code status} cancelled) or move (another {@code slot}), always with {@code If-Match}. */
    @PutMapping("/Appointment/{id}")
    public ResponseEntity<String> update(Caller caller, @PathVariable String id,
            InputStream body,
            @RequestHeader(name = "If-Match", required = false) String ifMatch) {
        Grant grant = caller.require(TYPE, Interaction.UPDATE);
        int version = FhirHttp.ifMatchVersion(ifMatch, TYPE);
        Appointment request = fhir.parse(Appointment.class, body);
        AppointmentRequests.checkId(request, id);

        AppointmentRecord updated;
        String change;
        if (request.getStatus() == AppointmentStatus.CANCELLED) {
            updated = booking.cancel(id, request, grant, version);
            change = "cancelled";
        } else if (movesSlot(request, id)) {
            updated = booking.reschedule(id, request, grant, version);
            change = "rescheduled";
        } else {
            throw BookingProblem.unprocessable("BK-130", "Appointment",
                    "an update either cancels (status cancelled) or moves the appointment (another slot)");
        }
        relay.nudge();
        log.info("appointment {} id={} version={}", change, updated.id(), updated.version());
        return reply(ResponseEntity.ok(), updated);
    }

    @GetMapping("/Appointment/{id}")
    public ResponseEntity<String> read(Caller caller, @PathVariable String id) {
        Grant grant = caller.require(TYPE, Interaction.READ);
        AppointmentRecord record = records.find(id).orElseThrow(() -> BookingProblem.notFound(TYPE));
        grant.requirePatient(record.patientId());
        return reply(ResponseEntity.ok(), record);
    }

    /** {@code patient} (id or Patient/id) and {@code date} (on start); a patient token sees its own only. */
    @GetMapping("/Appointment")
    public ResponseEntity<String> search(Caller caller, @RequestParam(required = false) String patient,
            @RequestParam(required = false) List<String> date,
            @RequestParam(name = "_count", required = false) Integer count,
            @RequestParam(name = "_offset", required = false) Integer offset) {
        Grant grant = caller.require(TYPE, Interaction.SEARCH);
        String patientId = patient == null ? grant.boundPatient().orElse(null) : patient.replaceFirst("^Patient/", "");
        if (patientId != null) {
            grant.requirePatient(patientId);
        }
        SearchPage page = SearchPage.of(count, offset, properties.pageSize());

        List<Appointment> rows = records.search(patientId, InstantConditions.parse("date", date), page.offset(),
                page.limit()).stream().map(row -> fhir.parse(Appointment.class, row.resource())).toList();
        return ResponseEntity.ok().header("Content-Type", FhirJson.CONTENT_TYPE).body(fhir.encode(page.bundle(rows)));
    }

    private ResponseEntity<String> book(Caller caller, Grant grant, Appointment request, String requestKey) {
        SlotBooking.Booked booked = booking.book(request, grant, caller.subject(), requestKey);
        AppointmentRecord record = booked.appointment();
        if (!booked.created()) {
            log.debug("appointment replayed id={}", record.id());
            return reply(ResponseEntity.ok(), record);
        }
        relay.nudge();
        // Bookings are the hot path: the booked event in the outbox is their record, the log line is for debugging.
        log.debug("appointment booked id={} slot={}", record.id(), record.slotId());
        URI location = URI.create(FhirHttp.url(TYPE + "/" + record.id() + "/_history/" + record.version()));
        return reply(ResponseEntity.created(location), record);
    }

    private static ResponseEntity<String> reply(ResponseEntity.BodyBuilder builder, AppointmentRecord record) {
        return builder.header("Content-Type", FhirJson.CONTENT_TYPE).eTag(FhirHttp.etag(record.version()))
                .body(record.resource());
    }

    private boolean movesSlot(Appointment request, String id) {
        AppointmentRecord current = records.find(id).orElseThrow(() -> BookingProblem.notFound(TYPE));
        return !current.slotId().equals(AppointmentRequests.slotId(request));
    }

    /** The caller's key for a retried create; If-None-Exist is kept as a key of its own, per caller. */
    private static String requestKey(String idempotencyKey, String ifNoneExist) {
        if (idempotencyKey != null && !idempotencyKey.isBlank()) {
            if (idempotencyKey.length() > 255) {
                throw BookingProblem.invalid("BK-143", "Idempotency-Key", "Idempotency-Key is at most 255 characters");
            }
            return "Idempotency-Key " + idempotencyKey.trim();
        }
        if (ifNoneExist != null && !ifNoneExist.isBlank()) {
            return "If-None-Exist " + ifNoneExist.trim();
        }
        return null;
    }

    private static Appointment appointmentOf(Resource input) {
        if (input instanceof Appointment appointment) {
            return appointment;
        }
        if (input instanceof Parameters parameters) {
            for (ParametersParameterComponent parameter : parameters.getParameter()) {
                boolean named = "appointment-resource".equals(parameter.getName())
                        || "appt-resource".equals(parameter.getName());
                if (named && parameter.getResource() instanceof Appointment appointment) {
                    return appointment;
                }
            }
        }
        throw BookingProblem.invalid("BK-102", "Parameters.parameter",
                "$book takes an Appointment, or Parameters with an appointment-resource");
    }
}
