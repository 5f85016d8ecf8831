package org.clinicalfunctions.manifests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * A small kustomize for the features this repository uses, so overlays render without kubectl: {@code resources}
 * (files and folders), {@code components}, {@code images}, {@code patches} (strategic merge of maps, JSON 6902
 * add/replace/remove, with or without a target) and {@code labels} without templates. Any other kustomization
 * field is refused rather than ignored, so a new feature in an overlay fails here until it is implemented.
 * {@code OverlayRenderingTests} compares the result with {@code kubectl kustomize} where kubectl is installed.
 */
public final class Kustomize {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Set<String> SUPPORTED = Set.of("apiVersion", "kind", "resources", "components", "images",
            "patches", "labels");
    private static final Set<String> CONTAINER_LISTS = Set.of("containers", "initContainers");

    private final Path root;

    private Kustomize(Path root) {
        this.root = root;
    }

    /** The objects kustomize would render from the kustomization in {@code folder} (relative to the root). */
    public static List<Manifest> render(String folder) {
        Path root = ManifestFiles.repositoryRoot();
        Kustomize kustomize = new Kustomize(root);
        List<ObjectNode> objects = kustomize.build(root.resolve(folder).normalize(), false);
        List<Manifest> manifests = new ArrayList<>();
        for (int i = 0; i < objects.size(); i++) {
            manifests.add(new Manifest(folder + " (rendered)", i, objects.get(i)));
        }
        return manifests;
    }

    private List<ObjectNode> build(Path folder, boolean component) {
        JsonNode kustomization = readKustomization(folder);
        String kind = kustomization.path("kind").asText("Kustomization");
        if (component != "Component".equals(kind)) {
            throw new IllegalArgumentException(name(folder) + " is a " + kind + " where a "
                    + (component ? "Component" : "Kustomization") + " is expected");
        }
        kustomization.fieldNames().forEachRemaining(field -> {
            if (!SUPPORTED.contains(field)) {
                throw new UnsupportedOperationException(name(folder) + ": kustomization field " + field
                        + " is not implemented by this renderer");
            }
        });
        List<ObjectNode> objects = new ArrayList<>();
        for (JsonNode resource : kustomization.path("resources")) {
            objects.addAll(resource(folder.resolve(resource.asText()).normalize()));
        }
        return apply(folder, kustomization, objects);
    }

    /** Applies a kustomization's components, patches, images and labels to objects, in kustomize's order. */
    private List<ObjectNode> apply(Path folder, JsonNode kustomization, List<ObjectNode> objects) {
        for (JsonNode component : kustomization.path("components")) {
            Path componentFolder = folder.resolve(component.asText()).normalize();
            JsonNode componentKustomization = readKustomization(componentFolder);
            for (JsonNode resource : componentKustomization.path("resources")) {
                objects.addAll(resource(componentFolder.resolve(resource.asText()).normalize()));
            }
            apply(componentFolder, withoutResources(componentKustomization), objects);
        }
        for (JsonNode patch : kustomization.path("patches")) {
            KustomizePatches.apply(folder, patch, objects);
        }
        for (JsonNode image : kustomization.path("images")) {
            objects.forEach(object -> setImage(object, image));
        }
        for (JsonNode label : kustomization.path("labels")) {
            addLabels(folder, label, objects);
        }
        return objects;
    }

    private static ObjectNode withoutResources(JsonNode kustomization) {
        ObjectNode copy = kustomization.deepCopy();
        copy.remove("resources");
        copy.remove("components");
        return copy;
    }

    private List<ObjectNode> resource(Path path) {
        if (Files.isDirectory(path)) {
            return build(path, false);
        }
        List<ObjectNode> objects = new ArrayList<>();
        for (Manifest manifest : ManifestFiles.read(root, path)) {
            objects.add((ObjectNode) manifest.body().deepCopy());
        }
        return objects;
    }

    private JsonNode readKustomization(Path folder) {
        Path file = folder.resolve("kustomization.yaml");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no kustomization.yaml in " + name(folder));
        }
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String name(Path folder) {
        return root.relativize(folder).toString().replace('\\', '/');
    }

    /** Kustomize's image transformer: every container list anywhere in the object, matched by image name. */
    private static void setImage(JsonNode node, JsonNode image) {
        if (node.isArray()) {
            node.forEach(child -> setImage(child, image));
            return;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (CONTAINER_LISTS.contains(field.getKey()) && field.getValue().isArray()) {
                field.getValue().forEach(container -> retag((ObjectNode) container, image));
            } else if (field.getValue().isContainerNode()) {
                setImage(field.getValue(), image);
            }
        }
    }

    private static void retag(ObjectNode container, JsonNode image) {
        String current = container.path("image").asText("");
        String name = imageName(current);
        if (!name.equals(image.path("name").asText())) {
            return;
        }
        String reference = current.substring(name.length());
        String newName = image.path("newName").asText(name);
        if (image.has("digest")) {
            reference = "@" + image.path("digest").asText();
        } else if (image.has("newTag")) {
            reference = ":" + image.path("newTag").asText();
        }
        container.put("image", newName + reference);
    }

    /** The image without its tag or digest; a colon before the last slash belongs to a registry port. */
    static String imageName(String image) {
        int at = image.indexOf('@');
        String withoutDigest = at >= 0 ? image.substring(0, at) : image;
        int colon = withoutDigest.lastIndexOf(':');
        return colon > withoutDigest.lastIndexOf('/') ? withoutDigest.substring(0, colon) : withoutDigest;
    }

    private void addLabels(Path folder, JsonNode label, List<ObjectNode> objects) {
        boolean templates = label.path("includeTemplates").asBoolean(false);
        boolean selectors = label.path("includeSelectors").asBoolean(false);
        if (templates || selectors) {
            throw new UnsupportedOperationException(name(folder) + ": labels with includeTemplates or includeSelectors"
                    + " are not implemented by this renderer");
        }
        for (ObjectNode object : objects) {
            JsonNode metadata = object.path("metadata");
            ObjectNode labels = metadata.path("labels").isObject() ? (ObjectNode) metadata.path("labels")
                    : ((ObjectNode) metadata).putObject("labels");
            label.path("pairs").fields().forEachRemaining(pair -> labels.set(pair.getKey(), pair.getValue()));
        }
    }
}
