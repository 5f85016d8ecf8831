package org.clinicalfunctions.booking;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * The next fall-back night of America/New_York (first Sunday of November): the hour 01:00-02:00 happens twice,
 * once at -04:00 and once at -05:00. Both are bookable, stored and returned with their own instants, and the
 * template generated over the change neither loses nor duplicates a slot.
 */
class DaylightSavingBookingTests extends BookingTestBase {

    private static final LocalDate FALL_BACK = nextFallBack();

    @Test
    void bothOneThirtiesOfTheFallBackNightAreBookedWithTheirOwnInstants() {
        String schedule = unique("ny-night");
        String edt = FALL_BACK + "T01:30:00-04:00";
        String est = FALL_BACK + "T01:30:00-05:00";
        givenSchedule(schedule, "America/New_York", List.of(
                new String[] {schedule + "-edt", edt, FALL_BACK + "T01:00:00-05:00"},
                new String[] {schedule + "-est", est, FALL_BACK + "T02:00:00-05:00"}));

        HttpResponse<String> first = book("p-dst-1", schedule + "-edt");
        HttpResponse<String> second = book("p-dst-2", schedule + "-est");

        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        assertThat(second.statusCode()).as(second.body()).isEqualTo(201);
        assertThat(json(first).path("start").asText()).isEqualTo(edt);
        assertThat(json(second).path("start").asText()).isEqualTo(est);
        String id = json(second).path("id").asText();
        assertThat(json(http.get("/Appointment/" + id, ADMIN)).path("start").asText()).isEqualTo(est);
        assertThat(jdbc.queryForObject("select start_at from booking_appointment where id = ?",
                OffsetDateTime.class, id).toInstant()).isEqualTo(Instant.parse(FALL_BACK + "T06:30:00Z"));
        R4Validator.assertValid(second.body());
    }

    @Test
    void templateAcrossTheChangeNeitherLosesNorDuplicatesSlots() {
        String schedule = unique("ny-clinic");
        givenSchedule(schedule, "America/New_York", List.of());
        String template = "{\"resourceType\":\"Parameters\",\"parameter\":["
                + "{\"name\":\"start\",\"valueDate\":\"" + FALL_BACK.minusDays(1) + "\"},"
                + "{\"name\":\"end\",\"valueDate\":\"" + FALL_BACK.plusDays(1) + "\"},"
                + "{\"name\":\"slotMinutes\",\"valueInteger\":30},"
                + "{\"name\":\"availableTime\",\"part\":[{\"name\":\"daysOfWeek\",\"valueCode\":\"sat\"},"
                + "{\"name\":\"daysOfWeek\",\"valueCode\":\"sun\"},"
                + "{\"name\":\"availableStartTime\",\"valueTime\":\"00:00:00\"},"
                + "{\"name\":\"availableEndTime\",\"valueTime\":\"03:00:00\"}]}]}";

        HttpResponse<String> generated = http.post("/Schedule/" + schedule + "/$generate-slots", ADMIN, template);
        HttpResponse<String> again = http.post("/Schedule/" + schedule + "/$generate-slots", ADMIN, template);

        // Saturday 00:00-03:00 is 3 h (6 slots); Sunday 00:00-03:00 local is 4 h of real time (8 slots).
        assertThat(generated.statusCode()).as(generated.body()).isEqualTo(200);
        assertThat(generated.body()).contains("\"name\":\"created\",\"valueInteger\":14");
        assertThat(again.body()).contains("\"name\":\"created\",\"valueInteger\":0",
                "\"name\":\"existing\",\"valueInteger\":14");
        List<String> starts = slotStarts(schedule);
        assertThat(starts).hasSize(14).doesNotHaveDuplicates()
                .contains(FALL_BACK + "T01:00:00-04:00", FALL_BACK + "T01:30:00-04:00",
                        FALL_BACK + "T01:00:00-05:00", FALL_BACK + "T01:30:00-05:00", FALL_BACK + "T02:30:00-05:00");
    }

    private List<String> slotStarts(String schedule) {
        HttpResponse<String> page = http.get("/Slot?schedule=Schedule/" + schedule + "&_count=100", ADMIN);
        R4Validator.assertValid(page.body());
        List<String> starts = new ArrayList<>();
        for (JsonNode entry : json(page).path("entry")) {
            starts.add(entry.path("resource").path("start").asText());
        }
        return starts;
    }

    private static LocalDate nextFallBack() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate candidate = today.withMonth(11).with(TemporalAdjusters.firstInMonth(DayOfWeek.SUNDAY));
        return candidate.isAfter(today.plusDays(1)) ? candidate
                : today.plusYears(1).withMonth(11).with(TemporalAdjusters.firstInMonth(DayOfWeek.SUNDAY));
    }
}
