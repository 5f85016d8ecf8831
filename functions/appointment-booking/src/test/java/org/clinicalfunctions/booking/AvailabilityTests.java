package org.clinicalfunctions.booking;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

/**
 * Schedules and Slots in through POST /: as a FHIR transaction with an admin's Entra ID token, or as a CloudEvent the
 * broker delivers with its dispatcher's token.
 */
class AvailabilityTests extends BookingTestBase {

    @Test
    void transactionAnswersWithTransactionResponse() {
        String schedule = unique("avail");
        String bundle = bundle(schedule, slotEntry(schedule + "-a", schedule, "2031-03-01T09:00:00+01:00",
                "2031-03-01T09:30:00+01:00"));

        HttpResponse<String> response = http.post("/", ADMIN, bundle);
        HttpResponse<String> again = http.post("/", ADMIN, bundle);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"type\":\"transaction-response\"", "\"status\":\"201 Created\"",
                "\"location\":\"Slot/" + schedule + "-a\"");
        assertThat(again.body()).doesNotContain("201 Created");
        R4Validator.assertValid(response.body());
        HttpResponse<String> slot = http.get("/Slot/" + schedule + "-a", ADMIN);
        assertThat(json(slot).path("start").asText()).isEqualTo("2031-03-01T09:00:00+01:00");
        R4Validator.assertValid(slot.body());
    }

    @Test
    void brokerDeliveryWithTheDispatcherTokenIsAnswered204() {
        String schedule = unique("avail-ce");
        String bundle = bundle(schedule, slotEntry(schedule + "-a", schedule, "2031-03-02T09:00:00Z",
                "2031-03-02T09:30:00Z"));

        HttpResponse<String> response = http.event(TestPlatform.DELIVERIES.token(TestPlatform.DELIVERY_AUDIENCE),
                "evt-" + schedule, "org.clinicalfunctions.availability", bundle);

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(http.get("/Slot/" + schedule + "-a", ADMIN).statusCode()).isEqualTo(200);
    }

    /**
     * A CloudEvent claims to come from the broker: an Entra ID token, however broad, or a delivery token for
     * another function is refused 401, which Knative does not retry, and nothing is stored.
     */
    @Test
    void cloudEventWithoutTheDispatcherTokenIs401() {
        String schedule = unique("avail-ce-bad");
        String bundle = bundle(schedule, slotEntry(schedule + "-a", schedule, "2031-03-03T09:00:00Z",
                "2031-03-03T09:30:00Z"));
        String otherFunction = TestPlatform.DELIVERIES.token("serving.knative.dev/service/clinical/fhir-store");

        for (String token : new String[] {ADMIN, otherFunction, null}) {
            HttpResponse<String> response = http.event(token, "evt-" + schedule, "org.clinicalfunctions.availability",
                    bundle);

            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).isPresent();
            assertThat(outcome(response)).startsWith("EV-1");
            R4Validator.assertValid(response.body());
        }
        assertThat(http.get("/Slot/" + schedule + "-a", ADMIN).statusCode()).isEqualTo(404);
    }

    /** A template does not put a slot beside one the EHR published: 09:00 and 09:30 overlap 09:15-09:45. */
    @Test
    void templateSkipsTimesAnExistingSlotOverlaps() {
        String schedule = unique("avail-overlap");
        java.time.LocalDate day = java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(10);
        givenSchedule(schedule, "UTC", java.util.List.<String[]>of(new String[] {schedule + "-ehr",
            day + "T09:15:00Z", day + "T09:45:00Z"}));
        String template = "{\"resourceType\":\"Parameters\",\"parameter\":["
                + "{\"name\":\"start\",\"valueDate\":\"" + day + "\"},"
                + "{\"name\":\"end\",\"valueDate\":\"" + day.plusDays(1) + "\"},"
                + "{\"name\":\"slotMinutes\",\"valueInteger\":30},"
                + "{\"name\":\"availableTime\",\"part\":[{\"name\":\"daysOfWeek\",\"valueCode\":\""
                + day.getDayOfWeek().name().substring(0, 3).toLowerCase(java.util.Locale.ROOT) + "\"},"
                + "{\"name\":\"availableStartTime\",\"valueTime\":\"09:00:00\"},"
                + "{\"name\":\"availableEndTime\",\"valueTime\":\"11:00:00\"}]}]}";

        HttpResponse<String> generated = http.post("/Schedule/" + schedule + "/$generate-slots", ADMIN, template);

        assertThat(generated.statusCode()).as(generated.body()).isEqualTo(200);
        assertThat(generated.body()).contains("\"name\":\"created\",\"valueInteger\":2",
                "\"name\":\"existing\",\"valueInteger\":2");
        assertThat(jdbc.queryForList("select to_char(start_at at time zone 'UTC', 'HH24:MI') from booking_slot"
                + " where schedule_id = ? order by start_at", String.class, schedule))
                .containsExactly("09:15", "10:00", "10:30");
    }

    /** A delivery that is no CloudEvent (no id) is refused for good, in FHIR terms like every other refusal. */
    @Test
    void brokenCloudEventIs400OperationOutcome() {
        HttpResponse<String> response = http.post("/", TestPlatform.DELIVERIES.token(TestPlatform.DELIVERY_AUDIENCE),
                bundle(unique("x"), ""), "ce-specversion", "1.0", "ce-source", "/ehr/test", "ce-type",
                "org.clinicalfunctions.availability");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(outcome(response)).isEqualTo("BK-103 Bundle");
        R4Validator.assertValid(response.body());
    }

    @Test
    void withoutTokenIs401AndWithPatientTokenIs403() {
        String bundle = bundle(unique("x"), "");

        assertThat(http.post("/", null, bundle).statusCode()).isEqualTo(401);
        HttpResponse<String> patient = http.post("/", patientToken("p-a1"), bundle);
        assertThat(patient.statusCode()).isEqualTo(403);
        assertThat(patient.headers().firstValue("WWW-Authenticate").orElseThrow())
                .contains("error=\"insufficient_scope\"");
    }

    @Test
    void slotEndingBeforeItStartsIs400AtItsEnd() {
        String schedule = unique("avail-bad");
        String bundle = bundle(schedule, slotEntry(schedule + "-a", schedule, "2031-03-01T10:00:00Z",
                "2031-03-01T09:00:00Z"));

        HttpResponse<String> response = http.post("/", ADMIN, bundle);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(outcome(response)).isEqualTo("BK-112 Bundle.entry[1].resource.end");
        assertThat(http.get("/Slot/" + schedule + "-a", ADMIN).statusCode()).isEqualTo(404);
    }

    @Test
    void slotOfUnknownScheduleIs422() {
        String entry = slotEntry(unique("orphan"), "no-such-schedule", "2031-03-01T10:00:00Z", "2031-03-01T11:00:00Z");

        HttpResponse<String> response = http.post("/", ADMIN,
                "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[" + entry + "]}");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(outcome(response)).isEqualTo("BK-152 Bundle.entry[0].resource.schedule");
    }

    @Test
    void bookedSlotCannotBeWithdrawnByNewAvailability() {
        String slot = givenFreeSlot(70);
        book("p-a2", slot);
        String schedule = json(http.get("/Slot/" + slot, ADMIN)).path("schedule").path("reference").asText()
                .substring("Schedule/".length());

        HttpResponse<String> response = http.post("/", ADMIN, "{\"resourceType\":\"Bundle\",\"type\":\"transaction\","
                + "\"entry\":[" + slotEntry(slot, schedule, "2031-01-01T10:00:00Z", "2031-01-01T11:00:00Z") + "]}");

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(outcome(response)).isEqualTo("BK-203 Bundle.entry[0].resource");
    }

    private static String bundle(String schedule, String slotEntry) {
        String scheduleEntry = "{\"resource\":{\"resourceType\":\"Schedule\",\"id\":\"" + schedule + "\","
                + "\"actor\":[{\"reference\":\"Practitioner/dr-2\"}]},"
                + "\"request\":{\"method\":\"PUT\",\"url\":\"Schedule/" + schedule + "\"}}";
        return "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[" + scheduleEntry
                + (slotEntry.isEmpty() ? "" : "," + slotEntry) + "]}";
    }
}
