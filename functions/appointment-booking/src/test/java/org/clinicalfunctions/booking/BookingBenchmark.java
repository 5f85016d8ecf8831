package org.clinicalfunctions.booking;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/**
 * Bookings per second and latency with 64 concurrent portal clients over real HTTP and PostgreSQL, each with its
 * own patient token, each booking the next free slot of one large schedule. Not part of the build (its name does
 * not end in Tests); run it with
 * {@code ./mvnw -B -ntp -pl functions/appointment-booking -am verify -Dtest=BookingBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class BookingBenchmark extends BookingTestBase {

    private static final int CLIENTS = 64;
    private static final Duration WARM_UP = Duration.ofSeconds(10);
    private static final Duration MEASURED = Duration.ofSeconds(30);

    @Test
    void bookingsPerSecondAndP99() throws Exception {
        String schedule = unique("bench");
        List<String> slots = generateSlots(schedule);
        AtomicInteger next = new AtomicInteger();

        run(slots, next, WARM_UP, new ArrayList<>());
        List<long[]> latencies = new ArrayList<>();
        int before = next.get();
        long started = System.nanoTime();
        int[] outcome = run(slots, next, MEASURED, latencies);
        double seconds = (System.nanoTime() - started) / 1e9;

        long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        String report = String.format("clients=%d booked=%d conflicts=%d other=%d seconds=%.1f bookings/s=%.0f"
                + " p50=%.1fms p99=%.1fms max=%.1fms", CLIENTS, outcome[0], outcome[1], outcome[2], seconds,
                outcome[0] / seconds, all[all.length / 2] / 1e6, all[(int) (all.length * 0.99)] / 1e6,
                all[all.length - 1] / 1e6);
        System.out.println("BENCHMARK " + report);
        assertThat(outcome[2]).isZero();
        assertThat(next.get() - before).isGreaterThanOrEqualTo(outcome[0]);
        assertThat(jdbc.queryForObject("select count(*) from (select slot_id from booking_appointment"
                + " where status = 'booked' group by slot_id having count(*) > 1) doubled", Integer.class)).isZero();
    }

    /** Each client books slots[next++] until the time is up; answers booked, 409s and anything else. */
    private int[] run(List<String> slots, AtomicInteger next, Duration length, List<long[]> latencies)
            throws Exception {
        long end = System.nanoTime() + length.toNanos();
        AtomicInteger booked = new AtomicInteger();
        AtomicInteger conflicts = new AtomicInteger();
        AtomicInteger other = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<long[]>> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            String patient = "p-bench-" + c;
            String token = patientToken(patient);
            clients.add(pool.submit(() -> {
                long[] times = new long[200_000];
                int n = 0;
                while (System.nanoTime() < end) {
                    int index = next.getAndIncrement();
                    if (index >= slots.size()) {
                        break;
                    }
                    long sent = System.nanoTime();
                    HttpResponse<String> response = http.post("/Appointment", token,
                            appointment(patient, slots.get(index)));
                    times[n++] = System.nanoTime() - sent;
                    int status = response.statusCode();
                    (status == 201 ? booked : status == 409 ? conflicts : other).incrementAndGet();
                }
                return Arrays.copyOf(times, n);
            }));
        }
        for (Future<long[]> client : clients) {
            latencies.add(client.get());
        }
        pool.shutdown();
        return new int[] {booked.get(), conflicts.get(), other.get()};
    }

    /** Five-minute slots around the clock for 100 days: 28,700 free slots. */
    private List<String> generateSlots(String schedule) {
        givenSchedule(schedule, "UTC", List.of());
        LocalDate from = LocalDate.now(ZoneOffset.UTC).plusDays(2);
        String template = "{\"resourceType\":\"Parameters\",\"parameter\":["
                + "{\"name\":\"start\",\"valueDate\":\"" + from + "\"},"
                + "{\"name\":\"end\",\"valueDate\":\"" + from.plusDays(100) + "\"},"
                + "{\"name\":\"slotMinutes\",\"valueInteger\":5},"
                + "{\"name\":\"availableTime\",\"part\":[" + allDays()
                + "{\"name\":\"availableStartTime\",\"valueTime\":\"00:00:00\"},"
                + "{\"name\":\"availableEndTime\",\"valueTime\":\"23:55:00\"}]}]}";
        HttpResponse<String> generated = http.post("/Schedule/" + schedule + "/$generate-slots", ADMIN, template);
        assertThat(generated.statusCode()).as(generated.body()).isEqualTo(200);
        return jdbc.queryForList("select id from booking_slot where schedule_id = ? order by start_at",
                String.class, schedule);
    }

    private static String allDays() {
        StringBuilder days = new StringBuilder();
        for (String day : List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun")) {
            days.append("{\"name\":\"daysOfWeek\",\"valueCode\":\"").append(day).append("\"},");
        }
        return days.toString();
    }
}
