package org.clinicalfunctions.deployer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.Pluralize;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * The objects of a rendered overlay ({@code kubectl kustomize knative/overlays/aks-prod}), in file order, as
 * generic resources: the deployer applies Knative, Istio, CSI and Eventing objects alike, without their types.
 */
public final class RenderedManifests {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private RenderedManifests() {
    }

    /** Every non-empty document of the file. */
    public static List<GenericKubernetesResource> read(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every non-empty document of a YAML text. */
    public static List<GenericKubernetesResource> parse(String yaml) {
        List<GenericKubernetesResource> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (documents.hasNextValue()) {
                JsonNode document = documents.nextValue();
                if (document != null && document.isObject() && !document.isEmpty()) {
                    objects.add(SERIALIZATION.convertValue(document, GenericKubernetesResource.class));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the rendered manifests are not YAML", e);
        }
        return objects;
    }

    /** Where the API serves this object: group, version, plural of its kind, and whether it is namespaced. */
    public static ResourceDefinitionContext definition(GenericKubernetesResource object) {
        String apiVersion = object.getApiVersion();
        int slash = apiVersion.indexOf('/');
        return new ResourceDefinitionContext.Builder()
                .withGroup(slash < 0 ? "" : apiVersion.substring(0, slash))
                .withVersion(apiVersion.substring(slash + 1))
                .withKind(object.getKind())
                .withPlural(Pluralize.toPlural(object.getKind().toLowerCase(Locale.ROOT)))
                .withNamespaced(object.getMetadata().getNamespace() != null)
                .build();
    }
}
