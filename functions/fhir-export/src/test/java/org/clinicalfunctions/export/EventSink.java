package org.clinicalfunctions.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import com.sun.net.httpserver.HttpServer;

/**
 * A loopback HTTP endpoint standing where K_SINK points: keeps each event as "{@code <ce-type> <data>}", and each
 * binary-mode event whole (its ce- and Content-Type headers and its data) for a test to deliver where the broker
 * would.
 */
final class EventSink implements AutoCloseable {

    /** One binary-mode CloudEvent as it arrived. */
    record Received(Map<String, String> headers, String data) {

        String type() {
            return headers.get("ce-type");
        }
    }

    private final HttpServer server;
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();

    EventSink() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            String data = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> {
                String lower = name.toLowerCase(Locale.ROOT);
                if (lower.startsWith("ce-") || "content-type".equals(lower)) {
                    headers.put(lower, values.get(0));
                }
            });
            received.add(new Received(headers, data));
            events.add(exchange.getRequestHeaders().getFirst("ce-type") + " " + data);
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        server.start();
    }

    /** The argument that points the export at this sink. */
    String arg() {
        return "--clinical.fhir-export.event-sink=http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    /** The events received once one matches {@code wanted}, or after ten seconds. */
    List<String> await(Predicate<String> wanted) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (events.stream().noneMatch(wanted) && System.nanoTime() < deadline) {
            BulkClient.sleep(100);
        }
        return List.copyOf(events);
    }

    /** Every binary-mode event received so far, in order. */
    List<Received> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
