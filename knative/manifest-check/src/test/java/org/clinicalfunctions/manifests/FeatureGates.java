package org.clinicalfunctions.manifests;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * Knative Serving fields that only work behind a {@code config-features} flag, such as a pod-level
 * securityContext. The Service CRD marks each with "This is accessible behind a feature flag - NAME"; the flag's
 * default comes from the copied {@code config-features} ConfigMap. A gated field whose flag is off by default is a
 * violation: the webhook would refuse the Service on a cluster with the default configuration.
 */
public final class FeatureGates {

    private static final Pattern FLAG = Pattern.compile("behind a feature flag - ([a-z0-9.-]+)");
    private static final Pattern DEFAULT_LINE = Pattern.compile("^\\s*([a-z0-9.-]+): \"?([A-Za-z]+)\"?\\s*$");
    private static final String ITEMS = "[]";

    private final Map<List<String>, String> flagsByPath;
    private final Map<String, String> defaults;

    private FeatureGates(Map<List<String>, String> flagsByPath, Map<String, String> defaults) {
        this.flagsByPath = flagsByPath;
        this.defaults = defaults;
    }

    /** The gates of the Knative Service CRD with the flags' defaults of Knative Serving 1.22. */
    public static FeatureGates load(CrdSchemas crds) {
        Map<List<String>, String> flags = new LinkedHashMap<>();
        collect(crds.rawSchema("serving.knative.dev/v1", "Service"), new ArrayList<>(), flags);
        return new FeatureGates(flags, readDefaults("crds/config/serving-config-features.yaml"));
    }

    /** The same gates with the flags as a rendered overlay's {@code config-features} sets them. */
    public FeatureGates configuredBy(KnativeConfig config) {
        Map<String, String> configured = new LinkedHashMap<>(defaults);
        flagsByPath.values().forEach(flag -> configured.put(flag, config.feature(flag)));
        return new FeatureGates(flagsByPath, configured);
    }

    /** The gated fields a Knative Service uses whose flag is not enabled by default. */
    public List<Violation> check(Manifest manifest) {
        List<Violation> violations = new ArrayList<>();
        if (!manifest.is("serving.knative.dev/v1", "Service")) {
            return violations;
        }
        flagsByPath.forEach((path, flag) -> {
            String state = defaults.getOrDefault(flag, "disabled");
            if (!"enabled".equals(state) && !"allowed".equals(state)) {
                find(manifest.body(), path, 0, "", flag, violations);
            }
        });
        return violations;
    }

    /** How many gated fields the CRD declares; a guard against a CRD whose descriptions changed wording. */
    int size() {
        return flagsByPath.size();
    }

    private static void collect(JsonNode schema, List<String> path, Map<List<String>, String> flags) {
        Matcher flag = FLAG.matcher(schema.path("description").asText(""));
        if (flag.find() && !path.isEmpty()) {
            flags.putIfAbsent(List.copyOf(path), flag.group(1));
            return;
        }
        schema.path("properties").properties().forEach(property -> {
            path.add(property.getKey());
            collect(property.getValue(), path, flags);
            path.remove(path.size() - 1);
        });
        if (schema.has("items")) {
            path.add(ITEMS);
            collect(schema.get("items"), path, flags);
            path.remove(path.size() - 1);
        }
    }

    private static void find(JsonNode node, List<String> path, int depth, String at, String flag,
            List<Violation> violations) {
        if (depth == path.size()) {
            violations.add(new Violation("serving.feature-gated", at, "needs the Knative feature flag " + flag));
            return;
        }
        String step = path.get(depth);
        if (ITEMS.equals(step)) {
            for (int i = 0; i < node.size(); i++) {
                find(node.get(i), path, depth + 1, at + "[" + i + "]", flag, violations);
            }
            return;
        }
        if (node.has(step)) {
            find(node.get(step), path, depth + 1, at.isEmpty() ? step : at + "." + step, flag, violations);
        }
    }

    private static Map<String, String> readDefaults(String resource) {
        try (InputStream in = FeatureGates.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            // Knative ConfigMaps document every default as "key: value" lines in _example; other keys override.
            JsonNode data = new YAMLMapper().readTree(in).path("data");
            Map<String, String> defaults = new LinkedHashMap<>();
            data.path("_example").asText("").lines().map(DEFAULT_LINE::matcher).filter(Matcher::matches)
                    .forEach(line -> defaults.put(line.group(1), line.group(2)));
            data.properties().stream().filter(entry -> !"_example".equals(entry.getKey()))
                    .forEach(entry -> defaults.put(entry.getKey(), entry.getValue().asText()));
            return defaults;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
