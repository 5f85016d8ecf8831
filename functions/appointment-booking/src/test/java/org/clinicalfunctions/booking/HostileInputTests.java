package org.clinicalfunctions.booking;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Hostile input that once reached PostgreSQL or the paging as it came: each gets a 400 naming the element. */
class HostileInputTests extends BookingTestBase {

    @ParameterizedTest
    @CsvSource({
        "/Appointment?patient=p%00x, BK-145 Appointment",
        "/Slot?schedule=s%00x, BK-145 Slot",
        "/Slot?service-type=124%00, BK-145 Slot"})
    void nulInASearchParameterIs400(String query, String outcome) {
        assertRefused(http.get(query, ADMIN), 400, outcome);
    }

    @ParameterizedTest
    @CsvSource({"p\\u0000x", "p-with-65-characters-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})
    void patientIdThatIsNoFhirIdIs400AndBooksNothing(String patientId) {
        String slot = givenFreeSlot(80);

        HttpResponse<String> response = http.post("/Appointment", ADMIN, appointment(patientId, slot));

        assertRefused(response, 400, "BK-110 Appointment.participant.actor.reference");
        assertThat(json(http.get("/Slot/" + slot, ADMIN)).path("status").asText()).isEqualTo("free");
    }

    @Test
    void slotIdThatIsNoFhirIdIs400() {
        HttpResponse<String> response = http.post("/Appointment", ADMIN, appointment("p-s1", "s\\u0000x"));

        assertRefused(response, 400, "BK-115 Appointment.slot[0].reference");
    }

    @ParameterizedTest
    @CsvSource({"s\\u0000x", "s-with-65-characters-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})
    void availabilityWithASlotIdThatIsNoFhirIdIs400NotARetried503(String slotId) {
        String schedule = unique("sched");
        givenSchedule(schedule, "UTC", java.util.List.of());
        String bundle = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                + slotEntry(slotId, schedule, "2031-01-01T10:00:00Z", "2031-01-01T10:30:00Z") + "]}";

        HttpResponse<String> response = http.event(TestPlatform.DELIVERIES.token(TestPlatform.DELIVERY_AUDIENCE),
                unique("avail"), "org.clinicalfunctions.availability", bundle);

        assertRefused(response, 400, "BK-157 Bundle.entry[0].resource.id");
    }

    @ParameterizedTest
    @CsvSource({
        "/Slot?start=ge%2B999999999-12-31T00:00:00Z, BK-141 start",
        "/Slot?start=ge%2B294277-01-01T00:00:00Z, BK-141 start",
        "/Slot?start=ge-4713-01-01T00:00:00Z, BK-141 start",
        "/Slot?start=lt0000-12-31, BK-141 start",
        "/Appointment?date=ge%2B999999999-12-31T00:00:00Z, BK-141 date"})
    void searchInstantOutsideFhirYearsIs400(String query, String outcome) {
        assertRefused(http.get(query, ADMIN), 400, outcome);
    }

    @Test
    void searchAtTheEdgesOfFhirYearsAndOffsetsIsAnswered() {
        HttpResponse<String> response = http.get("/Slot?start=ge0001-01-01T00:00:00%2B14:00"
                + "&start=le9999-12-31T23:59:59-12:00&_count=1", ADMIN);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        R4Validator.assertValid(response.body());
    }

    @Test
    void countZeroHasNoNextLinkToItself() {
        givenFreeSlot(81);

        HttpResponse<String> response = http.get("/Slot?_count=0", ADMIN);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).path("entry").size()).isZero();
        assertThat(json(response).findValuesAsText("relation")).containsExactly("self");
    }

    @Test
    void bodyOverTheLimitIs413() {
        String slot = givenFreeSlot(82);
        String huge = appointment("p-h1", slot).replace("\"status\":\"booked\",",
                "\"status\":\"booked\",\"comment\":\"" + "x".repeat(4 * 1024 * 1024) + "\",");

        HttpResponse<String> response = http.post("/Appointment", patientToken("p-h1"), huge);

        assertRefused(response, 413, "BK-413 Appointment");
        assertThat(json(http.get("/Slot/" + slot, ADMIN)).path("status").asText()).isEqualTo("free");
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {"\"valueString\":\"thirty\"", "\"valueDecimal\":99999999999",
        "\"valueDecimal\":30.5"})
    void slotMinutesThatIsNoIntegerIs400(String value) {
        String schedule = unique("sched");
        givenSchedule(schedule, "UTC", java.util.List.of());
        String template = "{\"resourceType\":\"Parameters\",\"parameter\":["
                + "{\"name\":\"start\",\"valueDate\":\"2030-01-07\"},{\"name\":\"end\",\"valueDate\":\"2030-01-08\"},"
                + "{\"name\":\"slotMinutes\"," + value + "},"
                + "{\"name\":\"availableTime\",\"part\":[{\"name\":\"daysOfWeek\",\"valueCode\":\"mon\"},"
                + "{\"name\":\"availableStartTime\",\"valueTime\":\"08:00:00\"},"
                + "{\"name\":\"availableEndTime\",\"valueTime\":\"09:00:00\"}]}]}";

        HttpResponse<String> response = http.post("/Schedule/" + schedule + "/$generate-slots", ADMIN, template);

        assertRefused(response, 400, "BK-163 Parameters.parameter.where(name='slotMinutes')");
    }

    private static void assertRefused(HttpResponse<String> response, int status, String outcome) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/fhir+json");
        assertThat(outcome(response)).isEqualTo(outcome);
        R4Validator.assertValid(response.body());
    }
}
