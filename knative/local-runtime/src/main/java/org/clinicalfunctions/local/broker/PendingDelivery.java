package org.clinicalfunctions.local.broker;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cloudevents.CloudEvent;

/**
 * One journal entry: an event (with its {@code knativebrokerttl}) still owed to one trigger.
 *
 * @param headers pass-through HTTP headers captured at ingress
 */
record PendingDelivery(String id, String trigger, CloudEvent event, Map<String, String> headers) {

    private static final ObjectMapper JSON = new ObjectMapper();

    ObjectNode toJson() {
        ObjectNode json = JSON.createObjectNode();
        json.put("trigger", trigger);
        ObjectNode headerNode = json.putObject("headers");
        headers.forEach(headerNode::put);
        json.set("event", CloudEventCodec.toJson(event, true));
        return json;
    }

    static PendingDelivery fromJson(String id, JsonNode json) throws InvalidEventException {
        Map<String, String> headers = new LinkedHashMap<>();
        json.path("headers").fields().forEachRemaining(h -> headers.put(h.getKey(), h.getValue().asText()));
        return new PendingDelivery(id, json.path("trigger").asText(), CloudEventCodec.fromJson(json.get("event")),
                headers);
    }
}
