package org.clinicalfunctions.booking;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Bookings are timed per answer status for the operators' dashboards, and nothing of the booking (patient, slot,
 * appointment) becomes a tag.
 */
class BookingMetricsTests extends BookingTestBase {

    @Autowired
    MeterRegistry registry;

    @Test
    void bookingsAreTimedByStatusWithoutPatientOrSlot() throws InterruptedException {
        String slot = givenFreeSlot(90);
        long booked = count("201");
        long conflicts = count("409");

        assertThat(book("p-metrics-1", slot).statusCode()).isEqualTo(201);
        assertThat(book("p-metrics-2", slot).statusCode()).isEqualTo(409);

        assertThat(awaitCount("201", booked + 1)).isEqualTo(booked + 1);
        assertThat(awaitCount("409", conflicts + 1)).isEqualTo(conflicts + 1);
        assertThat(registry.getMeters()).flatExtracting(meter -> meter.getId().getTags()).extracting(Tag::getValue)
                .noneMatch(value -> value.contains("p-metrics") || value.contains(slot));
    }

    /** The timer records once the answer is written, a moment after the client may have read it. */
    private long awaitCount(String status, long expected) throws InterruptedException {
        for (int i = 0; i < 100 && count(status) < expected; i++) {
            Thread.sleep(20);
        }
        return count(status);
    }

    private long count(String status) {
        Timer timer = registry.find(BookingTimer.NAME).tag("status", status).timer();
        return timer == null ? 0 : timer.count();
    }
}
