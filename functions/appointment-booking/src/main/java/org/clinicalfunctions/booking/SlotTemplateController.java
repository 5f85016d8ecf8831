package org.clinicalfunctions.booking;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TimeZone;
import java.util.UUID;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import org.clinicalfunctions.auth.Caller;
import org.clinicalfunctions.auth.Grant;
import org.clinicalfunctions.auth.Interaction;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Slot;
import org.hl7.fhir.r4.model.Slot.SlotStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /Schedule/{id}/$generate-slots}: free Slots from a weekly template, in the Schedule's time zone.
 * Slot ids derive from the Schedule and the start instant, so running the template again adds only what is
 * missing and never duplicates a slot.
 *
 * <p>Input Parameters: {@code start} and {@code end} (valueDate, end excluded), {@code slotMinutes}
 * (valueInteger), optional {@code serviceType} (valueCodeableConcept), and one {@code availableTime} per window
 * with parts {@code daysOfWeek} (valueCode mon..sun, repeated), {@code availableStartTime} and
 * {@code availableEndTime} (valueTime), as in PractitionerRole.availableTime.
 */
@RestController
public class SlotTemplateController {

    private static final Logger log = LoggerFactory.getLogger(SlotTemplateController.class);
    private static final int MAX_DAYS = 366;
    private static final Map<String, DayOfWeek> DAYS = Map.of("mon", DayOfWeek.MONDAY, "tue", DayOfWeek.TUESDAY,
            "wed", DayOfWeek.WEDNESDAY, "thu", DayOfWeek.THURSDAY, "fri", DayOfWeek.FRIDAY,
            "sat", DayOfWeek.SATURDAY, "sun", DayOfWeek.SUNDAY);

    private final SlotRecords records;
    private final SlotResources resources;
    private final FhirJson fhir;

    public SlotTemplateController(SlotRecords records, SlotResources resources, FhirJson fhir) {
        this.records = records;
        this.resources = resources;
        this.fhir = fhir;
    }

    @PostMapping("/Schedule/{id}/$generate-slots")
    @Transactional
    public ResponseEntity<String> generate(Caller caller, @PathVariable String id,
            InputStream body) {
        Grant grant = caller.require("Slot", Interaction.CREATE);
        if (grant.boundPatient().isPresent()) {
            throw BookingProblem.unprocessable("BK-160", "Slot", "patients do not publish availability");
        }
        Parameters input = fhir.parse(Parameters.class, body);
        ZoneId zone = ZoneId.of(records.lockScheduleTimeZone(id)
                .orElseThrow(() -> BookingProblem.notFound("Schedule")));
        LocalDate first = date(input, "start");
        LocalDate until = date(input, "end");
        if (!until.isAfter(first) || until.isAfter(first.plusDays(MAX_DAYS))) {
            throw BookingProblem.invalid("BK-161", "Parameters.parameter.where(name='end')",
                    "end must be after start and at most " + MAX_DAYS + " days later");
        }
        WeeklyTemplate template = new WeeklyTemplate(zone, Duration.ofMinutes(slotMinutes(input)), hours(input));

        int created = 0;
        List<WeeklyTemplate.Period> periods = template.periods(first, until);
        for (WeeklyTemplate.Period period : free(id, periods)) {
            Slot slot = slot(id, period, serviceType(input));
            SlotRecord record = new SlotRecord(slot.getIdElement().getIdPart(), id, "free",
                    period.start().toInstant(), period.end().toInstant(), 1, null, resources.storedText(slot));
            created += records.insertSlot(record, AvailabilityWriter.serviceTypes(slot)) ? 1 : 0;
        }
        log.info("slots generated schedule={} created={} existing={}", id, created, periods.size() - created);
        Parameters output = new Parameters();
        output.addParameter("created", created);
        output.addParameter("existing", periods.size() - created);
        return ResponseEntity.ok().header("Content-Type", FhirJson.CONTENT_TYPE).body(fhir.encode(output));
    }

    /**
     * The periods that overlap none of the schedule's slots: a template never puts a second slot beside one the EHR
     * published, or beside an earlier generation's. Both lists are in start order, so one pass suffices: a period
     * overlaps a slot when the latest end among the slots starting before the period ends is after its start.
     */
    private List<WeeklyTemplate.Period> free(String scheduleId, List<WeeklyTemplate.Period> generated) {
        if (generated.isEmpty()) {
            return generated;
        }
        List<WeeklyTemplate.Period> periods = generated.stream()
                .sorted(Comparator.comparing(period -> period.start().toInstant())).toList();
        List<Instant[]> taken = records.slotTimes(scheduleId, periods.get(0).start().toInstant(),
                periods.get(periods.size() - 1).end().toInstant());
        List<WeeklyTemplate.Period> free = new ArrayList<>();
        Instant latestEnd = Instant.MIN;
        int next = 0;
        for (WeeklyTemplate.Period period : periods) {
            Instant start = period.start().toInstant();
            Instant end = period.end().toInstant();
            for (; next < taken.size() && taken.get(next)[0].isBefore(end); next++) {
                latestEnd = taken.get(next)[1].isAfter(latestEnd) ? taken.get(next)[1] : latestEnd;
            }
            if (!latestEnd.isAfter(start)) {
                free.add(period);
            }
        }
        return free;
    }

    private static Slot slot(String scheduleId, WeeklyTemplate.Period period, CodeableConcept serviceType) {
        String key = scheduleId + "|" + period.start().toInstant();
        Slot slot = new Slot();
        slot.setId(UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString());
        slot.setSchedule(new Reference("Schedule/" + scheduleId));
        slot.setStatus(SlotStatus.FREE);
        slot.setStartElement(instant(period.start().toInstant(), period.start().getOffset()));
        slot.setEndElement(instant(period.end().toInstant(), period.end().getOffset()));
        if (serviceType != null) {
            slot.addServiceType(serviceType);
        }
        return slot;
    }

    /** An instant written with the zone's offset at that moment, e.g. 01:30:00-04:00 then 01:30:00-05:00. */
    private static InstantType instant(Instant instant, ZoneOffset offset) {
        return new InstantType(Date.from(instant), TemporalPrecisionEnum.SECOND,
                TimeZone.getTimeZone(offset));
    }

    private static LocalDate date(Parameters input, String name) {
        ParametersParameterComponent parameter = input.getParameter(name);
        if (parameter == null || !parameter.hasValue()) {
            throw BookingProblem.invalid("BK-162", "Parameters.parameter.where(name='" + name + "')",
                    name + " (valueDate) is required");
        }
        try {
            return LocalDate.parse(parameter.getValue().primitiveValue());
        } catch (DateTimeParseException e) {
            throw BookingProblem.invalid("BK-162", "Parameters.parameter.where(name='" + name + "')",
                    name + " must be a full date");
        }
    }

    private static int slotMinutes(Parameters input) {
        ParametersParameterComponent parameter = input.getParameter("slotMinutes");
        int minutes;
        try {
            minutes = parameter == null || !parameter.hasValue() ? 0
                    : Integer.parseInt(parameter.getValue().primitiveValue());
        } catch (NumberFormatException e) {
            // a valueString, a valueDecimal or a number past an int: as unusable as a missing one
            minutes = 0;
        }
        if (minutes < 5 || minutes > 24 * 60) {
            throw BookingProblem.invalid("BK-163", "Parameters.parameter.where(name='slotMinutes')",
                    "slotMinutes (valueInteger) between 5 and 1440 is required");
        }
        return minutes;
    }

    private static CodeableConcept serviceType(Parameters input) {
        ParametersParameterComponent parameter = input.getParameter("serviceType");
        return parameter != null && parameter.getValue() instanceof CodeableConcept concept ? concept : null;
    }

    private static List<WeeklyTemplate.Hours> hours(Parameters input) {
        List<WeeklyTemplate.Hours> hours = new ArrayList<>();
        for (ParametersParameterComponent window : input.getParameters("availableTime")) {
            Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
            LocalTime start = null;
            LocalTime end = null;
            for (ParametersParameterComponent part : window.getPart()) {
                String value = part.hasValue() ? part.getValue().primitiveValue() : null;
                try {
                    switch (part.getName()) {
                        case "daysOfWeek" -> days.add(DAYS.get(value));
                        case "availableStartTime" -> start = LocalTime.parse(value);
                        case "availableEndTime" -> end = LocalTime.parse(value);
                        default -> { }
                    }
                } catch (DateTimeException | NullPointerException e) {
                    throw windowProblem();
                }
            }
            if (days.isEmpty() || days.contains(null) || start == null || end == null || start.equals(end)) {
                throw windowProblem();
            }
            hours.add(new WeeklyTemplate.Hours(days, start, end));
        }
        if (hours.isEmpty()) {
            throw windowProblem();
        }
        return hours;
    }

    private static BookingProblem windowProblem() {
        return BookingProblem.invalid("BK-164", "Parameters.parameter.where(name='availableTime')",
                "each availableTime needs daysOfWeek (mon..sun), availableStartTime and availableEndTime");
    }
}
