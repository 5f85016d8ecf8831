package org.clinicalfunctions.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.cloudevents.CloudEvent;
import io.cloudevents.http.HttpMessageFactory;
import io.cloudevents.rw.CloudEventRWException;

/**
 * The broker ingress a function's SinkBinding points at, on loopback: every request is read with the CloudEvents
 * SDK, as Knative's ingress reads it, and answered 202, or 400 when it is not a valid CloudEvent (counted apart).
 * It keeps the last {@code retained} events and counts all of them, so a benchmark can send it millions without
 * filling the heap. Shared with the functions' tests through this module's test jar.
 */
public final class LoopbackBroker implements AutoCloseable {

    public static final String PATH = "/clinical/default";

    private final HttpServer server;
    private final int retained;
    private final Deque<CloudEvent> events = new ArrayDeque<>();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private volatile int status = 202;

    private LoopbackBroker(HttpServer server, int retained) {
        this.server = server;
        this.retained = retained;
    }

    /** Starts one on a free loopback port that keeps the last {@code retained} events it took. */
    public static LoopbackBroker start(int retained) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            LoopbackBroker broker = new LoopbackBroker(server, retained);
            server.createContext("/", broker::receive);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.start();
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the loopback broker", e);
        }
    }

    /** The ingress URL, as K_SINK would give it. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
    }

    /** Answers every valid event with {@code newStatus} from now on (202 again with {@link #reset()}). */
    public void answer(int newStatus) {
        status = newStatus;
    }

    public synchronized void reset() {
        events.clear();
        accepted.set(0);
        refused.set(0);
        status = 202;
    }

    /** How many valid events were answered with a 2xx since the last reset. */
    public long accepted() {
        return accepted.get();
    }

    /** How many requests were not CloudEvents. */
    public long refused() {
        return refused.get();
    }

    /** The retained events, oldest first. */
    public synchronized List<CloudEvent> events() {
        return List.copyOf(events);
    }

    /** The retained events that match, once at least {@code count} of them do, or all that match after the wait. */
    public List<CloudEvent> await(Predicate<CloudEvent> matching, int count, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        List<CloudEvent> found = events().stream().filter(matching).toList();
        while (found.size() < count && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            found = events().stream().filter(matching).toList();
        }
        return found;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void receive(HttpExchange exchange) throws IOException {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(exchange.getRequestHeaders());
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        int answer = status;
        try {
            CloudEvent event = HttpMessageFactory.createReaderFromMultimap(headers, body).toEvent();
            if (answer / 100 == 2) {
                keep(event);
            }
        } catch (CloudEventRWException | IllegalStateException e) {
            refused.incrementAndGet();
            answer = 400;
        }
        exchange.sendResponseHeaders(answer, -1);
        exchange.close();
    }

    private synchronized void keep(CloudEvent event) {
        accepted.incrementAndGet();
        events.addLast(event);
        if (events.size() > retained) {
            events.removeFirst();
        }
    }
}
