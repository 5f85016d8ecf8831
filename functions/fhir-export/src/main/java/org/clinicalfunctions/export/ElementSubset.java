package org.clinicalfunctions.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeDeclaredChildDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Bulk Data {@code _elements} (P08) for one resource type: the top-level elements a line keeps, and the rewrite
 * that drops the others and tags the resource {@code SUBSETTED}. Kept are the listed elements, {@code id} and
 * {@code meta}, the mandatory elements (minimum cardinality 1 in R4) and, beyond the IG's SHOULD, the modifier
 * elements (e.g. {@code Patient.active}, {@code deceased[x]}), since a line without them could be read as meaning
 * the opposite. A choice element is named without its type ({@code value} keeps {@code valueQuantity}).
 */
final class ElementSubset {

    /** The key under which {@code _elements} entries without a type are kept: they apply to every type. */
    static final String ANY_TYPE = "*";

    private static final String SUBSETTED_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ObservationValue";
    /** Exact decimals: a FHIR decimal keeps its precision (1.50 stays 1.50) through the rewrite. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    /** Element of each top-level JSON key of the type ({@code valueQuantity} is of {@code value}). */
    private final Map<String, String> elementOfKey;
    private final Set<String> kept;

    private ElementSubset(Map<String, String> elementOfKey, Set<String> kept) {
        this.elementOfKey = elementOfKey;
        this.kept = kept;
    }

    /**
     * The subset for {@code type}, or null when no entry applies to it: a type none of whose elements is listed
     * is exported whole, so {@code Observation.code} alone does not strip the Patients of the same export.
     */
    static ElementSubset of(FhirContext fhir, String type, Map<String, List<String>> elements) {
        Map<String, String> keys = topLevel(fhir, type);
        Set<String> listed = new HashSet<>(elements.getOrDefault(type, List.of()));
        elements.getOrDefault(ANY_TYPE, List.of()).stream().filter(keys::containsValue).forEach(listed::add);
        if (listed.isEmpty()) {
            return null;
        }
        Set<String> kept = new HashSet<>(listed);
        kept.addAll(List.of("id", "meta"));
        for (BaseRuntimeChildDefinition child : fhir.getResourceDefinition(type).getChildren()) {
            boolean modifier = child instanceof BaseRuntimeDeclaredChildDefinition declared && declared.isModifier();
            if (child.getMin() > 0 || modifier) {
                kept.add(baseName(child));
            }
        }
        return new ElementSubset(keys, kept);
    }

    /** True when {@code element} is a top-level element of the R4 resource {@code type}. */
    static boolean isTopLevel(FhirContext fhir, String type, String element) {
        return topLevel(fhir, type).containsValue(element);
    }

    /** The line with only the kept elements, tagged SUBSETTED, still one line of JSON. */
    String apply(String line) {
        try {
            ObjectNode resource = (ObjectNode) JSON.readTree(line);
            Iterator<String> names = resource.fieldNames();
            while (names.hasNext()) {
                String key = names.next();
                String element = elementOfKey.get(key.startsWith("_") ? key.substring(1) : key);
                if (element != null && !kept.contains(element)) {
                    names.remove();
                }
            }
            tagSubsetted(resource);
            return JSON.writeValueAsString(resource);
        } catch (IOException e) {
            throw new UncheckedIOException("FX-500 stored resource is not JSON", e);
        }
    }

    private static void tagSubsetted(ObjectNode resource) {
        JsonNode meta = resource.path("meta");
        ObjectNode object = meta.isObject() ? (ObjectNode) meta : resource.putObject("meta");
        ArrayNode tags = object.path("tag").isArray() ? (ArrayNode) object.get("tag") : object.putArray("tag");
        for (JsonNode tag : tags) {
            if (SUBSETTED_SYSTEM.equals(tag.path("system").asText()) && "SUBSETTED".equals(tag.path("code").asText())) {
                return;
            }
        }
        tags.addObject().put("system", SUBSETTED_SYSTEM).put("code", "SUBSETTED").put("display", "subsetted");
    }

    private static Map<String, String> topLevel(FhirContext fhir, String type) {
        RuntimeResourceDefinition definition = fhir.getResourceDefinition(type);
        Map<String, String> keys = new HashMap<>();
        for (BaseRuntimeChildDefinition child : definition.getChildren()) {
            String element = baseName(child);
            keys.put(element, element);
            child.getValidChildNames().forEach(name -> keys.put(name, element));
        }
        return keys;
    }

    private static String baseName(BaseRuntimeChildDefinition child) {
        String name = child.getElementName();
        return name.endsWith("[x]") ? name.substring(0, name.length() - 3) : name;
    }
}
