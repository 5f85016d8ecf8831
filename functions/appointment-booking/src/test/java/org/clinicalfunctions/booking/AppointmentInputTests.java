package org.clinicalfunctions.booking;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

/** Bad bookings get 400 or 422 with an OperationOutcome naming the element at fault, and change nothing. */
class AppointmentInputTests extends BookingTestBase {

    @Test
    void endBeforeStartIs400AtEnd() {
        String slot = givenFreeSlot(60);
        String body = appointment("p-i1", slot).replace("\"status\":\"booked\",",
                "\"status\":\"booked\",\"start\":\"2030-01-01T10:00:00Z\",\"end\":\"2030-01-01T09:00:00Z\",");

        assertRefused(http.post("/Appointment", patientToken("p-i1"), body), 400, "BK-112 Appointment.end");
    }

    @Test
    void missingParticipantIs400() {
        String body = "{\"resourceType\":\"Appointment\",\"status\":\"booked\",\"slot\":[{\"reference\":\"Slot/x\"}]}";

        assertRefused(http.post("/Appointment", ADMIN, body), 400, "BK-110 Appointment.participant");
    }

    @Test
    void unknownSlotIs422() {
        assertRefused(book("p-i3", "no-such-slot"), 422, "BK-120 Appointment.slot[0]");
    }

    @Test
    void timesNotMatchingTheSlotAre422() {
        String slot = givenFreeSlot(61);
        String body = appointment("p-i4", slot).replace("\"status\":\"booked\",",
                "\"status\":\"booked\",\"start\":\"2030-01-01T10:00:00Z\",\"end\":\"2030-01-01T10:30:00Z\",");

        assertRefused(http.post("/Appointment", patientToken("p-i4"), body), 422, "BK-122 Appointment.start");
        assertThat(json(http.get("/Slot/" + slot, ADMIN)).path("status").asText()).isEqualTo("free");
    }

    @Test
    void sameInstantWithAnotherOffsetIsAccepted() {
        String slot = givenFreeSlot(62);
        String start = json(http.get("/Slot/" + slot, ADMIN)).path("start").asText();
        String shifted = java.time.OffsetDateTime.parse(start)
                .withOffsetSameInstant(java.time.ZoneOffset.ofHours(-5)).format(INSTANT);
        String end = java.time.OffsetDateTime.parse(start).plusMinutes(30).format(INSTANT);
        String body = appointment("p-i5", slot).replace("\"status\":\"booked\",",
                "\"status\":\"booked\",\"start\":\"" + shifted + "\",\"end\":\"" + end + "\",");

        HttpResponse<String> response = http.post("/Appointment", patientToken("p-i5"), body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(json(response).path("start").asText()).isEqualTo(start);
    }

    @Test
    void notJsonIs400() {
        assertRefused(http.post("/Appointment", ADMIN, "{not json"), 400, "BK-101 Appointment");
    }

    @Test
    void takenSlotIs409() {
        String slot = givenFreeSlot(63);
        book("p-i6", slot);

        assertRefused(book("p-i7", slot), 409, "BK-201 Appointment.slot[0]");
    }

    private static void assertRefused(HttpResponse<String> response, int status, String outcome) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/fhir+json");
        assertThat(outcome(response)).isEqualTo(outcome);
        R4Validator.assertValid(response.body());
    }
}
