package org.clinicalfunctions.booking;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A Schedule's weekly opening hours, turned into slot periods in the Schedule's time zone. Each day's window is
 * placed on the calendar first (local start and end to instants), then cut into slots of equal real duration:
 * on the night clocks go back, a window 00:00-04:00 holds five hours of slots, on the night they go forward
 * three, and no instant is produced twice. A local time that does not exist (02:30 on the spring-forward night)
 * moves forward by the gap, as {@link ZonedDateTime#of} does; an ambiguous one takes the earlier offset.
 *
 * @param zone the Schedule's zone
 * @param slotLength the length of each slot
 * @param hours the opening hours per day of week
 */
record WeeklyTemplate(ZoneId zone, Duration slotLength, List<Hours> hours) {

    /**
     * Opening hours on some days of the week; {@code end} before {@code start} runs over midnight.
     *
     * @param days the days this window opens on
     * @param start local opening time
     * @param end local closing time
     */
    record Hours(Set<DayOfWeek> days, LocalTime start, LocalTime end) {
    }

    /** A slot's start and end, with the zone's offset at each. */
    record Period(ZonedDateTime start, ZonedDateTime end) {
    }

    /** Every slot from day {@code first} up to, not including, day {@code until}, in time order. */
    List<Period> periods(LocalDate first, LocalDate until) {
        List<Period> periods = new ArrayList<>();
        for (LocalDate day = first; day.isBefore(until); day = day.plusDays(1)) {
            for (Hours window : hours) {
                if (window.days().contains(day.getDayOfWeek())) {
                    cut(day, window, periods);
                }
            }
        }
        periods.sort((a, b) -> a.start().toInstant().compareTo(b.start().toInstant()));
        return periods;
    }

    private void cut(LocalDate day, Hours window, List<Period> periods) {
        ZonedDateTime open = ZonedDateTime.of(day, window.start(), zone);
        LocalDate closingDay = window.end().isAfter(window.start()) ? day : day.plusDays(1);
        ZonedDateTime close = ZonedDateTime.of(closingDay, window.end(), zone);
        for (ZonedDateTime start = open; !start.plus(slotLength).isAfter(close); start = start.plus(slotLength)) {
            // plus(Duration) on ZonedDateTime adds real time: the offset changes with the instant.
            periods.add(new Period(start, start.plus(slotLength)));
        }
    }
}
