package org.clinicalfunctions.local.broker;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The Brokers and Triggers ({@code eventing.knative.dev/v1}) found in the YAML files of one folder, checked the way
 * the Knative webhook would check them. Other kinds are ignored; sub-folders are not read.
 */
public record EventingManifests(List<BrokerSpec> brokers, List<TriggerSpec> triggers) {

    private static final String API_VERSION = "eventing.knative.dev/v1";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /**
     * Reads every {@code *.yaml}/{@code *.yml} file (multi-document allowed) in name order.
     *
     * @param defaultNamespace namespace of objects whose metadata has none
     * @throws ManifestException naming the file and field of the first problem
     */
    public static EventingManifests load(Path folder, String defaultNamespace, BrokerBehaviour behaviour) {
        List<BrokerSpec> brokers = new ArrayList<>();
        List<TriggerSpec> triggers = new ArrayList<>();
        for (Path file : yamlFiles(folder)) {
            for (JsonNode document : documents(file)) {
                String name = file.getFileName().toString();
                String kind = document.path("kind").asText();
                if (!API_VERSION.equals(document.path("apiVersion").asText())) {
                    continue;
                }
                if ("Broker".equals(kind)) {
                    BrokerSpec broker = broker(document, name, defaultNamespace);
                    requireUnique(brokers.stream().map(b -> b.namespace() + "/" + b.name()).toList(),
                            broker.namespace() + "/" + broker.name(), name);
                    brokers.add(broker);
                } else if ("Trigger".equals(kind)) {
                    TriggerSpec trigger = trigger(document, name, defaultNamespace, behaviour);
                    requireUnique(triggers.stream().map(t -> t.namespace() + "/" + t.name()).toList(),
                            trigger.namespace() + "/" + trigger.name(), name);
                    triggers.add(trigger);
                }
            }
        }
        return new EventingManifests(List.copyOf(brokers), List.copyOf(triggers));
    }

    /** The broker with this namespace and name. */
    public Optional<BrokerSpec> broker(String namespace, String name) {
        return brokers.stream().filter(b -> b.namespace().equals(namespace) && b.name().equals(name)).findFirst();
    }

    /** The triggers attached to that broker, in file order. */
    public List<TriggerSpec> triggersOf(String namespace, String broker) {
        return triggers.stream().filter(t -> t.namespace().equals(namespace) && t.broker().equals(broker)).toList();
    }

    /** Kubernetes: one object per kind, namespace and name; a second one would silently replace the first. */
    private static void requireUnique(List<String> known, String key, String file) {
        if (known.contains(key)) {
            throw new ManifestException(file, "metadata.name", "duplicate object " + key);
        }
    }

    private static List<Path> yamlFiles(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
                    .sorted()
                    .toList();
        } catch (IOException unreadable) {
            throw new ManifestException(folder.getFileName().toString(), "-", "folder cannot be read: "
                    + unreadable.getMessage());
        }
    }

    private static List<JsonNode> documents(Path file) {
        try (JsonParser parser = YAML.createParser(file.toFile());
                MappingIterator<JsonNode> it = YAML.readValues(parser, JsonNode.class)) {
            List<JsonNode> documents = new ArrayList<>();
            while (it.hasNextValue()) {
                JsonNode document = it.nextValue();
                if (document != null && document.isObject()) {
                    documents.add(document);
                }
            }
            return documents;
        } catch (IOException | RuntimeException invalid) {
            throw new ManifestException(file.getFileName().toString(), "-", "not valid YAML: " + invalid.getMessage());
        }
    }

    private static BrokerSpec broker(JsonNode document, String file, String defaultNamespace) {
        String name = required(document.path("metadata").path("name"), file, "metadata.name");
        String namespace = document.path("metadata").path("namespace").asText(defaultNamespace);
        JsonNode delivery = document.path("spec").path("delivery");
        DeliverySpec spec = delivery.isObject() ? delivery(delivery, file, "spec.delivery")
                : DeliverySpec.CLUSTER_DEFAULT;
        return new BrokerSpec(name, namespace, spec, file);
    }

    private static TriggerSpec trigger(JsonNode document, String file, String defaultNamespace,
            BrokerBehaviour behaviour) {
        String name = required(document.path("metadata").path("name"), file, "metadata.name");
        String namespace = document.path("metadata").path("namespace").asText(defaultNamespace);
        JsonNode spec = document.path("spec");
        String broker = required(spec.path("broker"), file, "spec.broker");
        EventFilter filter = new FilterAdmission(file, behaviour).admit(spec);
        Destination subscriber = destination(spec.path("subscriber"), file, "spec.subscriber");
        if (subscriber == null) {
            throw new ManifestException(file, "spec.subscriber", "required: a ref and/or a uri");
        }

        JsonNode delivery = spec.path("delivery");
        DeliverySpec deliverySpec = delivery.isObject() ? delivery(delivery, file, "spec.delivery") : null;
        return new TriggerSpec(name, namespace, broker, filter, subscriber, deliverySpec, file);
    }

    private static DeliverySpec delivery(JsonNode node, String file, String field) {
        int retry = 0;
        if (node.has("retry")) {
            if (!node.get("retry").canConvertToInt() || node.get("retry").asInt() < 0) {
                throw new ManifestException(file, field + ".retry", "must be an integer >= 0");
            }
            retry = node.get("retry").asInt();
        }
        BackoffPolicy policy = null;
        if (node.has("backoffPolicy")) {
            String text = node.get("backoffPolicy").asText();
            if (!"linear".equals(text) && !"exponential".equals(text)) {
                throw new ManifestException(file, field + ".backoffPolicy", "must be linear or exponential");
            }
            policy = BackoffPolicy.valueOf(text.toUpperCase(Locale.ROOT));
        }
        Duration delay = duration(node.path("backoffDelay"), file, field + ".backoffDelay", false);
        Duration timeout = duration(node.path("timeout"), file, field + ".timeout", true);
        Duration retryAfterMax = duration(node.path("retryAfterMax"), file, field + ".retryAfterMax", false);
        String format = node.path("format").asText("binary");
        if (!"json".equals(format) && !"binary".equals(format)) {
            throw new ManifestException(file, field + ".format", "must be json or binary");
        }

        Destination deadLetterSink = destination(node.path("deadLetterSink"), file, field + ".deadLetterSink");
        return new DeliverySpec(retry, policy, delay, timeout, deadLetterSink, "json".equals(format), retryAfterMax);
    }

    private static Duration duration(JsonNode node, String file, String field, boolean positive) {
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        try {
            Duration duration = Duration.parse(node.asText());
            if (duration.isNegative() || (positive && duration.isZero())) {
                throw new ManifestException(file, field, positive ? "must be > 0" : "must not be negative");
            }
            return duration;
        } catch (DateTimeParseException invalid) {
            throw new ManifestException(file, field, "must be an ISO-8601 duration such as PT0.2S");
        }
    }

    private static Destination destination(JsonNode node, String file, String field) {
        if (!node.isObject()) {
            return null;
        }
        ResourceRef ref = null;
        JsonNode refNode = node.path("ref");
        if (refNode.isObject()) {
            ref = new ResourceRef(required(refNode.path("apiVersion"), file, field + ".ref.apiVersion"),
                    required(refNode.path("kind"), file, field + ".ref.kind"),
                    required(refNode.path("name"), file, field + ".ref.name"));
        }
        String uri = node.path("uri").isTextual() ? node.get("uri").asText() : null;
        if (ref == null && uri == null) {
            throw new ManifestException(file, field, "needs a ref and/or a uri");
        }
        checkUri(uri, ref != null, file, field + ".uri");
        String audience = node.path("audience").isTextual() ? node.get("audience").asText() : null;
        return new Destination(ref, uri, audience);
    }

    private static void checkUri(String uri, boolean relativeAllowed, String file, String field) {
        if (uri == null) {
            return;
        }
        try {
            if (!relativeAllowed && !URI.create(uri).isAbsolute()) {
                throw new ManifestException(file, field, "must be absolute when there is no ref");
            }
        } catch (IllegalArgumentException invalid) {
            throw new ManifestException(file, field, "is not a URI");
        }
    }

    private static String required(JsonNode node, String file, String field) {
        if (!node.isValueNode() || node.asText().isEmpty()) {
            throw new ManifestException(file, field, "required");
        }
        return node.asText();
    }
}
