package org.clinicalfunctions.local.broker;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.cloudevents.sql.ParseException;
import io.cloudevents.sql.Parser;

/** The Knative webhook's checks on a Trigger's filters, turning admitted YAML into {@link EventFilter}s. */
final class FilterAdmission {

    /** Knative webhook: CloudEvents attribute names are lower-case letters and digits, starting with a letter. */
    static final Pattern ATTRIBUTE_NAME = Pattern.compile("^[a-z][a-z0-9]*$");

    private static final Set<String> DIALECTS = Set.of("exact", "prefix", "suffix", "all", "any", "not", "cesql");

    private final String file;
    private final BrokerBehaviour behaviour;

    FilterAdmission(String file, BrokerBehaviour behaviour) {
        this.file = file;
        this.behaviour = behaviour;
    }

    /** {@code filters} non-empty wins; else {@code filter.attributes}; else everything passes. */
    EventFilter admit(JsonNode spec) {
        JsonNode filters = spec.path("filters");
        if (filters.isArray() && !filters.isEmpty()) {
            return new EventFilter.AllOf(list(filters, "spec.filters"));
        }

        JsonNode attributes = spec.path("filter").path("attributes");
        if (attributes.isObject() && !attributes.isEmpty()) {
            Map<String, String> expected = strings(attributes, "spec.filter.attributes", true);
            return new EventFilter.LegacyAttributes(expected, behaviour.emptyValueMeansPresent());
        }
        return new EventFilter.PassAll();
    }

    private List<EventFilter> list(JsonNode array, String field) {
        if (!array.isArray()) {
            throw new ManifestException(file, field, "must be a list of filters");
        }
        List<EventFilter> filters = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            filters.add(element(array.get(i), field + "[" + i + "]"));
        }
        return filters;
    }

    private EventFilter element(JsonNode node, String field) {
        if (node == null || node.isNull() || (node.isObject() && node.isEmpty())) {
            return new EventFilter.PassAll();
        }
        if (!node.isObject()) {
            throw new ManifestException(file, field, "must be a filter object");
        }
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        // Knative webhook: exactly one dialect per element ("multiple dialects found").
        if (keys.size() > 1) {
            throw new ManifestException(file, field, "multiple dialects found " + keys);
        }

        String dialect = keys.get(0);
        JsonNode value = node.get(dialect);
        String at = field + "." + dialect;
        return switch (dialect) {
            case "exact" -> new EventFilter.AttributeMatch(EventFilter.Comparison.EXACT, strings(value, at, false));
            case "prefix" -> new EventFilter.AttributeMatch(EventFilter.Comparison.PREFIX, strings(value, at, false));
            case "suffix" -> new EventFilter.AttributeMatch(EventFilter.Comparison.SUFFIX, strings(value, at, false));
            case "all" -> new EventFilter.AllOf(list(value, at));
            case "any" -> new EventFilter.AnyOf(list(value, at));
            case "not" -> new EventFilter.Not(element(value, at));
            case "cesql" -> sql(value, at);
            default -> throw new ManifestException(file, field, "unknown dialect, expected one of " + DIALECTS);
        };
    }

    private EventFilter sql(JsonNode value, String field) {
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new ManifestException(file, field, "must be a non-empty CESQL expression");
        }
        try {
            return new EventFilter.Sql(value.asText(), Parser.parseDefault(value.asText()));
        } catch (ParseException invalid) {
            throw new ManifestException(file, field, "CESQL does not parse: " + invalid.getMessage());
        } catch (RuntimeException parserFailure) {
            // cloudevents-sql 4.0.1 can throw a NullPointerException instead of a ParseException on some syntax
            // errors (a null RecognitionException); it is still an expression that does not parse.
            throw new ManifestException(file, field, "CESQL does not parse");
        }
    }

    private Map<String, String> strings(JsonNode map, String field, boolean emptyValueAllowed) {
        if (!map.isObject() || map.isEmpty()) {
            throw new ManifestException(file, field, "must be a non-empty map of attribute to value");
        }
        Map<String, String> expected = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            String name = entry.getKey();
            if (!ATTRIBUTE_NAME.matcher(name).matches()) {
                throw new ManifestException(file, field + "." + name, "attribute name must match "
                        + ATTRIBUTE_NAME.pattern());
            }
            String value = entry.getValue().isNull() ? "" : entry.getValue().asText();
            if (value.isEmpty() && !emptyValueAllowed) {
                throw new ManifestException(file, field + "." + name, "value must not be empty");
            }
            expected.put(name, value);
        }
        return expected;
    }
}
