package org.clinicalfunctions.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Reads the functions to run from the same manifests AKS applies: Knative Services under {@code knative/base} and
 * the SinkBindings under {@code eventing/} that give a function its {@code K_SINK}.
 */
public final class ServiceManifests {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** The cluster's JVM flags point at container paths such as /scratch; locally the JVM keeps its own. */
    private static final Set<String> CLUSTER_ONLY_ENV = Set.of("JAVA_TOOL_OPTIONS", "JAVA_OPTS");

    private ServiceManifests() {
    }

    public static List<FunctionSpec> read(PlatformLayout layout) throws IOException {
        List<JsonNode> documents = new ArrayList<>(documentsUnder(layout.services()));
        documents.addAll(documentsUnder(layout.eventing()));
        Set<String> sinkBound = new HashSet<>();
        for (JsonNode doc : documents) {
            if ("SinkBinding".equals(doc.path("kind").asText())) {
                sinkBound.add(doc.path("spec").path("subject").path("name").asText());
            }
        }
        List<FunctionSpec> functions = new ArrayList<>();
        for (JsonNode doc : documents) {
            if ("Service".equals(doc.path("kind").asText())
                    && doc.path("apiVersion").asText().startsWith("serving.knative.dev/")) {
                String name = doc.path("metadata").path("name").asText();
                functions.add(new FunctionSpec(name, plainEnv(doc), sinkBound.contains(name)));
            }
        }
        return functions;
    }

    private static Map<String, String> plainEnv(JsonNode service) {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode containers = service.path("spec").path("template").path("spec").path("containers");
        for (JsonNode container : containers) {
            for (JsonNode variable : container.path("env")) {
                if (variable.has("value") && !CLUSTER_ONLY_ENV.contains(variable.path("name").asText())) {
                    env.put(variable.path("name").asText(), variable.path("value").asText());
                }
            }
        }
        return env;
    }

    static List<JsonNode> documentsUnder(Path folder) throws IOException {
        List<JsonNode> documents = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return documents;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(ServiceManifests::isYaml).sorted().toList()) {
                try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
                    while (it.hasNext()) {
                        JsonNode doc = it.next();
                        if (doc != null && doc.isObject()) {
                            documents.add(doc);
                        }
                    }
                }
            }
        }
        return documents;
    }

    private static boolean isYaml(Path path) {
        String name = path.getFileName().toString();
        return (name.endsWith(".yaml") || name.endsWith(".yml")) && !name.startsWith("kustomization");
    }
}
