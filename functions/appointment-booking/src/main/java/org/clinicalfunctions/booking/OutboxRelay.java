package org.clinicalfunctions.booking;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
 * Sends the outbox's events to the broker as binary-mode CloudEvents, oldest first, and deletes each one the
 * broker took. Runs on one thread, woken after each change and every {@code relay-interval}; several pods share
 * the outbox through {@code for update skip locked}. Delivery is at least once: a crash between the broker's 202
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
        List<Long> sent = new ArrayList<>();
        for (Outgoing event : batch) {
            if (!send(event)) {
                break;
            }
            sent.add(event.seq());
        }
        if (!sent.isEmpty()) {
            // Losing this delete in a crash only sends the events again, with their ids, which fhir-store
            // deduplicates: it need not wait for the disk, and leaves the fsyncs to the bookings.
            jdbc.execute("set local synchronous_commit = off");
            jdbc.update("delete from booking_outbox where seq = any (?)", (Object) sent.toArray(Long[]::new));
        }
        return sent.size();
    }

    private boolean send(Outgoing event) {
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
        try {
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status / 100 != 2) {
                log.warn("broker answered {} for ceId={} ceType={}", status, event.id(), event.type());
                return false;
            }
            return true;
        } catch (IOException e) {
            log.warn("broker unreachable for ceId={}: {}", event.id(), e.getClass().getSimpleName());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void destroy() {
        thread.shutdownNow();
    }
}
