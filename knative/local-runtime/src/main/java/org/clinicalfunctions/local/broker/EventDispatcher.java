package org.clinicalfunctions.local.broker;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import io.cloudevents.CloudEvent;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends an event to a destination with Knative's retry rules. Waits between attempts are scheduled on a
 * {@link ScheduledExecutorService} and requests are asynchronous, so no worker thread ever sleeps.
 */
final class EventDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(EventDispatcher.class);
    private static final int TRANSPORT_ERROR_CODE = 500;
    private static final int NOT_AN_EVENT_CODE = 502;

    private final HttpClient client;
    private final ScheduledExecutorService scheduler;
    private final DestinationResolver resolver;
    private final BrokerBehaviour behaviour;
    private final AtomicLong retried;
    private final BooleanSupplier closed;
    private final Executor responses;
    private final int maxConcurrent;
    private final Map<String, DeliveryLane> lanes = new ConcurrentHashMap<>();

    /**
     * @param responses runs response handling, which writes journal and store files: kept off the HTTP client's
     *     and the common pool's threads
     * @param maxConcurrent open requests per trigger (and per dead-letter sink) at most
     */
    EventDispatcher(HttpClient client, ScheduledExecutorService scheduler, Executor responses, int maxConcurrent,
            DestinationResolver resolver, BrokerBehaviour behaviour, AtomicLong retried, BooleanSupplier closed) {
        this.client = client;
        this.maxConcurrent = maxConcurrent;
        this.scheduler = scheduler;
        this.responses = responses;
        this.resolver = resolver;
        this.behaviour = behaviour;
        this.retried = retried;
        this.closed = closed;
    }

    /** Starts attempt 1 now; {@code done} gets the final result unless the broker closes first. */
    void dispatch(DispatchRequest request, Consumer<DispatchResult> done) {
        schedule(request, 1, Duration.ZERO, done);
    }

    /**
     * Knative (MT SelectiveRetry, Kafka isRetryableStatusCode): transport errors, 5xx, 404, 408, 409 and 429 are
     * retried; every other non-2xx is final.
     */
    static boolean isRetryable(int status) {
        return status >= 500 || status == 404 || status == 408 || status == 409 || status == 429;
    }

    private void schedule(DispatchRequest request, int attempt, Duration delay, Consumer<DispatchResult> done) {
        if (closed.getAsBoolean()) {
            return;
        }
        try {
            scheduler.schedule(() -> attempt(request, attempt, done), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            LOG.debug("broker closing, attempt not scheduled for trigger={}", request.label());
        }
    }

    private void attempt(DispatchRequest request, int attempt, Consumer<DispatchResult> done) {
        Optional<URI> target = resolve(request.destination());
        if (target.isEmpty()) {
            AttemptOutcome unresolved = AttemptOutcome.failure(TRANSPORT_ERROR_CODE, new byte[0], true);
            conclude(request, attempt, request.destination().describe(), unresolved, System.nanoTime(), done);
            return;
        }

        HttpRequest http;
        try {
            http = build(request, target.get());
        } catch (IllegalArgumentException unsendable) {
            AttemptOutcome failed = AttemptOutcome.failure(TRANSPORT_ERROR_CODE, new byte[0], false);
            conclude(request, attempt, target.get().toString(), failed, System.nanoTime(), done);
            return;
        }
        DeliveryLane lane = lanes.computeIfAbsent(request.label(), label -> new DeliveryLane(maxConcurrent));
        lane.enter(() -> send(request, attempt, http, lane, done));
    }

    private void send(DispatchRequest request, int attempt, HttpRequest http, DeliveryLane lane,
            Consumer<DispatchResult> done) {
        long started = System.nanoTime();
        String target = http.uri().toString();
        try {
            client.sendAsync(http, HttpResponse.BodyHandlers.ofByteArray()).whenCompleteAsync((response, failure) -> {
                lane.leave();
                AttemptOutcome outcome = failure != null
                        ? AttemptOutcome.failure(TRANSPORT_ERROR_CODE, new byte[0], true)
                        : classify(request, response);
                conclude(request, attempt, target, outcome, started, done);
            }, responses);
        } catch (RuntimeException clientClosed) {
            lane.leave();
            conclude(request, attempt, target, AttemptOutcome.failure(TRANSPORT_ERROR_CODE, new byte[0], true),
                    started, done);
        }
    }

    private Optional<URI> resolve(Destination destination) {
        try {
            return resolver.resolve(destination);
        } catch (RuntimeException resolverFailure) {
            // A resolver that throws must not strand the delivery: it counts as a destination not reachable yet.
            return Optional.empty();
        }
    }

    private HttpRequest build(DispatchRequest request, URI target) {
        EncodedEvent encoded = request.delivery().structured()
                ? CloudEventCodec.structured(request.event()) : CloudEventCodec.binary(request.event());
        HttpRequest.Builder http = HttpRequest.newBuilder(target)
                .timeout(request.delivery().effectiveTimeout())
                .POST(HttpRequest.BodyPublishers.ofByteArray(encoded.body()));
        encoded.headers().forEach(http::header);
        request.headers().forEach(http::header);
        // Knative: brokers ask every subscriber for a reply event.
        http.header("Prefer", "reply");
        return http.build();
    }

    private AttemptOutcome classify(DispatchRequest request, HttpResponse<byte[]> response) {
        int status = response.statusCode();
        byte[] body = response.body() == null ? new byte[0] : response.body();
        if (status < 200 || status > 299) {
            Duration retryAfter = status == 429 || status == 503
                    ? retryAfter(response.headers().firstValue("Retry-After").orElse(null)) : null;
            return new AttemptOutcome(false, status, body, null, isRetryable(status), retryAfter);
        }
        if (!request.acceptsReply()) {
            return AttemptOutcome.success(status, null);
        }
        if (CloudEventCodec.isCloudEvent(response.headers().map())) {
            try {
                return AttemptOutcome.success(status, CloudEventCodec.read(response.headers().map(), body));
            } catch (InvalidEventException invalidReply) {
                return AttemptOutcome.failure(NOT_AN_EVENT_CODE, invalidReply.getMessage()
                        .getBytes(StandardCharsets.UTF_8), true);
            }
        }
        // Knative MT filter: "the response MUST be either empty or a valid CloudEvent", else 502 and a retry.
        return body.length == 0 ? AttemptOutcome.success(status, null)
                : AttemptOutcome.failure(NOT_AN_EVENT_CODE, body, true);
    }

    private void conclude(DispatchRequest request, int attempt, String target, AttemptOutcome outcome, long started,
            Consumer<DispatchResult> done) {
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        if (closed.getAsBoolean()) {
            return;
        }
        if (!outcome.succeeded() && outcome.retryable() && attempt <= request.delivery().retry()) {
            Duration delay = waitBeforeRetry(request.delivery(), attempt, outcome.retryAfter());
            LOG.warn("delivery retry event={} type={} trigger={} attempt={} status={} durationMs={} retryInMs={}",
                    request.event().getId(), request.event().getType(), request.label(), attempt, outcome.status(),
                    millis, delay.toMillis());
            retried.incrementAndGet();
            schedule(request, attempt + 1, delay, done);
            return;
        }

        LOG.info("delivery event={} type={} trigger={} attempt={} status={} outcome={} durationMs={}",
                request.event().getId(), request.event().getType(), request.label(), attempt, outcome.status(),
                outcome.succeeded() ? (outcome.reply() == null ? "delivered" : "replied") : "failed", millis);
        done.accept(new DispatchResult(outcome.succeeded(), outcome.status(), outcome.body(), outcome.reply(),
                target, attempt));
    }

    /**
     * Knative {@code retryAfterMax} (feature delivery-retryafter): a {@code Retry-After} on 429/503 can lengthen the
     * backoff wait, never beyond {@code retryAfterMax}; without {@code retryAfterMax} the header is ignored.
     */
    private Duration waitBeforeRetry(DeliverySpec delivery, int attempt, Duration retryAfter) {
        Duration backoff = behaviour.delayBeforeRetry(delivery, attempt);
        if (delivery.retryAfterMax() == null || retryAfter == null) {
            return backoff;
        }
        Duration bounded = retryAfter.compareTo(delivery.retryAfterMax()) > 0 ? delivery.retryAfterMax() : retryAfter;
        return bounded.compareTo(backoff) > 0 ? bounded : backoff;
    }

    /** RFC 9110 Retry-After: delay-seconds or an HTTP-date; anything else is ignored. */
    static Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        if (value.chars().allMatch(Character::isDigit)) {
            return value.length() > 9 ? Duration.ofSeconds(999_999_999) : Duration.ofSeconds(Long.parseLong(value));
        }
        try {
            Duration until = Duration.between(ZonedDateTime.now(ZoneOffset.UTC),
                    ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME));
            return until.isNegative() ? Duration.ZERO : until;
        } catch (DateTimeParseException notADate) {
            return null;
        }
    }

    /** One attempt's verdict. */
    private record AttemptOutcome(boolean succeeded, int status, byte[] body, CloudEvent reply, boolean retryable,
            Duration retryAfter) {

        static AttemptOutcome success(int status, CloudEvent reply) {
            return new AttemptOutcome(true, status, new byte[0], reply, false, null);
        }

        static AttemptOutcome failure(int status, byte[] body, boolean retryable) {
            return new AttemptOutcome(false, status, body, null, retryable, null);
        }
    }
}
