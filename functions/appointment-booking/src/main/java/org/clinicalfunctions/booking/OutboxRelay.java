package org.clinicalfunctions.booking;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.clinicalfunctions.http.CloudEventHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends the outbox's events to the broker as binary-mode CloudEvents, oldest first (each appointment's in commit
 * order, different appointments' at the same time), and deletes each one the broker took. Runs on one thread,
 * woken after each change and every {@code relay-interval}; several pods share the outbox through
 * {@code for update skip locked}. Delivery is at least once: a crash between the broker's 202
 * and the delete sends the event again with the same id, which fhir-store deduplicates.
 */
@Component
public class OutboxRelay implements InitializingBean, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    private static final int BATCH = 50;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final HttpClient http;
    private final BookingProperties properties;
    private final AtomicBoolean pending = new AtomicBoolean();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("outbox-relay").daemon().factory());

    private record Outgoing(long seq, String id, String type, String subject, String data) {
    }

    public OutboxRelay(JdbcTemplate jdbc, TransactionTemplate transactions, HttpClient http,
            BookingProperties properties) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.http = http;
        this.properties = properties;
    }

    @Override
    public void afterPropertiesSet() {
        if (properties.hasSink()) {
            long interval = properties.relayInterval().toMillis();
            thread.scheduleWithFixedDelay(this::drain, interval, interval, TimeUnit.MILLISECONDS);
        }
    }

    /** Asks for a send soon, after a change committed. */
    void nudge() {
        if (properties.hasSink() && pending.compareAndSet(false, true)) {
            thread.execute(() -> {
                pending.set(false);
                drain();
            });
        }
    }

    private void drain() {
        try {
            Integer sent;
            do {
                sent = transactions.execute(status -> sendBatch());
            } while (sent != null && sent == BATCH);
        } catch (RuntimeException e) {
            log.warn("outbox relay failed, will retry: {}", e.getClass().getSimpleName());
        }
    }

    private int sendBatch() {
        List<Outgoing> batch = jdbc.query("select seq, event_id, event_type, subject, data from booking_outbox"
                + " order by seq limit ? for update skip locked",
                (rs, n) -> new Outgoing(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5)), BATCH);
        Map<String, List<Outgoing>> bySubject = new LinkedHashMap<>();
        for (Outgoing event : batch) {
            bySubject.computeIfAbsent(event.subject(), subject -> new ArrayList<>()).add(event);
        }
        List<Long> sent = new ArrayList<>();
        List<CompletableFuture<Void>> chains = new ArrayList<>();
        for (List<Outgoing> events : bySubject.values()) {
            chains.add(sendInOrder(events, 0, sent));
        }
        CompletableFuture.allOf(chains.toArray(CompletableFuture[]::new)).join();
        if (!sent.isEmpty()) {
            // Losing this delete in a crash only sends the events again, with their ids, which fhir-store
            // deduplicates: it need not wait for the disk, and leaves the fsyncs to the bookings.
            jdbc.execute("set local synchronous_commit = off");
            jdbc.update("delete from booking_outbox where seq = any (?)", (Object) sent.toArray(Long[]::new));
        }
        return sent.size();
    }

    /**
     * One appointment's events go one after the other, and stop at the first the broker did not take, so they
     * reach it in commit order; different appointments' events travel at the same time, as the Kafka Trigger
     * orders per appointment only. Sending one event at a time kept the relay well behind 1,000 bookings/s.
     */
    private CompletableFuture<Void> sendInOrder(List<Outgoing> events, int index, List<Long> sent) {
        if (index == events.size()) {
            return CompletableFuture.completedFuture(null);
        }
        Outgoing event = events.get(index);
        return send(event).thenCompose(taken -> {
            if (!taken) {
                return CompletableFuture.completedFuture(null);
            }
            synchronized (sent) {
                sent.add(event.seq());
            }
            return sendInOrder(events, index + 1, sent);
        });
    }

    private CompletableFuture<Boolean> send(Outgoing event) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(properties.sink().trim()))
                .timeout(properties.brokerTimeout())
                .header("Content-Type", "application/fhir+json")
                .header("ce-specversion", "1.0")
                .header("ce-id", CloudEventHeaders.percentEncode(event.id()))
                .header("ce-source", CloudEventHeaders.percentEncode(properties.eventSource().toString()))
                .header("ce-type", CloudEventHeaders.percentEncode(event.type()))
                .header("ce-subject", CloudEventHeaders.percentEncode(event.subject()))
                .header("ce-time", Instant.now().toString())
                .header("ce-partitionkey", CloudEventHeaders.percentEncode(event.subject()))
                .POST(HttpRequest.BodyPublishers.ofString(event.data(), StandardCharsets.UTF_8))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).handle((response, failure) -> {
            if (failure != null) {
                log.warn("broker unreachable for ceId={}: {}", event.id(),
                        rootCause(failure).getClass().getSimpleName());
                return false;
            }
            if (response.statusCode() / 100 != 2) {
                log.warn("broker answered {} for ceId={} ceType={}", response.statusCode(), event.id(),
                        event.type());
                return false;
            }
            return true;
        });
    }

    private static Throwable rootCause(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    @Override
    public void destroy() {
        thread.shutdownNow();
    }
}
