package org.clinicalfunctions.manifests;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The platform's own rules for its manifests (house style rule 13): production-shaped Knative Services,
 * triggers whose retries outlast a cold start, and references that point at objects this repository defines.
 */
public final class PlatformRules {

    /** The only namespace the platform deploys to. */
    public static final String NAMESPACE = "clinical";

    /** Functions reachable from outside the cluster; every other one must be cluster-local. */
    public static final Set<String> PUBLIC_FUNCTIONS = Set.of("hl7-ingest", "appointment-booking", "fhir-export");

    /** Knative's own namespaces, where the platform only sets configuration ConfigMaps. */
    public static final Set<String> KNATIVE_NAMESPACES = Set.of("knative-serving", "knative-eventing");

    /** A JVM function's cold start on AKS, as measured for the reference; retries must outlast two of them. */
    public static final Duration COLD_START = Duration.ofSeconds(20);

    /** The management port (MANAGEMENT_SERVER_PORT in ConfigMap clinical-functions) and how it is scraped. */
    private static final Map<String, String> METRICS_ANNOTATIONS = Map.of(
            "prometheus.io/scrape", "true",
            "prometheus.io/port", "9464",
            "prometheus.io/path", "/actuator/prometheus",
            "traffic.sidecar.istio.io/excludeInboundPorts", "9464");
    private static final String SERVICE_API = "serving.knative.dev/v1";
    private static final String EVENTING_API = "eventing.knative.dev/v1";
    private static final List<String> OBJECT_LABELS = List.of(
            "app.kubernetes.io/name", "app.kubernetes.io/component", "app.kubernetes.io/part-of");
    private static final String VERSION_LABEL = "app.kubernetes.io/version";
    private static final String AUTOSCALING = AutoscalingAnnotations.PREFIX;
    private static final List<String> AUTOSCALING_REQUIRED = List.of(
            "min-scale", "max-scale", "scale-to-zero-pod-retention-period", "target");
    private static final Pattern PINNED_IMAGE = Pattern.compile(
            "^[a-z0-9]+\\.azurecr\\.io/[a-z0-9./-]+(:[A-Za-z0-9_][A-Za-z0-9_.-]*|@sha256:[0-9a-f]{64})$");
    private static final Pattern SECRET_NAME = Pattern.compile(".*(PASSWORD|SECRET|TOKEN|CREDENTIAL).*");
    private static final Pattern UUID = Pattern.compile(
            "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");

    private final List<Manifest> known;
    private final List<Violation> violations = new ArrayList<>();

    private PlatformRules(List<Manifest> known) {
        this.known = known;
    }

    /** The violations of one complete object; {@code known} are the objects references may point at. */
    public static List<Violation> check(Manifest manifest, List<Manifest> known) {
        PlatformRules rules = new PlatformRules(known);
        rules.metadata(manifest);
        if (manifest.is(SERVICE_API, "Service")) {
            rules.service(manifest);
        } else if (manifest.is(EVENTING_API, "Trigger")) {
            rules.trigger(manifest.body().path("spec"));
        } else if (manifest.is("sources.knative.dev/v1", "SinkBinding")) {
            rules.sinkBinding(manifest.body().path("spec"));
        } else if (manifest.is("v1", "ServiceAccount")) {
            rules.serviceAccount(manifest.body().path("metadata"));
        }
        return rules.violations;
    }

    private void metadata(Manifest manifest) {
        JsonNode metadata = manifest.body().path("metadata");
        String namespace = metadata.path("namespace").asText();
        boolean knativeConfig = manifest.is("v1", "ConfigMap") && KNATIVE_NAMESPACES.contains(namespace);
        // The AKS metrics add-on reads its settings from this one ConfigMap in kube-system.
        boolean metricsSettings = manifest.isNamed("v1", "ConfigMap", "ama-metrics-settings-configmap")
                && "kube-system".equals(namespace);
        if (!"Namespace".equals(manifest.kind()) && !NAMESPACE.equals(namespace) && !knativeConfig
                && !metricsSettings) {
            add("platform.namespace", "metadata.namespace", "every object lives in namespace " + NAMESPACE);
        }
        labels(metadata.path("labels"), "metadata.labels", OBJECT_LABELS);
    }

    private void service(Manifest manifest) {
        JsonNode template = manifest.body().path("spec").path("template");
        JsonNode spec = template.path("spec");
        List<String> podLabels = new ArrayList<>(OBJECT_LABELS);
        podLabels.add(VERSION_LABEL);
        labels(template.path("metadata").path("labels"), "spec.template.metadata.labels", podLabels);
        JsonNode annotations = template.path("metadata").path("annotations");
        for (String name : AUTOSCALING_REQUIRED) {
            require(annotations.has(AUTOSCALING + name), "platform.autoscaling",
                    "spec.template.metadata.annotations." + AUTOSCALING + name, "set it for every function");
        }
        require(spec.has("containerConcurrency"), "platform.concurrency", "spec.template.spec.containerConcurrency",
                "a hard concurrency limit protects the JVM heap");
        require(spec.has("timeoutSeconds"), "platform.timeout", "spec.template.spec.timeoutSeconds",
                "set a request timeout below Knative's 300 s default");
        metrics(annotations);
        workloadIdentity(template);
        visibility(manifest);
        JsonNode containers = spec.path("containers");
        for (int i = 0; i < containers.size(); i++) {
            container(containers.get(i), "spec.template.spec.containers[" + i + "]");
        }
    }

    /**
     * Azure Monitor's managed Prometheus finds a function's metrics by these annotations; the management port stays
     * out of the sidecar, or the scraper, outside the mesh, could not reach it.
     */
    private void metrics(JsonNode annotations) {
        for (Map.Entry<String, String> wanted : METRICS_ANNOTATIONS.entrySet()) {
            require(wanted.getValue().equals(annotations.path(wanted.getKey()).asText("")), "platform.metrics",
                    "spec.template.metadata.annotations." + wanted.getKey(), "must be \"" + wanted.getValue() + "\"");
        }
    }

    private void workloadIdentity(JsonNode template) {
        String account = template.path("spec").path("serviceAccountName").asText("");
        boolean defined = known.stream().anyMatch(m -> m.isNamed("v1", "ServiceAccount", account));
        require(defined, "platform.service-account", "spec.template.spec.serviceAccountName",
                "one ServiceAccount per function, defined in knative/base");
        String use = template.path("metadata").path("labels").path("azure.workload.identity/use").asText("");
        require("true".equals(use), "platform.workload-identity",
                "spec.template.metadata.labels.azure.workload.identity/use", "AKS workload identity needs \"true\"");
    }

    private void visibility(Manifest manifest) {
        String visibility = manifest.body().path("metadata").path("labels")
                .path("networking.knative.dev/visibility").asText("");
        boolean isPublic = PUBLIC_FUNCTIONS.contains(manifest.name());
        require(isPublic || "cluster-local".equals(visibility), "platform.visibility",
                "metadata.labels.networking.knative.dev/visibility", "only the broker calls this function");
    }

    private void container(JsonNode container, String at) {
        for (String kind : List.of("requests", "limits")) {
            for (String resource : List.of("cpu", "memory")) {
                require(container.path("resources").path(kind).has(resource), "platform.resources",
                        at + ".resources." + kind + "." + resource, "requests and limits for cpu and memory");
            }
        }
        probe(container, "readinessProbe", "/readyz", at);
        probe(container, "livenessProbe", "/livez", at);
        securityContext(container.path("securityContext"), at + ".securityContext");
        String image = container.path("image").asText("");
        require(PINNED_IMAGE.matcher(image).matches() && !image.endsWith(":latest"), "platform.image",
                at + ".image", "an ACR image by pinned tag or digest");
        JsonNode env = container.path("env");
        for (int i = 0; i < env.size(); i++) {
            boolean literal = env.get(i).has("value");
            boolean secretName = SECRET_NAME.matcher(env.get(i).path("name").asText()).matches();
            require(!(literal && secretName), "platform.secret-in-env", at + ".env[" + i + "].value",
                    "secrets come from a secretKeyRef, never from the repository");
        }
    }

    private void probe(JsonNode container, String probe, String path, String at) {
        String actual = container.path(probe).path("httpGet").path("path").asText("");
        require(path.equals(actual), "platform.probes", at + "." + probe + ".httpGet.path",
                "Spring Boot's probe group on the serving port, " + path);
    }

    private void securityContext(JsonNode context, String at) {
        require(context.path("runAsNonRoot").asBoolean(false), "platform.security-context", at + ".runAsNonRoot",
                "must be true");
        require(context.path("readOnlyRootFilesystem").asBoolean(false), "platform.security-context",
                at + ".readOnlyRootFilesystem", "must be true");
        JsonNode escalation = context.path("allowPrivilegeEscalation");
        require(escalation.isBoolean() && !escalation.asBoolean(), "platform.security-context",
                at + ".allowPrivilegeEscalation", "must be false");
        boolean dropsAll = false;
        for (JsonNode capability : context.path("capabilities").path("drop")) {
            dropsAll |= "ALL".equals(capability.asText());
        }
        require(dropsAll, "platform.security-context", at + ".capabilities.drop", "must drop ALL");
        require("RuntimeDefault".equals(context.path("seccompProfile").path("type").asText()),
                "platform.security-context", at + ".seccompProfile.type", "must be RuntimeDefault");
    }

    private void trigger(JsonNode spec) {
        if (spec.has("filter") && spec.path("filters").size() > 0) {
            add("platform.trigger.filter-ignored", "spec.filter", "Knative ignores filter when filters is set");
        }
        boolean brokerDefined = known.stream()
                .anyMatch(m -> m.isNamed(EVENTING_API, "Broker", spec.path("broker").asText("")));
        require(brokerDefined, "platform.broker", "spec.broker", "must name a Broker defined in eventing/");
        reference(spec.path("subscriber").path("ref"), "platform.subscriber", "spec.subscriber.ref");
        JsonNode delivery = spec.path("delivery");
        for (String field : List.of("retry", "backoffPolicy", "backoffDelay", "timeout", "deadLetterSink")) {
            require(delivery.has(field), "platform.delivery", "spec.delivery." + field,
                    "a trigger's delivery replaces the broker's wholesale, so spell it out");
        }
        reference(delivery.path("deadLetterSink").path("ref"), "platform.dead-letter-sink",
                "spec.delivery.deadLetterSink.ref");
        Duration budget = RetryBudget.channelBasedBroker(delivery);
        require(budget.compareTo(COLD_START.multipliedBy(2)) >= 0, "platform.delivery.budget", "spec.delivery",
                "retries must wait at least two cold starts in all, on either broker");
    }

    private void sinkBinding(JsonNode spec) {
        reference(spec.path("subject"), "platform.sink-binding", "spec.subject");
        reference(spec.path("sink").path("ref"), "platform.sink-binding", "spec.sink.ref");
    }

    private void serviceAccount(JsonNode metadata) {
        String clientId = metadata.path("annotations").path("azure.workload.identity/client-id").asText("");
        require(UUID.matcher(clientId).matches(), "platform.workload-identity",
                "metadata.annotations.azure.workload.identity/client-id", "the managed identity's client id");
    }

    private void reference(JsonNode ref, String code, String at) {
        String apiVersion = ref.path("apiVersion").asText("");
        String kind = ref.path("kind").asText("");
        String name = ref.path("name").asText("");
        require(known.stream().anyMatch(m -> m.isNamed(apiVersion, kind, name)), code, at,
                "must name an object defined in this repository");
    }

    private void labels(JsonNode labels, String at, List<String> required) {
        for (String label : required) {
            require(!labels.path(label).asText("").isEmpty(), "platform.labels", at + "." + label,
                    "the app.kubernetes.io labels go on every object and pod template");
        }
    }

    private void require(boolean holds, String code, String location, String message) {
        if (!holds) {
            add(code, location, message);
        }
    }

    private void add(String code, String location, String message) {
        violations.add(new Violation(code, location, message));
    }
}
