package org.clinicalfunctions.manifests;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The Knative Serving webhook's checks of a Service's revision template that the CRD schema misses
 * (serving {@code pkg/apis/serving/k8s_validation.go} and {@code v1/revision_validation.go}, release 1.22).
 */
public final class RevisionRules {

    private static final String SERVICE_API = "serving.knative.dev/v1";
    private static final Set<String> PORT_NAMES = Set.of("", "http1", "h2c");
    // Knative: queue-proxy (8012, 8013), its admin (8022), metrics (9090, 9091) and profiling (8008) ports.
    private static final Set<Integer> RESERVED_PORTS = Set.of(8012, 8013, 8022, 9090, 9091, 8008);
    private static final Set<String> RESERVED_ENV = Set.of("PORT", "K_SERVICE", "K_CONFIGURATION", "K_REVISION");
    private static final Set<String> RESERVED_MOUNT_PATHS = Set.of("/", "/dev", "/dev/log", "/tmp", "/var", "/var/log");
    private static final List<String> PROBE_HANDLERS = List.of("httpGet", "tcpSocket", "exec", "grpc");
    private static final int MAX_REVISION_TIMEOUT_SECONDS = 600;
    private static final int MAX_CONTAINER_CONCURRENCY = 1000;

    private final List<Violation> violations = new ArrayList<>();

    private RevisionRules() {
    }

    /** The violations of a Knative Service; none for any other kind. */
    public static List<Violation> check(Manifest manifest) {
        if (!manifest.is(SERVICE_API, "Service")) {
            return List.of();
        }
        RevisionRules rules = new RevisionRules();
        JsonNode template = manifest.body().path("spec").path("template");
        rules.violations.addAll(AutoscalingAnnotations.check(
                template.path("metadata").path("annotations"), "spec.template.metadata.annotations"));
        rules.revisionSpec(template.path("spec"), "spec.template.spec");
        return rules.violations;
    }

    private void revisionSpec(JsonNode spec, String at) {
        range(spec, "timeoutSeconds", 0, MAX_REVISION_TIMEOUT_SECONDS, at, "serving.timeout-seconds");
        range(spec, "responseStartTimeoutSeconds", 0, MAX_REVISION_TIMEOUT_SECONDS, at, "serving.timeout-seconds");
        range(spec, "idleTimeoutSeconds", 0, Integer.MAX_VALUE, at, "serving.timeout-seconds");
        range(spec, "containerConcurrency", 0, MAX_CONTAINER_CONCURRENCY, at, "serving.container-concurrency");
        JsonNode containers = spec.path("containers");
        int ports = 0;
        for (JsonNode container : containers) {
            ports += container.path("ports").size();
        }
        if (ports > 1) {
            add("serving.ports", at + ".containers", "exactly one container port, on the serving container");
        }
        if (ports == 0 && containers.size() > 1) {
            add("serving.ports", at + ".containers", "with several containers one must declare the port");
        }
        Set<String> mounted = new HashSet<>();
        for (int i = 0; i < containers.size(); i++) {
            JsonNode container = containers.get(i);
            boolean serving = containers.size() == 1 || container.path("ports").size() > 0;
            container(container, serving, spec.path("volumes"), at + ".containers[" + i + "]");
            container.path("volumeMounts").forEach(mount -> mounted.add(mount.path("name").asText()));
        }
        JsonNode volumes = spec.path("volumes");
        for (int i = 0; i < volumes.size(); i++) {
            if (!mounted.contains(volumes.get(i).path("name").asText())) {
                add("serving.volume.not-mounted", at + ".volumes[" + i + "]", "every volume must be mounted");
            }
        }
    }

    private void container(JsonNode container, boolean serving, JsonNode volumes, String at) {
        if ("queue-proxy".equals(container.path("name").asText())) {
            add("serving.container.name", at + ".name", "queue-proxy is the name of Knative's sidecar");
        }
        if (container.path("image").asText("").isEmpty()) {
            add("serving.container.image", at + ".image", "an image is required");
        }
        JsonNode env = container.path("env");
        for (int i = 0; i < env.size(); i++) {
            String name = env.get(i).path("name").asText();
            // Knative: a sidecar may set PORT, only the serving container gets it from Knative.
            boolean reserved = RESERVED_ENV.contains(name) && (serving || !"PORT".equals(name));
            if (reserved) {
                add("serving.env.reserved", at + ".env[" + i + "].name", "Knative sets this variable itself");
            }
        }
        port(container.path("ports"), at + ".ports");
        volumeMounts(container.path("volumeMounts"), volumes, at + ".volumeMounts");
        String portName = container.path("ports").path(0).path("name").asText("");
        int portNumber = container.path("ports").path(0).path("containerPort").asInt(8080);
        probe(container.get("readinessProbe"), true, portName, portNumber, at + ".readinessProbe");
        probe(container.get("livenessProbe"), false, portName, portNumber, at + ".livenessProbe");
        probe(container.get("startupProbe"), false, portName, portNumber, at + ".startupProbe");
    }

    private void port(JsonNode ports, String at) {
        if (ports.isEmpty()) {
            return;
        }
        JsonNode port = ports.get(0);
        if (!PORT_NAMES.contains(port.path("name").asText(""))) {
            add("serving.port.name", at + "[0].name", "a port name must be empty, http1 or h2c");
        }
        if (RESERVED_PORTS.contains(port.path("containerPort").asInt())) {
            add("serving.port.reserved", at + "[0].containerPort", "Knative's sidecar listens on this port");
        }
        String protocol = port.path("protocol").asText("TCP");
        if (!"TCP".equals(protocol)) {
            add("serving.port.protocol", at + "[0].protocol", "only TCP is served");
        }
    }

    private void volumeMounts(JsonNode mounts, JsonNode volumes, String at) {
        for (int i = 0; i < mounts.size(); i++) {
            JsonNode mount = mounts.get(i);
            String path = mount.path("mountPath").asText("");
            String cleaned = path.length() > 1 ? path.replaceAll("/+$", "") : path;
            if (RESERVED_MOUNT_PATHS.contains(cleaned)) {
                add("serving.volume-mount.reserved-path", at + "[" + i + "].mountPath", "Knative reserves this path");
            } else if (!path.startsWith("/")) {
                add("serving.volume-mount.path", at + "[" + i + "].mountPath", "must be an absolute path");
            }
            JsonNode volume = volumeNamed(volumes, mount.path("name").asText());
            if (volume == null) {
                add("serving.volume-mount.volume", at + "[" + i + "].name", "no volume has this name");
                continue;
            }
            // Knative: only emptyDir and persistent volume claims may be mounted writable.
            boolean writable = volume.has("emptyDir") || volume.has("persistentVolumeClaim");
            if (!writable && !mount.path("readOnly").asBoolean(false)) {
                add("serving.volume-mount.read-only", at + "[" + i + "].readOnly", "this volume must be read-only");
            }
        }
    }

    private void probe(JsonNode probe, boolean readiness, String portName, int portNumber, String at) {
        if (probe == null) {
            return;
        }
        List<String> handlers = PROBE_HANDLERS.stream().filter(probe::has).toList();
        if (handlers.size() != 1) {
            add("serving.probe.handler", at, "exactly one of httpGet, tcpSocket, exec, grpc");
        }
        probePort(probe, portName, portNumber, at);
        if (!readiness) {
            return;
        }
        int period = probe.path("periodSeconds").asInt(0);
        if (period < 0) {
            add("serving.probe.period-seconds", at + ".periodSeconds", "must be >= 0");
        }
        if (probe.has("successThreshold") && probe.path("successThreshold").asInt() < 1) {
            add("serving.probe.success-threshold", at + ".successThreshold", "must be >= 1");
        }
        // Knative: periodSeconds 0 means queue-proxy's aggressive probing, which has its own timing.
        if (period == 0) {
            forbidNonZero(probe, "failureThreshold", at);
            forbidNonZero(probe, "timeoutSeconds", at);
        } else {
            requirePositive(probe, "failureThreshold", at);
            requirePositive(probe, "timeoutSeconds", at);
        }
    }

    private void probePort(JsonNode probe, String portName, int portNumber, String at) {
        for (String handler : List.of("httpGet", "tcpSocket")) {
            JsonNode port = probe.path(handler).get("port");
            if (port == null) {
                continue;
            }
            // Knative checks named ports; numbers are our rule, from the runtime contract that probes
            // target the traffic port.
            boolean matches = port.isTextual() ? port.asText().equals(portName) : port.asInt() == portNumber;
            if (!matches) {
                add("serving.probe.port", at + "." + handler + ".port", "probes must target the container port");
            }
        }
    }

    private void forbidNonZero(JsonNode probe, String field, String at) {
        if (probe.path(field).asInt(0) != 0) {
            add("serving.probe." + kebab(field), at + "." + field, "disallowed when periodSeconds is 0");
        }
    }

    private void requirePositive(JsonNode probe, String field, String at) {
        if (probe.has(field) && probe.path(field).asInt() < 1) {
            add("serving.probe." + kebab(field), at + "." + field, "must be >= 1");
        }
    }

    private void range(JsonNode spec, String field, int min, int max, String at, String code) {
        JsonNode value = spec.get(field);
        if (value != null && value.isNumber() && (value.asLong() < min || value.asLong() > max)) {
            add(code, at + "." + field, "must lie within " + min + ".." + max);
        }
    }

    private static JsonNode volumeNamed(JsonNode volumes, String name) {
        for (JsonNode volume : volumes) {
            if (name.equals(volume.path("name").asText())) {
                return volume;
            }
        }
        return null;
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT);
    }

    private void add(String code, String location, String message) {
        violations.add(new Violation(code, location, message));
    }
}
