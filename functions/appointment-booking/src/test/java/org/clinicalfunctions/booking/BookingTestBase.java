package org.clinicalfunctions.booking;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** One running function (real HTTP, real PostgreSQL) shared by the HTTP test classes, and their vocabulary. */
@SpringBootTest(classes = AppointmentBookingApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
abstract class BookingTestBase {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String PATIENT_SCOPES = "patient/Appointment.cruds patient/Slot.rs";
    static final String ADMIN = TestPlatform.TOKENS.application(List.of("system/Schedule.cu", "system/Slot.cruds",
            "system/Appointment.cruds"));

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    BookingHttpClient http;

    @DynamicPropertySource
    static void platform(DynamicPropertyRegistry registry) {
        TestPlatform.register(registry);
    }

    @BeforeEach
    void client() {
        http = new BookingHttpClient(port);
        TestPlatform.stubDefaults();
    }

    static String patientToken(String patientId) {
        return TestPlatform.TOKENS.patient(patientId, PATIENT_SCOPES);
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static final DateTimeFormatter INSTANT = new DateTimeFormatterBuilder().appendPattern("yyyy-MM-dd'T'HH:mm:ss")
            .appendOffset("+HH:MM", "Z").toFormatter();

    /** A whole hour, {@code hours} hours from now, in UTC. */
    static OffsetDateTime hoursAhead(int hours) {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.HOURS).plusHours(hours);
    }

    /** Publishes a Schedule in {@code zone} and its free slots (start, end pairs as FHIR instants). */
    void givenSchedule(String scheduleId, String zone, List<String[]> slots) {
        StringBuilder entries = new StringBuilder("{\"resource\":{\"resourceType\":\"Schedule\",\"id\":\""
                + scheduleId + "\",\"extension\":[{\"url\":\"" + AvailabilityWriter.TIME_ZONE_EXTENSION
                + "\",\"valueCode\":\"" + zone + "\"}],\"active\":true,\"actor\":[{\"reference\":"
                + "\"Practitioner/dr-1\"}]},\"request\":{\"method\":\"PUT\",\"url\":\"Schedule/" + scheduleId + "\"}}");
        for (String[] slot : slots) {
            entries.append(",").append(slotEntry(slot[0], scheduleId, slot[1], slot[2]));
        }
        HttpResponse<String> response = http.post("/", ADMIN,
                "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[" + entries + "]}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    static String slotEntry(String id, String scheduleId, String start, String end) {
        return "{\"resource\":{\"resourceType\":\"Slot\",\"id\":\"" + id + "\",\"schedule\":{\"reference\":"
                + "\"Schedule/" + scheduleId + "\"},\"serviceType\":[{\"coding\":[{\"system\":"
                + "\"http://terminology.hl7.org/CodeSystem/service-type\",\"code\":\"124\"}]}],\"status\":\"free\","
                + "\"start\":\"" + start + "\",\"end\":\"" + end + "\"},\"request\":{\"method\":\"PUT\",\"url\":"
                + "\"Slot/" + id + "\"}}";
    }

    static String appointment(String patientId, String slotId) {
        return "{\"resourceType\":\"Appointment\",\"status\":\"booked\",\"slot\":[{\"reference\":\"Slot/" + slotId
                + "\"}],\"participant\":[{\"actor\":{\"reference\":\"Patient/" + patientId + "\"},"
                + "\"status\":\"accepted\"}]}";
    }

    /** One free slot of an hour, {@code hours} from now, on a new schedule; answers the slot id. */
    String givenFreeSlot(int hours) {
        String schedule = unique("sched");
        String slot = unique("slot");
        OffsetDateTime start = hoursAhead(hours);
        givenSchedule(schedule, "UTC", List.<String[]>of(new String[] {slot, INSTANT.format(start),
            INSTANT.format(start.plusMinutes(30))}));
        return slot;
    }

    HttpResponse<String> book(String patientId, String slotId) {
        return http.post("/Appointment", patientToken(patientId), appointment(patientId, slotId));
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The stable code of an OperationOutcome answer, e.g. BK-201, and its FHIRPath. */
    static String outcome(HttpResponse<String> response) {
        JsonNode issue = json(response).path("issue").path(0);
        return issue.path("diagnostics").asText().split(" ", 2)[0] + " " + issue.path("expression").path(0).asText();
    }
}
