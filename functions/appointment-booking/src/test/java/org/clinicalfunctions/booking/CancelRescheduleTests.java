package org.clinicalfunctions.booking;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

/** Cancel and move with If-Match: versions, freed slots, and a failed move leaving the original booked. */
class CancelRescheduleTests extends BookingTestBase {

    private static final String CANCEL_REASON = "\"cancelationReason\":{\"coding\":[{\"system\":"
            + "\"http://terminology.hl7.org/CodeSystem/appointment-cancellation-reason\",\"code\":\"pat\"}]},";

    @Test
    void bookingAnswers201WithLocationEtagAndValidAppointment() {
        String slot = givenFreeSlot(40);

        HttpResponse<String> response = book("p-c1", slot);

        assertThat(response.statusCode()).isEqualTo(201);
        String id = json(response).path("id").asText();
        assertThat(response.headers().firstValue("Location").orElseThrow())
                .isEqualTo("http://127.0.0.1:" + port + "/Appointment/" + id + "/_history/1");
        assertThat(response.headers().firstValue("ETag")).hasValue("W/\"1\"");
        assertThat(json(response).path("status").asText()).isEqualTo("booked");
        R4Validator.assertValid(response.body());
        HttpResponse<String> slotRead = http.get("/Slot/" + slot, patientToken("p-c1"));
        assertThat(json(slotRead).path("status").asText()).isEqualTo("busy");
        R4Validator.assertValid(slotRead.body());
    }

    @Test
    void cancelFreesTheSlotAndKeepsTheAppointmentReadable() {
        String slot = givenFreeSlot(41);
        HttpResponse<String> booked = book("p-c2", slot);
        String id = json(booked).path("id").asText();

        HttpResponse<String> cancelled = http.put("/Appointment/" + id, patientToken("p-c2"), cancel(booked),
                "If-Match", "W/\"1\"");

        assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);
        assertThat(cancelled.headers().firstValue("ETag")).hasValue("W/\"2\"");
        assertThat(json(cancelled).path("status").asText()).isEqualTo("cancelled");
        assertThat(json(cancelled).path("cancelationReason").path("coding").path(0).path("code").asText())
                .isEqualTo("pat");
        R4Validator.assertValid(cancelled.body());
        assertThat(json(http.get("/Slot/" + slot, ADMIN)).path("status").asText()).isEqualTo("free");
        assertThat(book("p-c2b", slot).statusCode()).isEqualTo(201);
    }

    @Test
    void staleIfMatchIs412AndChangesNothing() {
        HttpResponse<String> booked = book("p-c3", givenFreeSlot(42));
        String id = json(booked).path("id").asText();

        HttpResponse<String> stale = http.put("/Appointment/" + id, patientToken("p-c3"), cancel(booked),
                "If-Match", "W/\"7\"");

        assertThat(stale.statusCode()).isEqualTo(412);
        assertThat(outcome(stale)).isEqualTo("BK-412 Appointment");
        assertThat(json(http.get("/Appointment/" + id, ADMIN)).path("status").asText()).isEqualTo("booked");
    }

    @Test
    void updateWithoutIfMatchIs428() {
        HttpResponse<String> booked = book("p-c4", givenFreeSlot(43));

        HttpResponse<String> response = http.put("/Appointment/" + json(booked).path("id").asText(),
                patientToken("p-c4"), cancel(booked));

        assertThat(response.statusCode()).isEqualTo(428);
        assertThat(outcome(response)).isEqualTo("BK-428 Appointment");
    }

    @Test
    void rescheduleMovesToTheNewSlotAndFreesTheOld() {
        String oldSlot = givenFreeSlot(44);
        String newSlot = givenFreeSlot(45);
        HttpResponse<String> booked = book("p-c5", oldSlot);
        String id = json(booked).path("id").asText();

        HttpResponse<String> moved = http.put("/Appointment/" + id, patientToken("p-c5"),
                booked.body().replace("Slot/" + oldSlot, "Slot/" + newSlot), "If-Match", "W/\"1\"");

        assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
        assertThat(json(moved).path("slot").path(0).path("reference").asText()).isEqualTo("Slot/" + newSlot);
        assertThat(json(moved).path("start").asText())
                .isEqualTo(json(http.get("/Slot/" + newSlot, ADMIN)).path("start").asText());
        R4Validator.assertValid(moved.body());
        assertThat(json(http.get("/Slot/" + oldSlot, ADMIN)).path("status").asText()).isEqualTo("free");
        assertThat(json(http.get("/Slot/" + newSlot, ADMIN)).path("status").asText()).isEqualTo("busy");
    }

    @Test
    void rescheduleToATakenSlotIs409AndLeavesTheOriginalBooked() {
        String original = givenFreeSlot(46);
        String taken = givenFreeSlot(47);
        HttpResponse<String> booked = book("p-c6", original);
        book("p-c6-other", taken);
        String id = json(booked).path("id").asText();

        HttpResponse<String> moved = http.put("/Appointment/" + id, patientToken("p-c6"),
                booked.body().replace("Slot/" + original, "Slot/" + taken), "If-Match", "W/\"1\"");

        assertThat(moved.statusCode()).isEqualTo(409);
        assertThat(outcome(moved)).isEqualTo("BK-201 Appointment.slot[0]");
        HttpResponse<String> after = http.get("/Appointment/" + id, ADMIN);
        assertThat(after.headers().firstValue("ETag")).hasValue("W/\"1\"");
        assertThat(json(after).path("status").asText()).isEqualTo("booked");
        assertThat(json(after).path("slot").path(0).path("reference").asText()).isEqualTo("Slot/" + original);
        assertThat(json(http.get("/Slot/" + original, ADMIN)).path("status").asText()).isEqualTo("busy");
    }

    @Test
    void pastAppointmentCannotBeCancelled() {
        HttpResponse<String> booked = book("p-c7", givenFreeSlot(48));
        String id = json(booked).path("id").asText();
        jdbc.update("update booking_appointment set start_at = now() - interval '1 hour' where id = ?", id);

        HttpResponse<String> response = http.put("/Appointment/" + id, patientToken("p-c7"), cancel(booked),
                "If-Match", "W/\"1\"");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(outcome(response)).isEqualTo("BK-123 Appointment.start");
    }

    @Test
    void pastSlotCannotBeBooked() {
        String schedule = unique("past");
        givenSchedule(schedule, "UTC", java.util.List.<String[]>of(new String[] {schedule + "-s",
            INSTANT.format(hoursAhead(-3)), INSTANT.format(hoursAhead(-2))}));

        HttpResponse<String> response = book("p-c8", schedule + "-s");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(outcome(response)).isEqualTo("BK-123 Appointment.slot[0]");
    }

    @Test
    void idempotencyKeyReturnsTheSameAppointment() {
        String slot = givenFreeSlot(49);
        String body = appointment("p-c9", slot);
        String token = patientToken("p-c9");

        HttpResponse<String> first = http.post("/Appointment", token, body, "Idempotency-Key", "k-1");
        HttpResponse<String> retry = http.post("/Appointment", token, body, "Idempotency-Key", "k-1");

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(json(retry).path("id").asText()).isEqualTo(json(first).path("id").asText());
        assertThat(jdbc.queryForObject("select count(*) from booking_appointment where slot_id = ?", Integer.class,
                slot)).isEqualTo(1);
    }

    @Test
    void ifNoneExistReturnsTheSameAppointmentThroughBookOperation() {
        String slot = givenFreeSlot(50);
        String parameters = "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"appointment-resource\","
                + "\"resource\":" + appointment("p-c10", slot) + "}]}";

        String token = patientToken("p-c10");

        HttpResponse<String> first = http.post("/Appointment/$book", token, parameters,
                "If-None-Exist", "identifier=urn:portal|r-10");
        HttpResponse<String> retry = http.post("/Appointment/$book", token, parameters,
                "If-None-Exist", "identifier=urn:portal|r-10");

        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(json(retry).path("id").asText()).isEqualTo(json(first).path("id").asText());
    }

    private static String cancel(HttpResponse<String> booked) {
        return booked.body().replace("\"status\":\"booked\",", "\"status\":\"cancelled\"," + CANCEL_REASON);
    }
}
