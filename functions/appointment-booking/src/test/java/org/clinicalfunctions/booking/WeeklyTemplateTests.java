package org.clinicalfunctions.booking;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.EnumSet;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Slots from a weekly template across America/New_York's daylight-saving changes of 2026. */
class WeeklyTemplateTests {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final DateTimeFormatter OFFSET_TIME = new DateTimeFormatterBuilder().appendPattern("MM-dd'T'HH:mm")
            .appendOffset("+HH:MM", "Z").toFormatter();

    @Test
    void fallBackNightHoldsFiveHoursBetweenMidnightAndFour() {
        List<WeeklyTemplate.Period> periods = overnight().periods(LocalDate.of(2026, 11, 1), LocalDate.of(2026, 11, 2));

        assertThat(periods).hasSize(5);
        assertThat(periods).extracting(p -> p.start().format(OFFSET_TIME)).containsExactly(
                "11-01T00:00-04:00", "11-01T01:00-04:00", "11-01T01:00-05:00", "11-01T02:00-05:00",
                "11-01T03:00-05:00");
        assertContiguous(periods);
    }

    @Test
    void springForwardNightHoldsThreeHours() {
        List<WeeklyTemplate.Period> periods = overnight().periods(LocalDate.of(2026, 3, 8), LocalDate.of(2026, 3, 9));

        assertThat(periods).extracting(p -> p.start().format(OFFSET_TIME)).containsExactly(
                "03-08T00:00-05:00", "03-08T01:00-05:00", "03-08T03:00-04:00");
        assertContiguous(periods);
    }

    @Test
    void dayTimeHoursKeepTheirLocalTimesAcrossTheChange() {
        WeeklyTemplate clinic = new WeeklyTemplate(NEW_YORK, Duration.ofMinutes(30), List.of(new WeeklyTemplate.Hours(
                EnumSet.allOf(DayOfWeek.class), LocalTime.of(8, 0), LocalTime.of(10, 0))));

        List<WeeklyTemplate.Period> periods = clinic.periods(LocalDate.of(2026, 10, 31), LocalDate.of(2026, 11, 2));

        assertThat(periods).hasSize(8);
        assertThat(periods).extracting(p -> p.start().format(OFFSET_TIME)).startsWith("10-31T08:00-04:00")
                .contains("11-01T08:00-05:00", "11-01T09:30-05:00");
    }

    private static WeeklyTemplate overnight() {
        return new WeeklyTemplate(NEW_YORK, Duration.ofHours(1), List.of(new WeeklyTemplate.Hours(
                EnumSet.of(DayOfWeek.SUNDAY), LocalTime.MIDNIGHT, LocalTime.of(4, 0))));
    }

    private static void assertContiguous(List<WeeklyTemplate.Period> periods) {
        for (int i = 1; i < periods.size(); i++) {
            assertThat(periods.get(i).start().toInstant()).isEqualTo(periods.get(i - 1).end().toInstant());
        }
        assertThat(periods).extracting(p -> p.start().toInstant()).doesNotHaveDuplicates();
    }
}
