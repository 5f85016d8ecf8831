package org.clinicalfunctions.manifests;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * The Knative Serving configuration a rendered overlay sets: its {@code knative-serving} ConfigMaps over the
 * upstream ones (copied under {@code crds/config}). Only keys set outside {@code _example} are set; the
 * {@code _example} lines are the documented defaults.
 */
public final class KnativeConfig {

    private static final Pattern EXAMPLE_LINE = Pattern.compile("^\\s*([a-z0-9.-]+): \"?([^\"]*)\"?\\s*$");
    private static final String SERVING = "knative-serving";
    private static final JsonNode YAML_EMPTY = new YAMLMapper().createObjectNode();

    private final Map<String, JsonNode> overlay;

    private KnativeConfig(Map<String, JsonNode> overlay) {
        this.overlay = overlay;
    }

    /** The configuration of the ConfigMaps in {@code knative-serving} among these objects. */
    public static KnativeConfig of(List<Manifest> objects) {
        Map<String, JsonNode> maps = new LinkedHashMap<>();
        objects.stream().filter(m -> m.is("v1", "ConfigMap"))
                .filter(m -> SERVING.equals(m.body().at("/metadata/namespace").asText()))
                .forEach(m -> maps.put(m.name(), m.body().path("data")));
        return new KnativeConfig(maps);
    }

    /** A key of {@code config-features}: the overlay's value, else the upstream default. */
    public String feature(String key) {
        return explicit("config-features", key)
                .orElseGet(() -> upstreamDefault("crds/config/serving-config-features.yaml", key).orElse("disabled"));
    }

    /** True when a {@code config-features} flag is {@code enabled} (or {@code allowed}). */
    public boolean enabled(String key) {
        String value = feature(key);
        return "enabled".equalsIgnoreCase(value) || "allowed".equalsIgnoreCase(value);
    }

    /** A key of {@code config-deployment} set by the overlay or upstream outside {@code _example}. */
    public Optional<String> deployment(String key) {
        Optional<String> set = explicit("config-deployment", key);
        if (set.isPresent()) {
            return set;
        }
        JsonNode upstream = read("crds/config/serving-config-deployment.yaml").path("data").path(key);
        return upstream.isMissingNode() ? Optional.empty() : Optional.of(upstream.asText());
    }

    /** A key of {@code config-network} set by the overlay, else the upstream default {@code fallback}. */
    public String network(String key, String fallback) {
        return explicit("config-network", key).orElse(fallback);
    }

    private Optional<String> explicit(String map, String key) {
        JsonNode value = overlay.getOrDefault(map, YAML_EMPTY).path(key);
        return value.isMissingNode() ? Optional.empty() : Optional.of(value.asText());
    }

    private static Optional<String> upstreamDefault(String resource, String key) {
        String example = read(resource).path("data").path("_example").asText("");
        return example.lines().map(EXAMPLE_LINE::matcher).filter(Matcher::matches)
                .filter(line -> key.equals(line.group(1))).map(line -> line.group(2)).findFirst();
    }

    private static JsonNode read(String resource) {
        try (InputStream in = KnativeConfig.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return new YAMLMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
