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
            case "/status" -> send(exchange, 200, JSON.valueToTree(broker.stats()));
            case "/dead-letters" -> send(exchange, 200, deadLetters());
            case "/parked" -> send(exchange, 200, parked());
            default -> send(exchange, 404, error("unknown admin route"));
        }
    }

    private void post(HttpExchange exchange, String route) throws IOException {
        if ("/dead-letters/replay".equals(route)) {
            send(exchange, 200, JSON.createObjectNode().put("replayed", broker.replayAll()));
            return;
        }
        String[] parts = route.split("/");
        if (parts.length != 4 || !"dead-letters".equals(parts[1]) || !"replay".equals(parts[3])) {
            send(exchange, 404, error("unknown admin route"));
            return;
        }

        boolean replayed = parts[2].matches("[0-9A-Za-z-]+") && broker.replay(parts[2]);
        send(exchange, replayed ? 200 : 404, replayed ? JSON.createObjectNode().put("replayed", 1)
                : error("no such dead letter"));
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
