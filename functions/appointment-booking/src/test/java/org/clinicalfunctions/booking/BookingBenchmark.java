package org.clinicalfunctions.booking;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;

/**
 * Bookings per second and latency with 64 concurrent portal clients over real HTTP and PostgreSQL, each with its
 * own patient token, each booking the next free slot of a large schedule, measured three ways in one run:
 * <ol>
 * <li>closed loop: each client sends its next booking as soon as the last one is answered, for 30 s after a
 * 10 s warm-up; this gives the highest throughput, and a latency that is 64 / throughput on average;</li>
 * <li>open loop: the 64 clients together offer 1,000 bookings/s, each on its own fixed schedule (one booking
 * every 64 ms, the clients 1 ms apart), for 30 s after 5 s unrecorded; then the same at 750 bookings/s. Latency
 * is counted from the moment a booking was due, not from when it was sent, so a client held up by a slow answer
 * is not left out of the figures (coordinated omission).</li>
 * </ol>
 * Then it waits for the outbox to empty and checks that the broker (the loopback ingress, which reads every event
 * with the CloudEvents SDK) took exactly one event per booking answered 201.
 * PostgreSQL commits durably ({@code synchronous_commit = on}, see {@link TestPlatform}). Not part of the build
 * (its name does not end in Tests); run it with
 * {@code ./mvnw -B -ntp -pl functions/appointment-booking -am verify -Dtest=BookingBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class BookingBenchmark extends BookingTestBase {

    private static final int CLIENTS = 64;
    private static final Duration WARM_UP = Duration.ofSeconds(10);
    private static final Duration MEASURED = Duration.ofSeconds(30);
    /** The target rate, then one below the closed loop's throughput, to show latency short of saturation. */
    private static final List<Integer> OFFERED_PER_SECOND = List.of(1000, 750);
    private static final Duration OPEN_SETTLING = Duration.ofSeconds(5);
    private static final Duration OUTBOX_WAIT = Duration.ofSeconds(20);
    private static final Duration FINAL_OUTBOX_WAIT = Duration.ofSeconds(120);

    private final AtomicInteger booked = new AtomicInteger();

    @Test
    void bookingsPerSecondAndLatency() throws Exception {
        CompletableFuture<List<String>> closedSlots = CompletableFuture.supplyAsync(() -> generateSlots(300));
        CompletableFuture<List<String>> openSlots = CompletableFuture.supplyAsync(() -> generateSlots(240));
        List<String> slots = closedSlots.get();
        List<String> openLoopSlots = openSlots.get();
        AtomicInteger next = new AtomicInteger();
        TestPlatform.broker().reset();

        closedLoop(slots, next, WARM_UP, new ArrayList<>());
        List<long[]> latencies = new ArrayList<>();
        long started = System.nanoTime();
        MachineCpu cpu = MachineCpu.now();
        int[] closed = closedLoop(slots, next, MEASURED, latencies);
        double seconds = (System.nanoTime() - started) / 1e9;
        report("closed-loop", closed, seconds, latencies, cpu.since(closed[0]));

        AtomicInteger nextOpen = new AtomicInteger();
        int other = closed[2];
        for (int rate : OFFERED_PER_SECOND) {
            awaitOutbox(OUTBOX_WAIT);
            latencies.clear();
            MachineCpu before = MachineCpu.now();
            int bookedBefore = booked.get();
            int[] open = openLoop(openLoopSlots, nextOpen, rate, latencies);
            report("open-loop offered=" + rate + "/s", open, MEASURED.toSeconds(), latencies,
                    before.since(booked.get() - bookedBefore));
            other += open[2];
        }

        awaitOutbox(FINAL_OUTBOX_WAIT);
        System.out.println(String.format("BENCHMARK events booked=%d accepted-by-broker=%d", booked.get(),
                TestPlatform.broker().accepted()));

        assertThat(TestPlatform.broker().accepted()).isEqualTo(booked.get());
        assertThat(TestPlatform.broker().refused()).isZero();
        assertThat(other).isZero();
        assertThat(nextOpen.get()).isLessThan(openLoopSlots.size());
        assertThat(next.get()).isLessThan(slots.size());
        assertThat(jdbc.queryForObject("select count(*) from (select slot_id from booking_appointment"
                + " where status = 'booked' group by slot_id having count(*) > 1) doubled", Integer.class)).isZero();
    }

    /**
     * Gives the relay up to {@code wait} to send what the last step left in the outbox, so that one step's backlog
     * is not counted against the next one's latency; prints what it left and how long it took.
     */
    private void awaitOutbox(Duration wait) throws InterruptedException {
        long started = System.nanoTime();
        long deadline = started + wait.toNanos();
        int before = outboxSize();
        int left = before;
        while (left > 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            left = outboxSize();
        }
        System.out.println(String.format("BENCHMARK outbox before=%d after=%d waited=%.1fs", before, left,
                (System.nanoTime() - started) / 1e9));
    }

    private int outboxSize() {
        return jdbc.queryForObject("select count(*) from booking_outbox", Integer.class);
    }

    private static void report(String method, int[] outcome, double seconds, List<long[]> latencies, String cpu) {
        long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        System.out.println(String.format("BENCHMARK %s clients=%d booked=%d conflicts=%d other=%d seconds=%.1f"
                + " bookings/s=%.0f p50=%.1fms p99=%.1fms max=%.1fms %s", method, CLIENTS, outcome[0], outcome[1],
                outcome[2], seconds, outcome[0] / seconds, all[all.length / 2] / 1e6,
                all[(int) (all.length * 0.99)] / 1e6, all[all.length - 1] / 1e6, cpu));
    }

    /**
     * The machine's busy CPU time from {@code /proc/stat} (Linux; all cores, in jiffies of 10 ms) and the clock.
     * Over a step they give the CPU time one booking costs everything on the machine (client, function,
     * PostgreSQL, broker and kernel), a steadier figure than bookings/s, and how many cores were busy on average,
     * of which the benchmark's JVM (clients, function and broker ingress) used how many.
     */
    private record MachineCpu(long busy, long jvmNanos, long nanos) {

        static MachineCpu now() {
            long nanos = System.nanoTime();
            long jvm = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
            try {
                String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                long busy = 0;
                for (int i = 1; i < fields.length && i <= 8; i++) {
                    // user nice system idle iowait irq softirq steal: all but idle and iowait
                    busy += i == 4 || i == 5 ? 0 : Long.parseLong(fields[i]);
                }
                return new MachineCpu(busy, jvm, nanos);
            } catch (IOException | RuntimeException e) {
                return new MachineCpu(-1, jvm, nanos);
            }
        }

        String since(int bookings) {
            MachineCpu now = now();
            if (busy < 0 || now.busy < 0 || bookings == 0) {
                return "cpu=unknown";
            }
            double cpuSeconds = (now.busy - busy) / 100.0;
            double seconds = (now.nanos - nanos) / 1e9;
            return String.format("cpu/booking=%.2fms busy-cores=%.2f of-which-jvm=%.2f", cpuSeconds * 1000 / bookings,
                    cpuSeconds / seconds, (now.jvmNanos - jvmNanos) / 1e9 / seconds);
        }
    }

    /** Each client books slots[next++] as soon as its last answer came, until the time is up. */
    private int[] closedLoop(List<String> slots, AtomicInteger next, Duration length, List<long[]> latencies)
            throws Exception {
        long end = System.nanoTime() + length.toNanos();
        int[] outcome = new int[3];
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
                    book(token, patient, slots.get(index), outcome);
                    times[n++] = System.nanoTime() - sent;
                }
                return Arrays.copyOf(times, n);
            }));
        }
        for (Future<long[]> client : clients) {
            latencies.add(client.get());
        }
        pool.shutdown();
        return outcome;
    }

    /**
     * Client c's k-th booking is due at start + c / rate + k * 64 / rate seconds; it is sent then, or at once
     * when the client is still waiting for its previous answer, and its latency runs from the due time.
     */
    private int[] openLoop(List<String> slots, AtomicInteger next, int rate, List<long[]> latencies)
            throws Exception {
        long interval = CLIENTS * 1_000_000_000L / rate;
        long start = System.nanoTime() + 100_000_000L;
        long recordFrom = start + OPEN_SETTLING.toNanos();
        long end = recordFrom + MEASURED.toNanos();
        int[] outcome = new int[3];
        int[] counted = new int[3];
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<long[]>> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            String patient = "p-open-" + rate + "-" + c;
            String token = patientToken(patient);
            long first = start + c * interval / CLIENTS;
            clients.add(pool.submit(() -> {
                long[] times = new long[10_000];
                int n = 0;
                for (long due = first; due < end; due += interval) {
                    LockSupport.parkNanos(due - System.nanoTime());
                    book(token, patient, slots.get(next.getAndIncrement()),
                            due >= recordFrom ? counted : outcome);
                    if (due >= recordFrom) {
                        times[n++] = System.nanoTime() - due;
                    }
                }
                return Arrays.copyOf(times, n);
            }));
        }
        for (Future<long[]> client : clients) {
            latencies.add(client.get());
        }
        pool.shutdown();
        assertThat(outcome[2]).isZero();
        return counted;
    }

    /** Books one slot and counts the answer as booked (201), conflict (409) or other. */
    private void book(String token, String patient, String slot, int[] outcome) {
        HttpResponse<String> response = http.post("/Appointment", token, appointment(patient, slot));
        int status = response.statusCode();
        if (status == 201) {
            booked.incrementAndGet();
        }
        synchronized (outcome) {
            outcome[status == 201 ? 0 : status == 409 ? 1 : 2]++;
        }
    }

    /** A schedule with five-minute slots from 00:00 to 23:55 for {@code days} days: 287 a day. */
    private List<String> generateSlots(int days) {
        String schedule = unique("bench");
        givenSchedule(schedule, "UTC", List.of());
        LocalDate from = LocalDate.now(ZoneOffset.UTC).plusDays(2);
        String template = "{\"resourceType\":\"Parameters\",\"parameter\":["
                + "{\"name\":\"start\",\"valueDate\":\"" + from + "\"},"
                + "{\"name\":\"end\",\"valueDate\":\"" + from.plusDays(days) + "\"},"
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
