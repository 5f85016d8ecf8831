package org.clinicalfunctions.local.broker;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A subscriber for tests: a real JDK HTTP server on loopback that records every request and answers with a
 * scripted sequence of responses (the last one repeats).
 */
final class RecordingSubscriber implements AutoCloseable {

    /** One request as received; header names lower-cased. */
    record Received(String path, Map<String, String> headers, byte[] body, long receivedNanos) {

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** What to answer. */
    record Answer(int status, Map<String, String> headers, byte[] body) {

        static Answer status(int status) {
            return new Answer(status, Map.of(), new byte[0]);
        }

        static Answer status(int status, String body) {
            return new Answer(status, Map.of("Content-Type", "text/plain"), body.getBytes(StandardCharsets.UTF_8));
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Deque<Answer> script = new ArrayDeque<>();
    private Answer last = Answer.status(202);
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger mostOpen = new AtomicInteger();
    private volatile CountDownLatch gate = new CountDownLatch(0);

    private RecordingSubscriber(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    static RecordingSubscriber start() throws IOException {
        return new RecordingSubscriber(0);
    }

    static RecordingSubscriber startOn(int port) throws IOException {
        return new RecordingSubscriber(port);
    }

    /** Answers these in order, then keeps repeating the last. */
    synchronized RecordingSubscriber answering(Answer... answers) {
        script.clear();
        script.addAll(List.of(answers));
        last = answers[answers.length - 1];
        return this;
    }

    /** Holds every request open until {@code release} counts down. */
    RecordingSubscriber holdingUntil(CountDownLatch release) {
        gate = release;
        return this;
    }

    /** The most requests that were open at the same time. */
    int mostOpenAtOnce() {
        return mostOpen.get();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    List<Received> received() {
        return new ArrayList<>(received);
    }

    /** Waits until at least {@code count} requests arrived; returns them. */
    List<Received> awaitReceived(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (received.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return received();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT),
                    values.get(0)));
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new Received(exchange.getRequestURI().getPath(), headers, body, System.nanoTime()));
            mostOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
            awaitGate();
            open.decrementAndGet();

            Answer answer = next();
            answer.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
            exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
            if (answer.body().length > 0) {
                exchange.getResponseBody().write(answer.body());
            }
        }
    }

    private void awaitGate() {
        try {
            gate.await();
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized Answer next() {
        return script.isEmpty() ? last : script.poll();
    }
}
