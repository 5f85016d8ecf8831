package org.clinicalfunctions.local.broker;

import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import io.cloudevents.CloudEvent;
import io.cloudevents.sql.Expression;
import io.cloudevents.sql.Result;

/** A Trigger filter, legacy {@code filter.attributes} or one {@code filters} dialect, evaluated against an event. */
public sealed interface EventFilter {

    /** True when the event should be delivered to the trigger. */
    boolean matches(CloudEvent event);

    /**
     * The string form of a context attribute or extension, null when absent. Knative looks up {@code schemaurl} as
     * an alias of {@code dataschema} and compares {@code time} as RFC 3339 text; {@code data} cannot be filtered on.
     */
    static String attribute(CloudEvent event, String name) {
        return switch (name) {
            case "specversion" -> event.getSpecVersion().toString();
            case "id" -> event.getId();
            case "type" -> event.getType();
            case "source" -> event.getSource().toString();
            case "subject" -> event.getSubject();
            case "datacontenttype" -> event.getDataContentType();
            case "dataschema", "schemaurl" -> event.getDataSchema() == null ? null : event.getDataSchema().toString();
            case "time" -> event.getTime() == null ? null
                    : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(event.getTime());
            default -> event.getExtension(name) == null ? null : event.getExtension(name).toString();
        };
    }

    /** No filter at all: passes every event (also under {@code not}). */
    record PassAll() implements EventFilter {

        @Override
        public boolean matches(CloudEvent event) {
            return true;
        }
    }

    /** How an {@code exact}, {@code prefix} or {@code suffix} entry compares; all are case-sensitive. */
    enum Comparison {
        EXACT, PREFIX, SUFFIX
    }

    /** {@code exact}/{@code prefix}/{@code suffix}: every entry must hold; a missing attribute fails. */
    record AttributeMatch(Comparison comparison, Map<String, String> expected) implements EventFilter {

        @Override
        public boolean matches(CloudEvent event) {
            return expected.entrySet().stream().allMatch(entry -> holds(attribute(event, entry.getKey()),
                    entry.getValue()));
        }

        private boolean holds(String actual, String wanted) {
            if (actual == null) {
                return false;
            }
            return switch (comparison) {
                case EXACT -> actual.equals(wanted);
                case PREFIX -> actual.startsWith(wanted);
                case SUFFIX -> actual.endsWith(wanted);
            };
        }
    }

    /**
     * Legacy {@code filter.attributes}: AND of exact matches. Value {@code ""} is the one place MT and Kafka
     * disagree: MT wants the attribute present and non-empty, Kafka ignores the entry.
     */
    record LegacyAttributes(Map<String, String> expected, boolean emptyMeansPresent) implements EventFilter {

        @Override
        public boolean matches(CloudEvent event) {
            return expected.entrySet().stream().allMatch(entry -> holds(event, entry.getKey(), entry.getValue()));
        }

        private boolean holds(CloudEvent event, String name, String wanted) {
            String actual = attribute(event, name);
            if (!wanted.isEmpty()) {
                return wanted.equals(actual);
            }
            return !emptyMeansPresent || (actual != null && !actual.isEmpty());
        }
    }

    /** {@code all}: every nested filter passes; an empty list passes (the webhook does not enforce "at least one"). */
    record AllOf(List<EventFilter> filters) implements EventFilter {

        @Override
        public boolean matches(CloudEvent event) {
            return filters.stream().allMatch(filter -> filter.matches(event));
        }
    }

    /** {@code any}: at least one nested filter passes; an empty list passes, as in Knative. */
    record AnyOf(List<EventFilter> filters) implements EventFilter {

        @Override
        public boolean matches(CloudEvent event) {
            return filters.isEmpty() || filters.stream().anyMatch(filter -> filter.matches(event));
        }
    }

    /** {@code not}: negates one nested filter; Knative: {@code not} of "no filter" is still "no filter". */
    record Not(EventFilter filter) implements EventFilter {

        @Override
        public boolean matches(CloudEvent event) {
            return filter instanceof PassAll || !filter.matches(event);
        }
    }

    /**
     * {@code cesql}: a CloudEvents SQL v1 expression parsed at admission. As in both Knative brokers an evaluation
     * error is false and the result is cast to boolean.
     */
    record Sql(String text, Expression expression) implements EventFilter {

        @Override
        public boolean matches(CloudEvent event) {
            try {
                Result result = expression.evaluate(event);
                return !result.isFailed() && asBoolean(result.value());
            } catch (RuntimeException evaluationFailure) {
                return false;
            }
        }

        private static boolean asBoolean(Object value) {
            if (value instanceof Boolean flag) {
                return flag;
            }
            if (value instanceof Integer number) {
                return number != 0;
            }
            return value instanceof String text && Boolean.parseBoolean(text);
        }
    }
}
