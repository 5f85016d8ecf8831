package org.clinicalfunctions.manifests;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudevents.sql.ParseException;
import io.cloudevents.sql.Parser;

/**
 * The Knative Eventing webhook's checks of Triggers and Brokers that the CRD schema misses
 * ({@code pkg/apis/eventing/v1/trigger_validation.go} and the delivery spec, release 1.22).
 */
public final class TriggerRules {

    private static final String EVENTING_API = "eventing.knative.dev/v1";
    private static final Pattern ATTRIBUTE_NAME = Pattern.compile("^[a-z][a-z0-9]*$");
    private static final List<String> DIALECTS = List.of("exact", "prefix", "suffix", "all", "any", "not", "cesql");

    private final List<Violation> violations = new ArrayList<>();

    private TriggerRules() {
    }

    /** The violations of a Trigger or a Broker; none for any other kind. */
    public static List<Violation> check(Manifest manifest) {
        JsonNode spec = manifest.body().path("spec");
        if (manifest.is(EVENTING_API, "Broker")) {
            return DeliveryRules.check(spec.path("delivery"), "spec.delivery");
        }
        if (!manifest.is(EVENTING_API, "Trigger")) {
            return List.of();
        }
        TriggerRules rules = new TriggerRules();
        rules.brokerAndSubscriber(spec);
        JsonNode attributes = spec.path("filter").path("attributes");
        attributes.fieldNames().forEachRemaining(name -> rules.attributeName(name, "spec.filter.attributes"));
        JsonNode filters = spec.path("filters");
        for (int i = 0; i < filters.size(); i++) {
            rules.filter(filters.get(i), "spec.filters[" + i + "]");
        }
        rules.violations.addAll(DeliveryRules.check(spec.path("delivery"), "spec.delivery"));
        return rules.violations;
    }

    private void brokerAndSubscriber(JsonNode spec) {
        if (spec.has("broker") == spec.has("brokerRef")) {
            add("trigger.broker", "spec.broker", "exactly one of broker and brokerRef");
        }
        JsonNode subscriber = spec.path("subscriber");
        if (!subscriber.has("ref") && !subscriber.has("uri")) {
            add("trigger.subscriber", "spec.subscriber", "needs a ref or a uri");
        }
    }

    private void filter(JsonNode filter, String at) {
        List<String> dialects = DIALECTS.stream().filter(filter::has).toList();
        if (dialects.size() > 1) {
            add("trigger.filter.dialects", at, "one dialect per filter element, found " + dialects);
        }
        filter.fieldNames().forEachRemaining(key -> {
            if (!DIALECTS.contains(key)) {
                add("trigger.filter.dialect", at + "." + key, "not a filter dialect");
            }
        });
        for (String dialect : List.of("exact", "prefix", "suffix")) {
            filter.path(dialect).properties().forEach(entry -> attributeMatch(entry, at + "." + dialect));
        }
        for (String dialect : List.of("all", "any")) {
            JsonNode nested = filter.path(dialect);
            for (int i = 0; i < nested.size(); i++) {
                filter(nested.get(i), at + "." + dialect + "[" + i + "]");
            }
        }
        if (filter.has("not")) {
            filter(filter.get("not"), at + ".not");
        }
        if (filter.has("cesql")) {
            cesql(filter.get("cesql").asText(), at + ".cesql");
        }
    }

    private void attributeMatch(Map.Entry<String, JsonNode> entry, String at) {
        attributeName(entry.getKey(), at);
        if (entry.getValue().asText("").isEmpty()) {
            add("trigger.filter.value", at + "." + entry.getKey(), "the value to match must not be empty");
        }
    }

    private void attributeName(String name, String at) {
        if (!ATTRIBUTE_NAME.matcher(name).matches()) {
            add("trigger.attribute-name", at + "." + name, "CloudEvents attribute names match ^[a-z][a-z0-9]*$");
        }
    }

    private void cesql(String expression, String at) {
        try {
            Parser.parseDefault(expression);
        } catch (ParseException e) {
            add("trigger.filter.cesql", at, "not a CloudEvents SQL expression: " + e.getKind());
        } catch (RuntimeException parserFailure) {
            // cloudevents-sql 4.0.1 throws other exceptions on some syntax errors; the expression still does not
            // parse, and Knative's Go parser would refuse it too.
            add("trigger.filter.cesql", at, "not a CloudEvents SQL expression");
        }
    }

    private void add(String code, String location, String message) {
        violations.add(new Violation(code, location, message));
    }
}
