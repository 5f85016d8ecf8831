package org.clinicalfunctions.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in for the Knative broker ingress on loopback: records every request it gets and answers with the status
 * a test sets, optionally after a delay.
 */
final class RecordingBroker implements AutoCloseable {

    static final String PATH = "/clinical/default";

    private final HttpServer server;
    private final List<ReceivedEvent> events = new CopyOnWriteArrayList<>();
    private volatile int status = 202;
    private volatile Duration delay = Duration.ZERO;

    private RecordingBroker(HttpServer server) {
        this.server = server;
    }

    static RecordingBroker start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            RecordingBroker broker = new RecordingBroker(server);
            server.createContext("/", broker::receive);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.start();
            return broker;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the loopback broker", e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
    }

    void answer(int newStatus) {
        this.status = newStatus;
    }

    void answerAfter(Duration newDelay) {
        this.delay = newDelay;
    }

    void reset() {
        events.clear();
        status = 202;
        delay = Duration.ZERO;
    }

    List<ReceivedEvent> events() {
        return List.copyOf(events);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void receive(HttpExchange exchange) throws IOException {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.get(0)));
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        events.add(new ReceivedEvent(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers, body));
        pause();
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    private void pause() {
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One request as the broker saw it. */
    record ReceivedEvent(String method, String path, Map<String, String> headers, byte[] body) {

        String header(String name) {
            return headers.get(name);
        }

        /** A CloudEvent attribute from its {@code ce-} header, percent-decoded as the HTTP binding says. */
        String attribute(String name) {
            String raw = headers.get("ce-" + name);
            return raw == null ? null : percentDecoded(raw);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        private static String percentDecoded(String raw) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            for (int i = 0; i < raw.length(); i++) {
                char c = raw.charAt(i);
                if (c == '%' && i + 2 < raw.length()) {
                    bytes.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
                    i += 2;
                } else {
                    bytes.write(c);
                }
            }
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
