package org.clinicalfunctions.booking;

/**
 * A CloudEvent about one appointment change, waiting in the outbox.
 *
 * @param id {@code <appointment id>-v<version>}: the same change always has the same id
 * @param type {@code org.clinicalfunctions.appointment.booked}, {@code .cancelled} or {@code .rescheduled}
 * @param subject {@code Appointment/<id>}, also the partition key so one appointment's events stay in order
 * @param data a FHIR transaction Bundle that PUTs the Appointment and the Slots it changed, as fhir-store takes
 */
record AppointmentEvent(String id, String type, String subject, String data) {

    static final String TYPE_PREFIX = "org.clinicalfunctions.appointment.";
}
