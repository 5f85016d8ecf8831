package org.clinicalfunctions.local.broker;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import io.cloudevents.CloudEvent;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Broker ingress at {@code /<namespace>/<broker>}: POST one binary or structured CloudEvent, 202 once it is in the
 * journal. Knative: OPTIONS answers 200, other methods 405, an invalid event 400 (never retried by senders).
 */
final class BrokerIngress implements HttpHandler {

    /** Larger than the functions' 4 MiB limit so the broker is never the narrower pipe. */
    static final int MAX_BODY_BYTES = 8 * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(BrokerIngress.class);

    private final LocalBroker broker;
    private final String path;

    BrokerIngress(LocalBroker broker, String path) {
        this.broker = broker;
        this.path = path;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            long started = System.nanoTime();
            if (!path.equals(exchange.getRequestURI().getPath())) {
                answer(exchange, 404, "no broker at this path");
                return;
            }
            String method = exchange.getRequestMethod();
            if ("OPTIONS".equals(method)) {
                exchange.getResponseHeaders().add("Allow", "POST, OPTIONS");
                answer(exchange, 200, "");
                return;
            }
            if (!"POST".equals(method)) {
                exchange.getResponseHeaders().add("Allow", "POST, OPTIONS");
                answer(exchange, 405, "only POST is accepted");
                return;
            }

            accept(exchange, started);
        }
    }

    private void accept(HttpExchange exchange, long started) throws IOException {
        byte[] body = read(exchange.getRequestBody());
        if (body.length > MAX_BODY_BYTES) {
            answer(exchange, 413, "event larger than " + MAX_BODY_BYTES + " bytes");
            return;
        }
        CloudEvent event;
        try {
            event = CloudEventCodec.read(exchange.getRequestHeaders(), body);
            broker.accept(event, passThrough(exchange.getRequestHeaders()), false);
        } catch (InvalidEventException invalid) {
            LOG.info("ingress outcome=rejected status=400 code={}", invalid.code());
            answer(exchange, 400, invalid.getMessage());
            return;
        } catch (IOException journalFailure) {
            LOG.error("ingress outcome=failed status=500 reason=journal-write");
            answer(exchange, 500, "event could not be journalled");
            return;
        }

        LOG.info("ingress event={} type={} outcome=accepted status=202 durationMs={}", event.getId(),
                event.getType(), (System.nanoTime() - started) / 1_000_000);
        answer(exchange, 202, "");
    }

    /** Knative forwards only these producer headers; everything else belongs in CloudEvent extensions. */
    static Map<String, String> passThrough(Map<String, List<String>> headers) {
        Map<String, String> kept = new LinkedHashMap<>();
        headers.forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            boolean forwarded = lower.equals("x-request-id") || lower.equals("retry-after")
                    || lower.startsWith("knative-") || lower.startsWith("x-b3-");
            if (forwarded && !values.isEmpty()) {
                kept.put(lower, values.get(0));
            }
        });
        return kept;
    }

    private static byte[] read(InputStream body) throws IOException {
        return body.readNBytes(MAX_BODY_BYTES + 1);
    }

    private static void answer(HttpExchange exchange, int status, String message) throws IOException {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0) {
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        }
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }
}
