package org.clinicalfunctions.local.broker;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Knative Broker in one process for local runs and tests: loads Broker and Trigger manifests, accepts CloudEvents
 * at {@code /<namespace>/<broker>}, journals them before answering 202, fans out to matching triggers with
 * Knative's filter, retry, reply and dead-letter rules, and keeps unmatched and dead-lettered events visible.
 */
public final class LocalBroker implements AutoCloseable {

    /** Knative MT loop guard extension, stripped before delivery. */
    public static final String TTL = "knativebrokerttl";
    /** Added at ingress (RFC 3339). */
    public static final String ARRIVAL_TIME = "knativearrivaltime";
    /** Dead letter: URL of the target that failed. */
    public static final String ERROR_DEST = "knativeerrordest";
    /** Dead letter: last HTTP status, 500 for transport errors. */
    public static final String ERROR_CODE = "knativeerrorcode";
    /** Dead letter: base64 of the last response body, truncated as {@link BrokerBehaviour} says. */
    public static final String ERROR_DATA = "knativeerrordata";

    static final int MAX_TTL = 255;
    private static final Logger LOG = LoggerFactory.getLogger(LocalBroker.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BrokerConfig config;
    private final BrokerSpec broker;
    private final Map<String, TriggerSpec> triggers = new LinkedHashMap<>();
    private final EventFolder journal;
    private final EventFolder parkedEvents;
    private final EventFolder deadLetterStore;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService serverThreads;
    private final ExecutorService responseThreads;
    private final HttpClient client;
    private final HttpServer server;
    private final EventDispatcher dispatcher;
    private final Counters counters = new Counters();
    private final Object idle = new Object();
    private final Object replayLock = new Object();
    private volatile boolean closed;

    private LocalBroker(BrokerConfig config, BrokerSpec broker, List<TriggerSpec> triggerSpecs) throws IOException {
        this.config = config;
        this.broker = broker;
        triggerSpecs.forEach(trigger -> triggers.put(trigger.name(), trigger));
        this.journal = new EventFolder(config.dataDirectory().resolve("journal"));
        this.parkedEvents = new EventFolder(config.dataDirectory().resolve("parked"));
        this.deadLetterStore = new EventFolder(config.dataDirectory().resolve("dead-letters"));
        this.scheduler = Executors.newScheduledThreadPool(2, Thread.ofPlatform().daemon().name("broker-retry-", 0)
                .factory());
        this.serverThreads = Executors.newVirtualThreadPerTaskExecutor();
        this.responseThreads = Executors.newVirtualThreadPerTaskExecutor();
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        this.dispatcher = new EventDispatcher(client, scheduler, responseThreads, config.maxConcurrentDeliveries(),
                config.resolver(), config.behaviour(), counters.retried, () -> closed);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), config.port()), 0);
        server.createContext(config.ingressPath(), new BrokerIngress(this, config.ingressPath()));
        server.createContext(adminPath(), new BrokerAdmin(this, adminPath()));
        server.setExecutor(serverThreads);
    }

    /**
     * Loads the manifests, re-dispatches whatever the journal still holds and starts serving on loopback.
     *
     * @throws ManifestException when a manifest would not pass Knative admission, or the broker is not defined
     */
    public static LocalBroker start(BrokerConfig config) throws IOException {
        EventingManifests manifests = EventingManifests.load(config.manifests(), config.namespace(),
                config.behaviour());
        BrokerSpec broker = manifests.broker(config.namespace(), config.brokerName()).orElseThrow(() ->
                new ManifestException(config.manifests().getFileName().toString(), "Broker",
                        "no Broker " + config.namespace() + "/" + config.brokerName() + " defined"));
        LocalBroker local = new LocalBroker(config, broker, manifests.triggersOf(config.namespace(),
                config.brokerName()));
        local.recover();
        local.server.start();
        LOG.info("broker started broker={}/{} triggers={} port={}", config.namespace(), config.brokerName(),
                local.triggers.size(), local.server.getAddress().getPort());
        return local;
    }

    /** Where producers POST events: {@code http://127.0.0.1:<port>/<namespace>/<broker>}. */
    public URI ingressUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + config.ingressPath());
    }

    /** Where this broker's own server answers the admin API ({@link BrokerAdmin}). */
    public URI adminUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + adminPath());
    }

    /** An admin handler the launcher can mount under its own prefix (see {@link BrokerAdmin} for the routes). */
    public com.sun.net.httpserver.HttpHandler adminHandler(String prefix) {
        return new BrokerAdmin(this, prefix);
    }

    /** The ingress handler, for a launcher that wants to serve ingress on its own server at the same path. */
    public com.sun.net.httpserver.HttpHandler ingressHandler() {
        return new BrokerIngress(this, config.ingressPath());
    }

    /** Waits until no delivery is pending (including retries and replies); false when the time ran out. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (idle) {
            while (counters.inFlight.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                idle.wait(Math.max(1, left / 1_000_000));
            }
        }
        return true;
    }

    /** Deliveries each trigger's subscriber acknowledged with 2xx, by trigger name. */
    public Map<String, Long> deliveredByTrigger() {
        Map<String, Long> counts = new java.util.TreeMap<>();
        counters.deliveredByTrigger.forEach((trigger, count) -> counts.put(trigger, count.get()));
        return counts;
    }

    public BrokerStats stats() {
        return counters.snapshot();
    }

    /** Dead letters kept locally, oldest first. */
    public List<DeadLetter> deadLetters() {
        return readAll(deadLetterStore, (id, json) -> new DeadLetter(id, json.path("trigger").asText(),
                Instant.parse(json.path("deadLetteredAt").asText()), event(json)));
    }

    /** Events that matched no trigger, oldest first. */
    public List<ParkedEvent> parked() {
        return readAll(parkedEvents, (id, json) -> new ParkedEvent(id, Instant.parse(json.path("parkedAt").asText()),
                event(json)));
    }

    /**
     * Re-enqueues one dead letter without the three error extensions, to the trigger it failed at only (so triggers
     * that already succeeded get no duplicate); if that trigger is gone, to every trigger through ingress rules.
     *
     * @return false when there is no such dead letter
     */
    public boolean replay(String id) throws IOException {
        // Find, re-enqueue and delete are one step: concurrent replays of one id would each re-enqueue it.
        synchronized (replayLock) {
            return replayDeadLetter(id);
        }
    }

    private boolean replayDeadLetter(String id) throws IOException {
        Optional<DeadLetter> found = deadLetters().stream().filter(d -> d.id().equals(id)).findFirst();
        if (found.isEmpty()) {
            return false;
        }

        CloudEvent original = withoutExtensions(found.get().event(), ERROR_DEST, ERROR_CODE, ERROR_DATA);
        TriggerSpec trigger = triggers.get(found.get().trigger());
        if (trigger == null) {
            publishForReplay(original);
        } else {
            PendingDelivery delivery = new PendingDelivery(EventFolder.newId(), trigger.name(), original, Map.of());
            journal.write(delivery.id(), delivery.toJson());
            counters.inFlight.incrementAndGet();
            dispatch(delivery);
        }
        deadLetterStore.delete(id);
        LOG.info("dead letter replayed event={} type={} trigger={}", original.getId(), original.getType(),
                found.get().trigger());
        return true;
    }

    /** Replays every dead letter; returns how many. */
    public int replayAll() throws IOException {
        int replayed = 0;
        for (String id : deadLetterStore.ids()) {
            replayed += replay(id) ? 1 : 0;
        }
        return replayed;
    }

    /**
     * Sends a parked event through ingress again, e.g. after a trigger for its type was added; if still no trigger
     * wants it, it is parked again under a new id.
     *
     * @return false when there is no such parked event
     */
    public boolean replayParked(String id) throws IOException {
        Optional<ParkedEvent> found = parked().stream().filter(p -> p.id().equals(id)).findFirst();
        // Whoever deletes the record replays it: a concurrent replay of the same id finds it gone.
        if (found.isEmpty() || !parkedEvents.delete(id)) {
            return false;
        }
        try {
            accept(found.get().event(), Map.of(), false);
        } catch (InvalidEventException | IOException failure) {
            park(found.get().event());
            throw new IOException("BRK-REPLAY-2: parked event cannot be re-enqueued: " + failure.getMessage());
        }
        LOG.info("parked event replayed event={} type={}", found.get().event().getId(), found.get().event().getType());
        return true;
    }

    /** Replays every parked event; returns how many. */
    public int replayAllParked() throws IOException {
        int replayed = 0;
        for (String id : parkedEvents.ids()) {
            replayed += replayParked(id) ? 1 : 0;
        }
        return replayed;
    }

    /** Accepts an event exactly as ingress would (TTL, arrival time, fan-out or park). */
    public void publish(CloudEvent event) throws InvalidEventException, IOException {
        accept(event, Map.of(), false);
    }

    /** Stops serving and dispatching; deliveries not finished stay in the journal for the next start. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.stop(0);
        scheduler.shutdownNow();
        client.shutdownNow();
        serverThreads.shutdownNow();
        responseThreads.shutdownNow();
        LOG.info("broker stopped broker={}/{} pending={}", config.namespace(), config.brokerName(),
                counters.inFlight.get());
    }

    /**
     * Ingress rules shared by producers and replies. Knative MT: the TTL defaults to 255 and is decremented on every
     * pass; at 0 the event is refused with 400 so a reply loop ends.
     */
    void accept(CloudEvent event, Map<String, String> passThrough, boolean reply)
            throws InvalidEventException, IOException {
        int ttl = ttlOf(event) - 1;
        if (ttl <= 0) {
            throw new InvalidEventException("KN-TTL-EXHAUSTED", TTL + " reached 0, event dropped");
        }

        String arrival = DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(OffsetDateTime.now(ZoneOffset.UTC));
        CloudEvent stamped = CloudEventBuilder.from(event).withExtension(TTL, ttl)
                .withExtension(ARRIVAL_TIME, arrival).build();
        List<TriggerSpec> matching = triggers.values().stream().filter(t -> t.filter().matches(stamped)).toList();
        if (matching.isEmpty()) {
            park(stamped);
            (reply ? counters.replies : counters.accepted).incrementAndGet();
            return;
        }

        List<PendingDelivery> deliveries = new ArrayList<>();
        for (TriggerSpec trigger : matching) {
            for (int copy = 0; copy < (config.duplicateDeliveries() ? 2 : 1); copy++) {
                PendingDelivery delivery =
                        new PendingDelivery(EventFolder.newId(), trigger.name(), stamped, passThrough);
                journal.write(delivery.id(), delivery.toJson());
                deliveries.add(delivery);
            }
        }
        (reply ? counters.replies : counters.accepted).incrementAndGet();
        counters.inFlight.addAndGet(deliveries.size());
        deliveries.forEach(this::dispatch);
    }

    private void publishForReplay(CloudEvent original) throws IOException {
        try {
            accept(original, Map.of(), false);
        } catch (InvalidEventException exhausted) {
            throw new IOException("BRK-REPLAY-1: dead letter cannot be re-enqueued: " + exhausted.getMessage());
        }
    }

    private void dispatch(PendingDelivery delivery) {
        TriggerSpec trigger = triggers.get(delivery.trigger());
        DeliverySpec spec = DeliverySpec.effective(trigger.delivery(), broker.delivery());
        Map<String, String> headers = new LinkedHashMap<>(delivery.headers());
        headers.put("Kn-Namespace", trigger.namespace());
        String audience = trigger.subscriber().audience();
        String token = audience == null ? null : config.identity().token(audience, DeliveryIdentity.subjectOf(trigger));
        if (token != null) {
            headers.put("Authorization", "Bearer " + token);
        }
        CloudEvent outgoing = withoutExtensions(delivery.event(), TTL);
        DispatchRequest request = new DispatchRequest(trigger.name(), trigger.subscriber(), outgoing, headers, spec,
                true);
        dispatcher.dispatch(request, result -> onDelivered(delivery, spec, result));
    }

    private void onDelivered(PendingDelivery delivery, DeliverySpec spec, DispatchResult result) {
        if (!result.succeeded()) {
            deadLetter(delivery, spec, result.target(), result.status(), result.body());
            return;
        }

        counters.delivered.incrementAndGet();
        counters.deliveredByTrigger.computeIfAbsent(delivery.trigger(), name -> new AtomicLong()).incrementAndGet();
        if (result.reply() != null && !enqueueReply(delivery, spec, result.reply())) {
            return;
        }
        complete(delivery, true);
    }

    /** Knative MT: the reply carries the TTL of the event it answers; if it cannot be stored the original fails. */
    private boolean enqueueReply(PendingDelivery delivery, DeliverySpec spec, CloudEvent reply) {
        CloudEvent withTtl = CloudEventBuilder.from(reply).withExtension(TTL, ttlOf(delivery.event())).build();
        try {
            accept(withTtl, delivery.headers(), true);
            return true;
        } catch (InvalidEventException rejected) {
            LOG.warn("reply rejected event={} type={} trigger={} reason={}", reply.getId(), reply.getType(),
                    delivery.trigger(), rejected.getMessage());
            deadLetter(delivery, spec, ingressUri().toString(), 400, bytes(rejected.getMessage()));
        } catch (IOException | RuntimeException storeFailure) {
            LOG.warn("reply not stored event={} trigger={}", reply.getId(), delivery.trigger());
            deadLetter(delivery, spec, ingressUri().toString(), 500, bytes("reply could not be journalled"));
        }
        return false;
    }

    private void deadLetter(PendingDelivery delivery, DeliverySpec spec, String destination, int code, byte[] body) {
        CloudEventBuilder builder = CloudEventBuilder.from(delivery.event())
                .withExtension(ERROR_DEST, destination)
                .withExtension(ERROR_CODE, code);
        String data = config.behaviour().errorData(body);
        if (data != null) {
            builder.withExtension(ERROR_DATA, data);
        }
        CloudEvent dead = builder.build();
        counters.deadLettered.incrementAndGet();
        LOG.error("dead letter event={} type={} trigger={} code={}", dead.getId(), dead.getType(),
                delivery.trigger(), code);

        Destination sink = spec.deadLetterSink();
        if (sink == null || config.resolver().resolve(sink).isEmpty()) {
            complete(delivery, storeDeadLetter(delivery, dead));
            return;
        }
        DispatchRequest request = new DispatchRequest(delivery.trigger() + "/dead-letter-sink", sink,
                withoutExtensions(dead, TTL), Map.of("Kn-Namespace", config.namespace()), spec, false);
        dispatcher.dispatch(request, result -> complete(delivery, result.succeeded()
                || storeDeadLetter(delivery, dead)));
    }

    /** Knative drops an event whose dead-letter sink fails too; locally it is kept instead. */
    private boolean storeDeadLetter(PendingDelivery delivery, CloudEvent dead) {
        ObjectNode record = JSON.createObjectNode()
                .put("trigger", delivery.trigger())
                .put("deadLetteredAt", Instant.now().toString());
        record.set("event", CloudEventCodec.toJson(dead, true));
        try {
            deadLetterStore.write(delivery.id(), record);
            return true;
        } catch (IOException failure) {
            LOG.error("dead letter not stored, kept in journal event={} trigger={}", dead.getId(), delivery.trigger());
            return false;
        }
    }

    private void park(CloudEvent event) throws IOException {
        ObjectNode record = JSON.createObjectNode().put("parkedAt", Instant.now().toString());
        record.set("event", CloudEventCodec.toJson(event, true));
        parkedEvents.write(EventFolder.newId(), record);
        counters.parked.incrementAndGet();
        LOG.info("event parked event={} type={} reason=no-matching-trigger", event.getId(), event.getType());
    }

    private void complete(PendingDelivery delivery, boolean removeFromJournal) {
        if (closed) {
            return;
        }
        if (removeFromJournal) {
            journal.delete(delivery.id());
        }
        synchronized (idle) {
            if (counters.inFlight.decrementAndGet() <= 0) {
                idle.notifyAll();
            }
        }
    }

    /** Deliveries a previous run left in the journal go out again (at-least-once; attempt counts restart at 1). */
    private void recover() throws IOException {
        List<PendingDelivery> pending = new ArrayList<>();
        for (String id : journal.ids()) {
            Optional<JsonNode> json = journal.read(id);
            try {
                pending.add(PendingDelivery.fromJson(id, json.orElseThrow()));
            } catch (InvalidEventException | RuntimeException unreadable) {
                LOG.error("journal entry unreadable, left in place id={}", id);
            }
        }
        for (PendingDelivery delivery : pending) {
            if (triggers.containsKey(delivery.trigger())) {
                counters.inFlight.incrementAndGet();
                dispatch(delivery);
            } else {
                park(delivery.event());
                journal.delete(delivery.id());
            }
        }
        LOG.info("journal recovered broker={}/{} pending={}", config.namespace(), config.brokerName(),
                pending.size());
    }

    private String adminPath() {
        return "/admin" + config.ingressPath();
    }

    private static int ttlOf(CloudEvent event) {
        Object ttl = event.getExtension(TTL);
        if (ttl == null) {
            return MAX_TTL;
        }
        try {
            // A producer cannot buy a longer loop than the broker allows: the MT ingress starts every event at 255.
            return Math.min(Integer.parseInt(ttl.toString().trim()), MAX_TTL);
        } catch (NumberFormatException unparseable) {
            return MAX_TTL;
        }
    }

    private static CloudEvent withoutExtensions(CloudEvent event, String... names) {
        CloudEventBuilder builder = CloudEventBuilder.from(event);
        for (String name : names) {
            builder.withoutExtension(name);
        }
        return builder.build();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static CloudEvent event(JsonNode record) {
        try {
            return CloudEventCodec.fromJson(record.get("event"));
        } catch (InvalidEventException unreadable) {
            throw new IllegalStateException("BRK-STORE-1: stored event unreadable: " + unreadable.getMessage());
        }
    }

    private static <T> List<T> readAll(EventFolder folder, RecordReader<T> reader) {
        List<T> records = new ArrayList<>();
        for (String id : folder.ids()) {
            folder.read(id).ifPresent(json -> records.add(reader.read(id, json)));
        }
        return records;
    }

    @FunctionalInterface
    private interface RecordReader<T> {
        T read(String id, JsonNode json);
    }

    /** The live counters behind {@link BrokerStats}. */
    private static final class Counters {
        private final AtomicLong accepted = new AtomicLong();
        private final AtomicLong delivered = new AtomicLong();
        private final AtomicLong retried = new AtomicLong();
        private final AtomicLong deadLettered = new AtomicLong();
        private final AtomicLong parked = new AtomicLong();
        private final AtomicLong replies = new AtomicLong();
        private final AtomicLong inFlight = new AtomicLong();
        private final Map<String, AtomicLong> deliveredByTrigger = new java.util.concurrent.ConcurrentHashMap<>();

        BrokerStats snapshot() {
            return new BrokerStats(accepted.get(), delivered.get(), retried.get(), deadLettered.get(), parked.get(),
                    replies.get(), inFlight.get());
        }
    }
}
