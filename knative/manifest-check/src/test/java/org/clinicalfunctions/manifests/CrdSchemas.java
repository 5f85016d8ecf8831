package org.clinicalfunctions.manifests;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * The openAPIV3Schema of each served version of the Knative CRDs copied into {@code crds/}, as JSON Schemas.
 *
 * <p>Two changes make them checkable offline the way the API server checks them: the {@code x-kubernetes-*}
 * keywords are dropped, and an object schema that lists its properties without
 * {@code x-kubernetes-preserve-unknown-fields} rejects other properties. The API server would prune such a field
 * silently (or refuse it under kubectl's strict field validation); either way a misspelt field must fail here.
 */
public final class CrdSchemas {

    /** The CRD files on the test class path, one per kind we deploy. */
    public static final List<String> CRD_RESOURCES = List.of(
            "crds/serving/service.yaml",
            "crds/eventing/broker.yaml",
            "crds/eventing/trigger.yaml",
            "crds/eventing/sinkbindings.yaml",
            "crds/eventing/eventtype.yaml",
            "crds/eventing/eventpolicy.yaml",
            "crds/eventing-kafka/kafkasink.yaml");

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);
    private static final String PRESERVE_UNKNOWN = "x-kubernetes-preserve-unknown-fields";
    private static final Set<String> SCHEMA_LISTS = Set.of("anyOf", "allOf", "oneOf");

    private final Map<String, JsonSchema> schemasByApiVersionAndKind;
    private final Map<String, JsonNode> rawSchemasByApiVersionAndKind;

    private CrdSchemas(Map<String, JsonSchema> schemas, Map<String, JsonNode> rawSchemas) {
        this.schemasByApiVersionAndKind = schemas;
        this.rawSchemasByApiVersionAndKind = rawSchemas;
    }

    /** Loads the CRDs listed in {@link #CRD_RESOURCES}. */
    public static CrdSchemas load() {
        Map<String, JsonSchema> schemas = new HashMap<>();
        Map<String, JsonNode> rawSchemas = new HashMap<>();
        for (String resource : CRD_RESOURCES) {
            JsonNode crd = readResource(resource);
            String group = crd.path("spec").path("group").asText();
            String kind = crd.path("spec").path("names").path("kind").asText();
            for (JsonNode version : crd.path("spec").path("versions")) {
                JsonNode openApi = version.path("schema").path("openAPIV3Schema");
                String key = key(group + "/" + version.path("name").asText(), kind);
                rawSchemas.put(key, openApi);
                schemas.put(key, FACTORY.getSchema(withObjectMeta(toJsonSchema(openApi))));
            }
        }
        return new CrdSchemas(schemas, rawSchemas);
    }

    /** True when a CRD for the manifest's apiVersion and kind was loaded. */
    public boolean covers(Manifest manifest) {
        return schemasByApiVersionAndKind.containsKey(key(manifest.apiVersion(), manifest.kind()));
    }

    /** The unmodified openAPIV3Schema of an apiVersion and kind, for rules that read its descriptions. */
    public JsonNode rawSchema(String apiVersion, String kind) {
        return rawSchemasByApiVersionAndKind.get(key(apiVersion, kind));
    }

    /** The schema violations of a manifest, sorted by location; empty when no CRD covers it. */
    public List<Violation> validate(Manifest manifest) {
        JsonSchema schema = schemasByApiVersionAndKind.get(key(manifest.apiVersion(), manifest.kind()));
        if (schema == null) {
            return List.of();
        }
        List<Violation> violations = new ArrayList<>();
        for (ValidationMessage message : schema.validate(manifest.body())) {
            violations.add(new Violation("schema." + message.getType(), location(message), message.getMessage()));
        }
        violations.sort(Comparator.comparing(Violation::location).thenComparing(Violation::code));
        return violations;
    }

    /** A copy of an openAPIV3Schema node without x-kubernetes keywords and closed where Kubernetes prunes. */
    static JsonNode toJsonSchema(JsonNode openApi) {
        ObjectNode schema = JsonNodeFactory.instance.objectNode();
        openApi.properties().forEach(field -> {
            String keyword = field.getKey();
            JsonNode value = field.getValue();
            if (keyword.startsWith("x-kubernetes-")) {
                return;
            }
            schema.set(keyword, convertKeyword(keyword, value));
        });
        boolean preservesUnknown = openApi.path(PRESERVE_UNKNOWN).asBoolean(false);
        if (openApi.has("properties") && !openApi.has("additionalProperties") && !preservesUnknown) {
            schema.put("additionalProperties", false);
        }
        return schema;
    }

    /** Kubernetes accepts apiVersion, kind and metadata on every object, whether the CRD lists them or not. */
    private static JsonNode withObjectMeta(JsonNode root) {
        ObjectNode properties = ((ObjectNode) root).withObject("properties");
        properties.putIfAbsent("apiVersion", JsonNodeFactory.instance.objectNode().put("type", "string"));
        properties.putIfAbsent("kind", JsonNodeFactory.instance.objectNode().put("type", "string"));
        properties.putIfAbsent("metadata", JsonNodeFactory.instance.objectNode().put("type", "object"));
        return root;
    }

    private static JsonNode convertKeyword(String keyword, JsonNode value) {
        if ("properties".equals(keyword)) {
            ObjectNode properties = JsonNodeFactory.instance.objectNode();
            value.properties().forEach(p -> properties.set(p.getKey(), toJsonSchema(p.getValue())));
            return properties;
        }
        if (("items".equals(keyword) || "additionalProperties".equals(keyword) || "not".equals(keyword))
                && value.isObject()) {
            return toJsonSchema(value);
        }
        if (SCHEMA_LISTS.contains(keyword)) {
            ArrayNode list = JsonNodeFactory.instance.arrayNode();
            value.forEach(item -> list.add(toJsonSchema(item)));
            return list;
        }
        return value;
    }

    private static String location(ValidationMessage message) {
        String location = message.getInstanceLocation().toString().replaceFirst("^\\$\\.?", "");
        String type = message.getType();
        if (message.getProperty() != null && ("additionalProperties".equals(type) || "required".equals(type))) {
            return location.isEmpty() ? message.getProperty() : location + "." + message.getProperty();
        }
        return location;
    }

    private static String key(String apiVersion, String kind) {
        return apiVersion + " " + kind;
    }

    private static JsonNode readResource(String resource) {
        try (InputStream in = CrdSchemas.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
