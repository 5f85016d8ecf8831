package org.clinicalfunctions.booking;

import java.time.Instant;

/** A stored Appointment: the full resource with its meta, and the columns searches and locks need. */
record AppointmentRecord(String id, String patientId, String status, String slotId, Instant start, int version,
        String resource) {
}
