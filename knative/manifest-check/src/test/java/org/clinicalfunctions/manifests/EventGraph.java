package org.clinicalfunctions.manifests;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The event graph: the types Triggers consume (an {@code exact} or {@code prefix} type filter, or the legacy
 * {@code filter.attributes.type}), the types functions produce and the external sources and terminal types, as
 * declared in {@code knative/manifest-check/event-graph.yaml}. Every consumed type must have a producer (a
 * function defined among the objects, or an external source), every produced type a consumer or a terminal entry,
 * and every EventType in the registry a producer.
 */
final class EventGraph {

    private static final String PREFIX = "*";

    private EventGraph() {
    }

    /** The violations of a graph declaration against the objects. */
    static List<Violation> check(JsonNode graph, List<Manifest> objects) {
        List<Violation> out = new ArrayList<>();
        List<String> produced = new ArrayList<>();
        graph.path("producers").fields().forEachRemaining(producer -> {
            boolean defined = objects.stream().anyMatch(m -> m.isNamed("serving.knative.dev/v1", "Service",
                    producer.getKey()));
            if (!defined) {
                out.add(new Violation("graph.producer", "producers." + producer.getKey(), "no such Knative Service"));
            }
            producer.getValue().forEach(type -> produced.add(type.asText()));
        });
        graph.path("external").forEach(source -> produced.add(source.path("type").asText()));
        List<String> terminal = graph.path("terminal").valueStream().map(t -> t.path("type").asText()).toList();
        List<String> consumed = new ArrayList<>();
        for (Manifest trigger : objects.stream().filter(m -> m.is("eventing.knative.dev/v1", "Trigger")).toList()) {
            String type = consumedType(trigger.body().path("spec"));
            consumed.add(type);
            if (type.isEmpty() || produced.stream().noneMatch(p -> overlaps(p, type))) {
                out.add(new Violation("graph.unproduced", "Trigger/" + trigger.name(),
                        "consumes a type no function or documented external source produces"));
            }
        }
        for (String type : produced) {
            if (consumed.stream().noneMatch(c -> overlaps(c, type)) && !terminal.contains(type)) {
                out.add(new Violation("graph.unconsumed", "producers." + type,
                        "produced but neither consumed by a Trigger nor documented as terminal"));
            }
        }
        for (Manifest eventType : objects.stream().filter(m -> "EventType".equals(m.kind())).toList()) {
            String type = eventType.body().path("spec").path("attributes").valueStream()
                    .filter(a -> "type".equals(a.path("name").asText())).map(a -> a.path("value").asText())
                    .findFirst().orElse("");
            if (produced.stream().noneMatch(p -> overlaps(p, type))) {
                out.add(new Violation("graph.registry", "EventType/" + eventType.name(),
                        "registered but not produced"));
            }
        }
        return out;
    }

    /** The type a Trigger consumes, with {@code *} at the end for a prefix filter; empty when it filters none. */
    static String consumedType(JsonNode spec) {
        for (JsonNode filter : spec.path("filters")) {
            if (filter.path("exact").has("type")) {
                return filter.path("exact").path("type").asText();
            }
            if (filter.path("prefix").has("type")) {
                return filter.path("prefix").path("type").asText() + PREFIX;
            }
        }
        return spec.path("filter").path("attributes").path("type").asText("");
    }

    /** True when some type matches both patterns (each an exact type or a prefix ending in {@code *}). */
    static boolean overlaps(String left, String right) {
        String a = left.endsWith(PREFIX) ? left.substring(0, left.length() - 1) : left;
        String b = right.endsWith(PREFIX) ? right.substring(0, right.length() - 1) : right;
        if (left.endsWith(PREFIX) && right.endsWith(PREFIX)) {
            return a.startsWith(b) || b.startsWith(a);
        }
        if (left.endsWith(PREFIX)) {
            return b.startsWith(a);
        }
        return right.endsWith(PREFIX) ? a.startsWith(b) : a.equals(b);
    }
}
