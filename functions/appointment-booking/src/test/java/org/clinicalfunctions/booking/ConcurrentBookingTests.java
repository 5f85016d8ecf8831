package org.clinicalfunctions.booking;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/**
 * 64 portal clients, each with its own patient token, try to book the same 100 slots at once over real HTTP,
 * every client every slot in its own random order. Proves the database lets each slot be booked exactly once
 * and that every loser gets 409 with the OperationOutcome saying so.
 */
class ConcurrentBookingTests extends BookingTestBase {

    private static final int CLIENTS = 64;
    private static final int SLOTS = 100;

    @Test
    void eachSlotIsBookedExactlyOnceAndEveryLoserGets409() throws Exception {
        String schedule = unique("busy-clinic");
        List<String> slotIds = new ArrayList<>();
        List<String[]> slots = new ArrayList<>();
        OffsetDateTime first = hoursAhead(24);
        for (int i = 0; i < SLOTS; i++) {
            String id = schedule + "-" + i;
            slotIds.add(id);
            slots.add(new String[] {id, INSTANT.format(first.plusMinutes(15L * i)),
                INSTANT.format(first.plusMinutes(15L * i + 15))});
        }
        givenSchedule(schedule, "Europe/Berlin", slots);

        Map<String, List<String>> winners = new ConcurrentHashMap<>();
        AtomicInteger conflicts = new AtomicInteger();
        List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            String patient = "p-race-" + c;
            List<String> order = new ArrayList<>(slotIds);
            Collections.shuffle(order, new Random(c));
            done.add(clients.submit(() -> {
                start.await();
                for (String slot : order) {
                    HttpResponse<String> response = book(patient, slot);
                    if (response.statusCode() == 201) {
                        winners.computeIfAbsent(slot, k -> Collections.synchronizedList(new ArrayList<>()))
                                .add(json(response).path("id").asText());
                    } else if (response.statusCode() == 409 && outcome(response).startsWith("BK-201 ")) {
                        conflicts.incrementAndGet();
                    } else {
                        unexpected.add(response.statusCode() + " " + response.body());
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> client : done) {
            client.get();
        }
        clients.shutdown();

        assertThat(unexpected).isEmpty();
        assertThat(winners).hasSize(SLOTS).allSatisfy((slot, ids) -> assertThat(ids).hasSize(1));
        assertThat(conflicts.get()).isEqualTo(CLIENTS * SLOTS - SLOTS);
        assertThat(jdbc.queryForObject("select count(*) from booking_appointment a join booking_slot s"
                + " on s.id = a.slot_id where s.schedule_id = ? and a.status = 'booked'", Integer.class, schedule))
                .isEqualTo(SLOTS);
        assertThat(jdbc.queryForObject("select count(*) from booking_slot where schedule_id = ? and status = 'busy'",
                Integer.class, schedule)).isEqualTo(SLOTS);
    }
}
