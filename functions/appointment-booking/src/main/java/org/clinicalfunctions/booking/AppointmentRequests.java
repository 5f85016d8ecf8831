package org.clinicalfunctions.booking;

import java.util.LinkedHashSet;
import java.util.Set;

import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Appointment.AppointmentParticipantComponent;
import org.hl7.fhir.r4.model.Appointment.AppointmentStatus;
import org.hl7.fhir.r4.model.Reference;

/** The checks of an incoming Appointment that need no database: 400 for what is missing, 422 for what is wrong. */
final class AppointmentRequests {

    private AppointmentRequests() {
    }

    /** The one patient among the participants; the patient is whose appointment this is. */
    static String patientId(Appointment appointment) {
        if (!appointment.hasParticipant()) {
            throw BookingProblem.invalid("BK-110", "Appointment.participant",
                    "an appointment needs a participant whose actor is a Patient");
        }
        Set<String> patients = new LinkedHashSet<>();
        for (AppointmentParticipantComponent participant : appointment.getParticipant()) {
            IIdType actor = participant.getActor().getReferenceElement();
            if ("Patient".equals(actor.getResourceType()) && actor.hasIdPart()) {
                if (!FhirIds.isValid(actor.getIdPart())) {
                    throw BookingProblem.invalid("BK-110", "Appointment.participant.actor.reference",
                            "the Patient's id must be 1 to 64 letters, digits, '-' or '.' (FHIR id)");
                }
                patients.add(actor.getIdPart());
            }
        }
        if (patients.isEmpty()) {
            throw BookingProblem.invalid("BK-110", "Appointment.participant.actor",
                    "an appointment needs a participant whose actor is a Patient");
        }
        if (patients.size() > 1) {
            throw BookingProblem.unprocessable("BK-111", "Appointment.participant.actor",
                    "an appointment is booked for one Patient");
        }
        return patients.iterator().next();
    }

    /** The id of the one Slot the appointment books. */
    static String slotId(Appointment appointment) {
        if (!appointment.hasSlot()) {
            throw BookingProblem.invalid("BK-113", "Appointment.slot", "an appointment must reference the Slot");
        }
        if (appointment.getSlot().size() > 1) {
            throw BookingProblem.unprocessable("BK-114", "Appointment.slot", "one Slot per appointment");
        }
        Reference slot = appointment.getSlotFirstRep();
        IIdType id = slot.getReferenceElement();
        if (!"Slot".equals(id.getResourceType()) || !FhirIds.isValid(id.getIdPart())) {
            throw BookingProblem.invalid("BK-115", "Appointment.slot[0].reference", "reference must be Slot/<id>");
        }
        return id.getIdPart();
    }

    /** A new appointment may arrive proposed, pending or booked; it is stored booked. */
    static void checkNew(Appointment appointment) {
        AppointmentStatus status = appointment.getStatus();
        if (status != null && status != AppointmentStatus.PROPOSED && status != AppointmentStatus.PENDING
                && status != AppointmentStatus.BOOKED) {
            throw BookingProblem.unprocessable("BK-116", "Appointment.status",
                    "a new appointment can only be proposed, pending or booked");
        }
        checkPeriod(appointment);
    }

    /** End after start, when both are given (no FHIR invariant says so; it is ours). */
    static void checkPeriod(Appointment appointment) {
        if (appointment.hasStart() != appointment.hasEnd()) {
            throw BookingProblem.invalid("BK-117", appointment.hasStart() ? "Appointment.end" : "Appointment.start",
                    "start and end must be given together (app-2)");
        }
        if (appointment.hasStart() && !appointment.getEnd().after(appointment.getStart())) {
            throw BookingProblem.invalid("BK-112", "Appointment.end", "end must be after start");
        }
    }

    /** The path id and the body id must agree on an update. */
    static void checkId(Appointment appointment, String id) {
        if (appointment.hasIdElement() && appointment.getIdElement().hasIdPart()
                && !id.equals(appointment.getIdElement().getIdPart())) {
            throw BookingProblem.invalid("BK-118", "Appointment.id", "id of the body differs from the URL's");
        }
    }
}
