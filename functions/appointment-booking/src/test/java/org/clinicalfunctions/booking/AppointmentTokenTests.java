package org.clinicalfunctions.booking;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

import org.clinicalfunctions.auth.DevelopmentTokens;
import org.junit.jupiter.api.Test;

/**
 * Bearer tokens on the booking endpoints, signed keys served by WireMock in place of Entra ID: each bad token is
 * a 401 with its challenge, each missing right a 403, and a patient never reaches another patient's appointment.
 */
class AppointmentTokenTests extends BookingTestBase {

    @Test
    void missingTokenIs401WithChallenge() {
        HttpResponse<String> response = http.post("/Appointment", null, appointment("p-1", "any"));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"clinical-functions\"");
        assertThat(outcome(response)).startsWith("AU-101");
    }

    @Test
    void expiredTokenIs401() {
        Instant past = Instant.now().minusSeconds(7200);
        String token = TestPlatform.TOKENS.sign(DevelopmentTokens.claims(PATIENT_SCOPES).claim("patient", "p-1")
                .notBeforeTime(Date.from(past)).expirationTime(Date.from(past.plusSeconds(600))).build());

        assertInvalidToken(http.get("/Appointment?patient=p-1", token), "token expired");
    }

    @Test
    void wrongAudienceIs401() {
        String token = TestPlatform.TOKENS.sign(DevelopmentTokens.claims(PATIENT_SCOPES).claim("patient", "p-1")
                .audience("api://some-other-api").build());

        assertInvalidToken(http.get("/Appointment?patient=p-1", token), "token audience not accepted");
    }

    @Test
    void wrongIssuerIs401() {
        String token = TestPlatform.TOKENS.sign(DevelopmentTokens.claims(PATIENT_SCOPES).claim("patient", "p-1")
                .issuer("https://sts.windows.net/another-tenant/").build());

        assertInvalidToken(http.get("/Appointment?patient=p-1", token), "token issuer not accepted");
    }

    @Test
    void badSignatureIs401() {
        String forged = new DevelopmentTokens("booking-test-key").patient("p-1", PATIENT_SCOPES);

        assertInvalidToken(http.get("/Appointment?patient=p-1", forged), "token signature invalid");
    }

    @Test
    void algNoneIs401() {
        String payload = patientToken("p-1").split("\\.")[1];
        String header = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes());

        assertInvalidToken(http.get("/Appointment?patient=p-1", header + "." + payload + "."),
                "unsigned token (alg none) not accepted");
    }

    @Test
    void slotScopeAloneCannotBook() {
        String slot = givenFreeSlot(30);
        String token = TestPlatform.TOKENS.patient("p-1", "patient/Slot.rs");

        HttpResponse<String> response = http.post("/Appointment", token, appointment("p-1", slot));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
                .contains("error=\"insufficient_scope\"");
        assertThat(outcome(response)).startsWith("AU-201");
        assertThat(http.get("/Slot/" + slot, token).body()).contains("\"status\":\"free\"");
    }

    @Test
    void patientCannotBookForAnotherPatient() {
        String slot = givenFreeSlot(31);

        HttpResponse<String> response = http.post("/Appointment", patientToken("p-1"), appointment("p-2", slot));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(outcome(response)).startsWith("AU-202");
    }

    @Test
    void patientCannotReadCancelOrSearchAnotherPatientsAppointment() {
        HttpResponse<String> booked = book("p-owner", givenFreeSlot(32));
        String id = json(booked).path("id").asText();
        String intruder = patientToken("p-intruder");

        HttpResponse<String> read = http.get("/Appointment/" + id, intruder);
        HttpResponse<String> search = http.get("/Appointment?patient=p-owner", intruder);
        HttpResponse<String> cancel = http.put("/Appointment/" + id, intruder,
                booked.body().replace("\"booked\"", "\"cancelled\""), "If-Match", "W/\"1\"");

        assertThat(read.statusCode()).isEqualTo(403);
        assertThat(search.statusCode()).isEqualTo(403);
        assertThat(cancel.statusCode()).isEqualTo(403);
        assertThat(read.body()).doesNotContain("p-owner");
        assertThat(http.get("/Appointment/" + id, patientToken("p-owner")).body()).contains("\"status\":\"booked\"");
    }

    @Test
    void patientSearchDefaultsToOwnAppointments() {
        book("p-own-search", givenFreeSlot(33));
        book("p-someone-else", givenFreeSlot(34));

        HttpResponse<String> response = http.get("/Appointment", patientToken("p-own-search"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).path("entry")).hasSize(1);
        assertThat(response.body()).contains("Patient/p-own-search").doesNotContain("p-someone-else");
        R4Validator.assertValid(response.body());
    }

    @Test
    void practitionerScopeReadsAnyPatient() {
        HttpResponse<String> booked = book("p-any", givenFreeSlot(35));
        String practitioner = TestPlatform.TOKENS.sign(DevelopmentTokens.claims("user/Appointment.rs").build());

        HttpResponse<String> read = http.get("/Appointment/" + json(booked).path("id").asText(), practitioner);

        assertThat(read.statusCode()).isEqualTo(200);
        R4Validator.assertValid(read.body());
    }

    private static void assertInvalidToken(HttpResponse<String> response, String description) {
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"clinical-functions\","
                + " error=\"invalid_token\", error_description=\"" + description + "\"");
        assertThat(outcome(response)).startsWith("AU-102");
    }
}
