package org.clinicalfunctions.booking;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GET /Slot: free only by default, start ranges with offsets, service-type, and paging links. */
class SlotSearchTests extends BookingTestBase {

    private String schedule;
    private OffsetDateTime first;

    @BeforeEach
    void fiveSlots() {
        schedule = unique("search");
        first = hoursAhead(100);
        List<String[]> slots = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            slots.add(new String[] {schedule + "-" + i, INSTANT.format(first.plusHours(i)),
                INSTANT.format(first.plusHours(i).plusMinutes(30))});
        }
        givenSchedule(schedule, "Europe/Paris", slots);
    }

    @Test
    void freeSlotsOnlyByDefault() {
        book("p-s1", schedule + "-1");

        assertThat(ids("/Slot?schedule=" + schedule)).containsExactly(schedule + "-0", schedule + "-2",
                schedule + "-3", schedule + "-4");
        assertThat(ids("/Slot?schedule=" + schedule + "&status=busy")).containsExactly(schedule + "-1");
    }

    @Test
    void startRangeComparesInstantsWhateverTheOffset() {
        String from = first.plusHours(1).withOffsetSameInstant(java.time.ZoneOffset.ofHours(9)).format(INSTANT);
        String to = first.plusHours(3).withOffsetSameInstant(java.time.ZoneOffset.ofHours(-7)).format(INSTANT);

        List<String> ids = ids("/Slot?schedule=" + schedule + "&start=ge" + from.replace("+", "%2B")
                + "&start=lt" + to.replace("+", "%2B"));

        assertThat(ids).containsExactly(schedule + "-1", schedule + "-2");
    }

    @Test
    void serviceTypeMatchesCodeOrSystemAndCode() {
        assertThat(ids("/Slot?schedule=" + schedule + "&service-type=124")).hasSize(5);
        assertThat(ids("/Slot?schedule=" + schedule
                + "&service-type=http://terminology.hl7.org/CodeSystem/service-type%7C124")).hasSize(5);
        assertThat(ids("/Slot?schedule=" + schedule + "&service-type=57")).isEmpty();
    }

    @Test
    void pagesFollowNextLinks() {
        HttpResponse<String> page = http.get("/Slot?schedule=" + schedule + "&_count=2", patientToken("p-s2"));
        List<String> seen = new ArrayList<>();
        int pages = 0;
        while (page != null) {
            pages++;
            R4Validator.assertValid(page.body());
            json(page).path("entry").forEach(e -> seen.add(e.path("resource").path("id").asText()));
            String next = link(json(page), "next");
            page = next == null ? null : http.get(URI.create(next).getRawPath() + "?" + URI.create(next).getRawQuery(),
                    patientToken("p-s2"));
        }

        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactly(schedule + "-0", schedule + "-1", schedule + "-2", schedule + "-3",
                schedule + "-4");
    }

    @Test
    void startWithoutOffsetIs400() {
        HttpResponse<String> response = http.get("/Slot?start=ge2030-01-01T10:00:00", ADMIN);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(outcome(response)).isEqualTo("BK-141 start");
    }

    @Test
    void countThatIsNoNumberIs400() {
        HttpResponse<String> response = http.get("/Slot?_count=ten", ADMIN);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(outcome(response)).isEqualTo("BK-144 _count");
    }

    private List<String> ids(String path) {
        HttpResponse<String> response = http.get(path, ADMIN);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        json(response).path("entry").forEach(e -> ids.add(e.path("resource").path("id").asText()));
        return ids;
    }

    private static String link(JsonNode bundle, String relation) {
        for (JsonNode link : bundle.path("link")) {
            if (relation.equals(link.path("relation").asText())) {
                return link.path("url").asText();
            }
        }
        return null;
    }
}
