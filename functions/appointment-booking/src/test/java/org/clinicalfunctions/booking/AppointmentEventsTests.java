package org.clinicalfunctions.booking;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.Test;

/**
 * Each booking, cancellation and move reaches the broker (WireMock here) as a binary-mode CloudEvent whose data
 * is the transaction Bundle fhir-store takes: PUT Appointment/id and PUT Slot/id.
 */
class AppointmentEventsTests extends BookingTestBase {

    @Test
    void bookingCancellationAndMoveArePublished() throws Exception {
        String slot = givenFreeSlot(80);
        String other = givenFreeSlot(81);
        HttpResponse<String> booked = book("p-e1", slot);
        String id = json(booked).path("id").asText();
        HttpResponse<String> moved = http.put("/Appointment/" + id, patientToken("p-e1"),
                booked.body().replace("Slot/" + slot, "Slot/" + other), "If-Match", "W/\"1\"");
        http.put("/Appointment/" + id, patientToken("p-e1"),
                moved.body().replace("\"status\":\"booked\"", "\"status\":\"cancelled\""), "If-Match", "W/\"2\"");

        List<LoggedRequest> events = awaitEvents("Appointment/" + id, 3);

        assertThat(events).extracting(e -> e.getHeader("ce-type")).containsExactly(
                "org.clinicalfunctions.appointment.booked", "org.clinicalfunctions.appointment.rescheduled",
                "org.clinicalfunctions.appointment.cancelled");
        assertThat(events).extracting(e -> e.getHeader("ce-id")).containsExactly(id + "-v1", id + "-v2", id + "-v3");
        LoggedRequest cancelled = events.get(2);
        assertThat(cancelled.getHeader("ce-source")).isEqualTo("/functions/appointment-booking");
        assertThat(cancelled.getHeader("ce-partitionkey")).isEqualTo("Appointment/" + id);
        JsonNode bundle = JSON.readTree(cancelled.getBodyAsString());
        assertThat(bundle.path("type").asText()).isEqualTo("transaction");
        assertThat(bundle.path("entry").path(0).path("request").path("url").asText()).isEqualTo("Appointment/" + id);
        assertThat(bundle.path("entry").path(0).path("request").path("method").asText()).isEqualTo("PUT");
        assertThat(bundle.path("entry").path(0).path("resource").path("status").asText()).isEqualTo("cancelled");
        assertThat(bundle.path("entry").path(1).path("request").path("url").asText()).isEqualTo("Slot/" + other);
        assertThat(bundle.path("entry").path(1).path("resource").path("status").asText()).isEqualTo("free");
        R4Validator.assertValid(cancelled.getBodyAsString());
    }

    private static List<LoggedRequest> awaitEvents(String subject, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<LoggedRequest> events = List.of();
        while (System.nanoTime() < deadline) {
            events = TestPlatform.wiremock().findAll(postRequestedFor(urlEqualTo(TestPlatform.BROKER_PATH)))
                    .stream().filter(e -> subject.equals(e.getHeader("ce-subject"))).toList();
            if (events.size() >= count) {
                return events;
            }
            Thread.sleep(100);
        }
        return events;
    }
}
