package org.clinicalfunctions.manifests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * The {@code patches} entries of a kustomization. A patch file holding a list is a JSON 6902 patch (add, replace,
 * remove) and needs a target; any other is a strategic merge patch: maps merge, {@code null} deletes, and a list
 * is refused, because kustomize replaces lists in custom resources but merges them by key in built-in kinds.
 */
final class KustomizePatches {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Set<String> TARGET_FIELDS = Set.of("group", "version", "kind", "name", "namespace");

    private KustomizePatches() {
    }

    static void apply(Path folder, JsonNode entry, List<ObjectNode> objects) {
        for (JsonNode patch : read(folder, entry)) {
            applyOne(folder, entry, patch, objects);
        }
    }

    private static void applyOne(Path folder, JsonNode entry, JsonNode patch, List<ObjectNode> objects) {
        JsonNode target = entry.path("target");
        target.fieldNames().forEachRemaining(field -> {
            if (!TARGET_FIELDS.contains(field)) {
                throw new UnsupportedOperationException("patch target field " + field + " is not implemented");
            }
        });
        List<ObjectNode> matches = objects.stream()
                .filter(object -> target.isMissingNode() ? sameObject(object, patch) : isTarget(object, target))
                .toList();
        if (matches.isEmpty()) {
            throw new IllegalArgumentException("patch " + entry + " in " + folder.getFileName() + " matches nothing");
        }
        for (ObjectNode object : matches) {
            if (patch.isArray()) {
                jsonPatch(object, (ArrayNode) patch);
            } else {
                merge(object, patch, "");
            }
        }
    }

    /** The documents of a patch file or inline patch; a file may hold several strategic merge patches. */
    private static List<JsonNode> read(Path folder, JsonNode entry) {
        String text;
        try {
            text = entry.has("path") ? Files.readString(folder.resolve(entry.path("path").asText()))
                    : entry.path("patch").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(text)) {
            JsonNode first = YAML.readTree(text);
            if (first != null && first.isArray()) {
                return List.of(first);
            }
            List<JsonNode> patches = new ArrayList<>();
            while (documents.hasNextValue()) {
                JsonNode document = documents.nextValue();
                if (document != null && !document.isEmpty()) {
                    patches.add(document);
                }
            }
            return patches;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean sameObject(JsonNode object, JsonNode patch) {
        return object.path("apiVersion").equals(patch.path("apiVersion"))
                && object.path("kind").equals(patch.path("kind"))
                && object.at("/metadata/name").equals(patch.at("/metadata/name"))
                && object.at("/metadata/namespace").asText("").equals(patch.at("/metadata/namespace").asText(""));
    }

    private static boolean isTarget(JsonNode object, JsonNode target) {
        String apiVersion = object.path("apiVersion").asText();
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        String version = apiVersion.substring(slash + 1);
        return matches(target, "group", group) && matches(target, "version", version)
                && matches(target, "kind", object.path("kind").asText())
                && matches(target, "name", object.at("/metadata/name").asText())
                && matches(target, "namespace", object.at("/metadata/namespace").asText());
    }

    private static boolean matches(JsonNode target, String field, String actual) {
        return !target.has(field) || target.path(field).asText().equals(actual);
    }

    /** Strategic merge for maps; the patch's own name is ignored so a targeted patch can name any object. */
    private static void merge(ObjectNode object, JsonNode patch, String at) {
        patch.fields().forEachRemaining(field -> {
            String key = field.getKey();
            JsonNode value = field.getValue();
            boolean identity = "/metadata".equals(at) && ("name".equals(key) || "namespace".equals(key));
            if (identity || at.isEmpty() && ("apiVersion".equals(key) || "kind".equals(key))) {
                return;
            }
            if (value.isNull()) {
                object.remove(key);
            } else if (value.isArray()) {
                throw new UnsupportedOperationException("a strategic merge patch setting the list " + at + "/" + key
                        + " is not implemented; use a JSON 6902 patch");
            } else if (value.isObject() && object.path(key).isObject()) {
                merge((ObjectNode) object.get(key), value, at + "/" + key);
            } else {
                object.set(key, value.deepCopy());
            }
        });
    }

    private static void jsonPatch(ObjectNode object, ArrayNode operations) {
        for (JsonNode operation : operations) {
            String op = operation.path("op").asText();
            JsonPointer path = JsonPointer.compile(operation.path("path").asText());
            JsonNode parent = object.at(path.head());
            String last = path.last().getMatchingProperty();
            if (parent.isMissingNode()) {
                throw new IllegalArgumentException("JSON patch path " + path + " has no parent in the object");
            }
            switch (op) {
                case "add", "replace" -> put(parent, last, operation.path("value").deepCopy(), "add".equals(op));
                case "remove" -> remove(parent, last);
                default -> throw new UnsupportedOperationException("JSON patch op " + op + " is not implemented");
            }
        }
    }

    private static void put(JsonNode parent, String key, JsonNode value, boolean insert) {
        if (parent.isObject()) {
            ((ObjectNode) parent).set(key, value);
            return;
        }
        ArrayNode array = (ArrayNode) parent;
        if ("-".equals(key)) {
            array.add(value);
        } else if (insert) {
            array.insert(Integer.parseInt(key), value);
        } else {
            array.set(Integer.parseInt(key), value);
        }
    }

    private static void remove(JsonNode parent, String key) {
        if (parent.isObject()) {
            ((ObjectNode) parent).remove(key);
        } else {
            ((ArrayNode) parent).remove(Integer.parseInt(key));
        }
    }
}
