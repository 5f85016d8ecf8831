package org.clinicalfunctions.booking;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.clinicalfunctions.auth.DevelopmentTokens;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** Callers who race themselves or reuse a key for another patient: one outcome each, no patient crossed. */
class HostileCallerTests extends BookingTestBase {

    @RepeatedTest(3)
    void cancelAndMoveOfOneVersionAtOnceLeaveExactlyOneOutcome() {
        String first = givenFreeSlot(100);
        String second = givenFreeSlot(101);
        String token = patientToken("p-r1");
        HttpResponse<String> booked = http.post("/Appointment", token, appointment("p-r1", first));
        String path = "/Appointment/" + json(booked).path("id").asText();
        String cancel = booked.body().replace("\"status\":\"booked\"", "\"status\":\"cancelled\"");
        String move = booked.body().replace("Slot/" + first, "Slot/" + second);

        CompletableFuture<HttpResponse<String>> cancelled = CompletableFuture.supplyAsync(
                () -> http.put(path, token, cancel, "If-Match", "W/\"1\""));
        CompletableFuture<HttpResponse<String>> moved = CompletableFuture.supplyAsync(
                () -> http.put(path, token, move, "If-Match", "W/\"1\""));

        List<Integer> statuses = List.of(cancelled.join().statusCode(), moved.join().statusCode());
        assertThat(statuses).containsExactlyInAnyOrder(200, 412);
        String status = json(http.get(path, token)).path("status").asText();
        assertThat(json(http.get("/Slot/" + first, ADMIN)).path("status").asText()).isEqualTo("free");
        assertThat(json(http.get("/Slot/" + second, ADMIN)).path("status").asText())
                .isEqualTo("booked".equals(status) ? "busy" : "free");
        assertThat(status).isEqualTo(statuses.get(0) == 200 ? "cancelled" : "booked");
    }

    @Test
    void idempotencyKeyOfOneCallerReusedForAnotherPatientIsForbiddenAndBooksNothing() {
        String oid = UUID.randomUUID().toString();
        String first = givenFreeSlot(102);
        String second = givenFreeSlot(103);
        http.post("/Appointment", proxyToken(oid, "p-k1"), appointment("p-k1", first), "Idempotency-Key", "k-1");

        HttpResponse<String> reused = http.post("/Appointment", proxyToken(oid, "p-k2"), appointment("p-k2", second),
                "Idempotency-Key", "k-1");

        assertThat(reused.statusCode()).as(reused.body()).isEqualTo(403);
        assertThat(reused.body()).contains("AU-202").doesNotContain("p-k1");
        assertThat(json(http.get("/Slot/" + second, ADMIN)).path("status").asText()).isEqualTo("free");
    }

    /** One portal user (one oid) acting for one of the patients they may act for, as a SMART launch gives. */
    private static String proxyToken(String oid, String patientId) {
        return TestPlatform.TOKENS.sign(DevelopmentTokens.claims(PATIENT_SCOPES).claim("oid", oid)
                .claim("patient", patientId).build());
    }
}
