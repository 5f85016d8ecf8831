package org.clinicalfunctions.booking;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudevents.CloudEvent;
import org.junit.jupiter.api.Test;

/**
 * Each booking, cancellation and move reaches the broker (the loopback ingress here, which reads it with the
 * CloudEvents SDK) as a binary-mode CloudEvent whose data is the transaction Bundle fhir-store takes: PUT
 * Appointment/id and PUT Slot/id.
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

        List<CloudEvent> events = TestPlatform.broker().await(e -> ("Appointment/" + id).equals(e.getSubject()), 3,
                Duration.ofSeconds(20));

        assertThat(events).extracting(CloudEvent::getType).containsExactly(
                "org.clinicalfunctions.appointment.booked", "org.clinicalfunctions.appointment.rescheduled",
                "org.clinicalfunctions.appointment.cancelled");
        assertThat(events).extracting(CloudEvent::getId).containsExactly(id + "-v1", id + "-v2", id + "-v3");
        CloudEvent cancelled = events.get(2);
        assertThat(cancelled.getSource()).isEqualTo(URI.create("/functions/appointment-booking"));
        assertThat(cancelled.getExtension("partitionkey")).isEqualTo("Appointment/" + id);
        assertThat(cancelled.getDataContentType()).isEqualTo("application/fhir+json");
        String data = new String(cancelled.getData().toBytes(), StandardCharsets.UTF_8);
        JsonNode bundle = JSON.readTree(data);
        assertThat(bundle.path("type").asText()).isEqualTo("transaction");
        assertThat(bundle.path("entry").path(0).path("request").path("url").asText()).isEqualTo("Appointment/" + id);
        assertThat(bundle.path("entry").path(0).path("request").path("method").asText()).isEqualTo("PUT");
        assertThat(bundle.path("entry").path(0).path("resource").path("status").asText()).isEqualTo("cancelled");
        assertThat(bundle.path("entry").path(1).path("request").path("url").asText()).isEqualTo("Slot/" + other);
        assertThat(bundle.path("entry").path(1).path("resource").path("status").asText()).isEqualTo("free");
        R4Validator.assertValid(data);
    }
}
