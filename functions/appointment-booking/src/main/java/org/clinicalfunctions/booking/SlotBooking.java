package org.clinicalfunctions.booking;

import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.clinicalfunctions.auth.Grant;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Appointment.AppointmentStatus;
import org.hl7.fhir.r4.model.Appointment.ParticipationStatus;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Books, cancels and moves appointments, each in one database transaction. A slot is taken by locking its row
 * and flipping it from free to busy; a unique index allows one active appointment per slot. The loser of a race
 * waits on the row lock, then finds the slot busy: 409.
 */
@Service
public class SlotBooking {

    private final SlotRecords slots;
    private final AppointmentRecords appointments;
    private final SlotResources slotResources;
    private final FhirJson fhir;
    private final AppointmentEvents events;
    private final Clock clock;

    public SlotBooking(SlotRecords slots, AppointmentRecords appointments, SlotResources slotResources,
            FhirJson fhir, AppointmentEvents events, Clock clock) {
        this.slots = slots;
        this.appointments = appointments;
        this.slotResources = slotResources;
        this.fhir = fhir;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Books the slot the request names for its patient.
     *
     * @param requestKey the caller's Idempotency-Key or If-None-Exist, or {@code null}
     * @return the appointment, and whether it was made now (false: a retry answered with the first result)
     */
    @Transactional
    public Booked book(Appointment request, Grant grant, String caller, String requestKey) {
        String patientId = AppointmentRequests.patientId(request);
        grant.requirePatient(patientId);
        AppointmentRequests.checkNew(request);
        String slotId = AppointmentRequests.slotId(request);
        String id = UUID.randomUUID().toString();
        if (requestKey != null) {
            Optional<String> earlier = appointments.claimRequestKey(caller, requestKey, id);
            if (earlier.isPresent()) {
                AppointmentRecord first = appointments.find(earlier.get()).orElseThrow();
                grant.requirePatient(first.patientId());
                return new Booked(first, false);
            }
        }

        SlotRecord slot = takeFreeSlot(slotId, "Appointment.slot[0]");
        SlotJson slotJson = slotResources.json(slot);
        checkTimes(request, slot);
        // The request was parsed for this call alone: it becomes the stored appointment without a copy.
        Appointment appointment = request;
        appointment.setId(id);
        appointment.setStatus(AppointmentStatus.BOOKED);
        // R4 app-4: a cancellation reason belongs to cancelled (or noshow) appointments only.
        appointment.setCancelationReason(null);
        appointment.setCreatedElement(new DateTimeType(Date.from(clock.instant())));
        appointment.getParticipant().stream().filter(p -> p.getStatus() == null)
                .forEach(p -> p.setStatus(ParticipationStatus.ACCEPTED));
        place(appointment, slotJson);
        AppointmentRecord record = stamp(appointment, patientId, 1);

        AppointmentEvent event = events.of("booked", record, List.of(slotJson));
        try {
            appointments.insert(record, event);
        } catch (DuplicateKeyException e) {
            throw BookingProblem.conflict("BK-201", "Appointment.slot[0]", "the slot is already taken");
        }
        return new Booked(record, true);
    }

    /** Cancels an appointment and frees its slot; the appointment stays readable, status cancelled. */
    @Transactional
    public AppointmentRecord cancel(String id, Appointment request, Grant grant, int expectedVersion) {
        AppointmentRecord current = lockForUpdate(id, grant, expectedVersion);
        Appointment appointment = fhir.parse(Appointment.class, current.resource());
        if (appointment.getStatus() == AppointmentStatus.CANCELLED) {
            throw BookingProblem.unprocessable("BK-131", "Appointment.status", "appointment is already cancelled");
        }
        refuseStarted(current.start(), "Appointment.start", "an appointment that has begun cannot be cancelled");

        appointment.setStatus(AppointmentStatus.CANCELLED);
        appointment.setCancelationReason(request.hasCancelationReason() ? request.getCancelationReason() : null);
        AppointmentRecord record = update(appointment, current.patientId(), current.version() + 1);
        slots.setStatus(current.slotId(), "free");
        events.record("cancelled", record, List.of(slotResources.json(slots.find(current.slotId()).orElseThrow())));
        return record;
    }

    /**
     * Moves a booked appointment to another free slot in one transaction: if the new slot cannot be taken,
     * nothing changes and the original stays booked.
     */
    @Transactional
    public AppointmentRecord reschedule(String id, Appointment request, Grant grant, int expectedVersion) {
        AppointmentRecord current = lockForUpdate(id, grant, expectedVersion);
        Appointment appointment = fhir.parse(Appointment.class, current.resource());
        if (appointment.getStatus() != AppointmentStatus.BOOKED) {
            throw BookingProblem.unprocessable("BK-133", "Appointment.status", "only a booked appointment moves");
        }
        refuseStarted(current.start(), "Appointment.start", "an appointment that has begun cannot be moved");
        AppointmentRequests.checkPeriod(request);
        String newSlotId = AppointmentRequests.slotId(request);

        SlotRecord newSlot = takeFreeSlot(newSlotId, "Appointment.slot[0]");
        SlotJson newSlotJson = slotResources.json(newSlot);
        if (movesTimes(request, appointment)) {
            checkTimes(request, newSlot);
        }
        place(appointment, newSlotJson);
        AppointmentRecord record = update(appointment, current.patientId(), current.version() + 1);
        slots.setStatus(current.slotId(), "free");
        events.record("rescheduled", record, List.of(
                slotResources.json(slots.find(current.slotId()).orElseThrow()), newSlotJson));
        return record;
    }

    /**
     * Takes the slot in one statement, free to busy under its row lock. Only when nothing was taken is it read
     * again, to tell a taken slot (409) from an unknown one (422). A slot that has begun is refused after the
     * flip, which the refusal rolls back.
     */
    private SlotRecord takeFreeSlot(String slotId, String expression) {
        Optional<SlotRecord> taken = slots.takeIfFree(slotId);
        if (taken.isEmpty()) {
            if (slots.find(slotId).isEmpty()) {
                throw BookingProblem.unprocessable("BK-120", expression, "the referenced Slot does not exist");
            }
            throw BookingProblem.conflict("BK-201", expression, "the slot is already taken");
        }
        refuseStarted(taken.get().start(), expression, "the slot has already begun");
        return taken.get();
    }

    private AppointmentRecord lockForUpdate(String id, Grant grant, int expectedVersion) {
        AppointmentRecord current = appointments.lock(id).orElseThrow(() -> BookingProblem.notFound("Appointment"));
        grant.requirePatient(current.patientId());
        if (current.version() != expectedVersion) {
            throw BookingProblem.staleVersion("Appointment");
        }
        return current;
    }

    private void refuseStarted(Instant start, String expression, String description) {
        if (!start.isAfter(clock.instant())) {
            throw BookingProblem.unprocessable("BK-123", expression, description);
        }
    }

    /** A move may leave the old start and end in the body: they then follow the new slot. */
    private static boolean movesTimes(Appointment request, Appointment current) {
        return !(sameInstant(request.getStart(), current.getStart())
                && sameInstant(request.getEnd(), current.getEnd()));
    }

    private static boolean sameInstant(Date a, Date b) {
        return a == null ? b == null : a.equals(b);
    }

    /** Times given in the request must be the slot's, as instants; the stored ones are the slot's text. */
    private static void checkTimes(Appointment request, SlotRecord slot) {
        if (request.hasStart() && !request.getStart().toInstant().equals(slot.start())) {
            throw BookingProblem.unprocessable("BK-122", "Appointment.start", "start is not the slot's start");
        }
        if (request.hasEnd() && !request.getEnd().toInstant().equals(slot.end())) {
            throw BookingProblem.unprocessable("BK-122", "Appointment.end", "end is not the slot's end");
        }
    }

    /** The appointment takes the slot's instants as written, offset included. */
    private static void place(Appointment appointment, SlotJson slot) {
        appointment.getSlot().clear();
        appointment.addSlot(new Reference("Slot/" + slot.id()));
        appointment.setStartElement(new InstantType(slot.start()));
        appointment.setEndElement(new InstantType(slot.end()));
    }

    /** Sets the version and lastUpdated, and the record to store: the appointment's text and search columns. */
    private AppointmentRecord stamp(Appointment appointment, String patientId, int version) {
        appointment.getMeta().setVersionId(Integer.toString(version)).setLastUpdated(Date.from(clock.instant()));
        return new AppointmentRecord(appointment.getIdElement().getIdPart(), patientId,
                appointment.getStatus().toCode(), AppointmentRequests.slotId(appointment),
                appointment.getStart().toInstant(), version, fhir.encode(appointment));
    }

    private AppointmentRecord update(Appointment appointment, String patientId, int version) {
        AppointmentRecord record = stamp(appointment, patientId, version);
        try {
            appointments.update(record);
        } catch (DuplicateKeyException e) {
            throw BookingProblem.conflict("BK-201", "Appointment.slot[0]", "the slot is already taken");
        }
        return record;
    }

    /** The result of a booking: the appointment, and whether this request made it. */
    public record Booked(AppointmentRecord appointment, boolean created) {
    }
}
