package org.clinicalfunctions.local.broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import io.cloudevents.CloudEvent;

/**
 * The broker's admin API, JSON, relative to a prefix the mounting server chooses:
 * <ul>
 * <li>{@code GET <prefix>/status}: {@link BrokerStats}</li>
 * <li>{@code GET <prefix>/dead-letters}: dead letters, attributes only</li>
 * <li>{@code POST <prefix>/dead-letters/replay}: replay all</li>
 * <li>{@code POST <prefix>/dead-letters/<id>/replay}: replay one (404 if unknown)</li>
 * <li>{@code GET <prefix>/parked}: parked events, attributes only</li>
 * <li>{@code POST <prefix>/parked/replay} and {@code POST <prefix>/parked/<id>/replay}: through ingress again</li>
 * </ul>
 * Event data is left out (it may be patient data); {@code dataBytes} gives its size.
 */
public final class BrokerAdmin implements HttpHandler {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LocalBroker broker;
    private final String prefix;

    BrokerAdmin(LocalBroker broker, String prefix) {
        this.broker = broker;
        this.prefix = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String route = path.startsWith(prefix) ? path.substring(prefix.length()) : path;
            String method = exchange.getRequestMethod();
            if ("GET".equals(method)) {
                get(exchange, route);
            } else if ("POST".equals(method)) {
                post(exchange, route);
            } else {
                send(exchange, 405, error("only GET and POST"));
            }
        }
    }

    private void get(HttpExchange exchange, String route) throws IOException {
        switch (route) {
            case "/status" -> send(exchange, 200, status());
            case "/dead-letters" -> send(exchange, 200, deadLetters());
            case "/parked" -> send(exchange, 200, parked());
            default -> send(exchange, 404, error("unknown admin route"));
        }
    }

    private ObjectNode status() {
        ObjectNode status = JSON.valueToTree(broker.stats());
        status.set("deliveredByTrigger", JSON.valueToTree(broker.deliveredByTrigger()));
        return status;
    }

    private void post(HttpExchange exchange, String route) throws IOException {
        String[] parts = route.split("/");
        boolean known = parts.length >= 3 && ("dead-letters".equals(parts[1]) || "parked".equals(parts[1]));
        if (!known || !"replay".equals(parts[parts.length - 1]) || parts.length > 4) {
            send(exchange, 404, error("unknown admin route"));
            return;
        }
        boolean deadLetters = "dead-letters".equals(parts[1]);
        if (parts.length == 3) {
            int replayed = deadLetters ? broker.replayAll() : broker.replayAllParked();
            send(exchange, 200, JSON.createObjectNode().put("replayed", replayed));
            return;
        }

        String id = parts[2];
        boolean replayed = id.matches("[0-9A-Za-z-]+")
                && (deadLetters ? broker.replay(id) : broker.replayParked(id));
        send(exchange, replayed ? 200 : 404, replayed ? JSON.createObjectNode().put("replayed", 1)
                : error(deadLetters ? "no such dead letter" : "no such parked event"));
    }

    private ArrayNode deadLetters() {
        ArrayNode list = JSON.createArrayNode();
        for (DeadLetter dead : broker.deadLetters()) {
            ObjectNode item = list.addObject().put("id", dead.id()).put("trigger", dead.trigger())
                    .put("deadLetteredAt", dead.deadLetteredAt().toString());
            item.set("event", attributesOnly(dead.event()));
        }
        return list;
    }

    private ArrayNode parked() {
        ArrayNode list = JSON.createArrayNode();
        List<ParkedEvent> events = broker.parked();
        for (ParkedEvent parked : events) {
            ObjectNode item = list.addObject().put("id", parked.id()).put("parkedAt", parked.parkedAt().toString());
            item.set("event", attributesOnly(parked.event()));
        }
        return list;
    }

    private static ObjectNode attributesOnly(CloudEvent event) {
        ObjectNode json = CloudEventCodec.toJson(event, true);
        json.remove("data_base64");
        json.put("dataBytes", event.getData() == null ? 0 : event.getData().toBytes().length);
        return json;
    }

    private static ObjectNode error(String message) {
        return JSON.createObjectNode().put("error", message);
    }

    private static void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(body)
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
