package org.clinicalfunctions.manifests;

import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The Pod Kubernetes admission sees for a Knative Service, which is what Azure Policy judges: the revision
 * template as Knative's webhook and reconciler pass it on (pod-level securityContext masked unless
 * {@code kubernetes.podspec-securitycontext} is enabled, {@code secure-pod-defaults} filled in), plus the
 * queue-proxy sidecar as knative/serving 1.22 builds it ({@code pkg/reconciler/revision/resources/queue.go}:
 * hard-coded securityContext, no runAsUser, a readiness probe only, image and resources from
 * {@code config-deployment}), plus the token volume the Azure workload identity webhook adds.
 */
public final class EffectivePod {

    /** The sidecar's container name. */
    public static final String QUEUE_PROXY = "queue-proxy";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Set<String> KNATIVE_ONLY = Set.of("containerConcurrency", "timeoutSeconds",
            "responseStartTimeoutSeconds", "idleTimeoutSeconds");

    private EffectivePod() {
    }

    /** The pod of a rendered Knative Service, with the ServiceAccounts and Knative config among {@code objects}. */
    public static ObjectNode of(Manifest service, List<Manifest> objects) {
        KnativeConfig config = KnativeConfig.of(objects);
        JsonNode template = service.body().path("spec").path("template");
        ObjectNode pod = JSON.objectNode().put("apiVersion", "v1").put("kind", "Pod");
        ObjectNode metadata = pod.putObject("metadata");
        metadata.put("namespace", service.body().at("/metadata/namespace").asText());
        ObjectNode labels = template.path("metadata").path("labels").isObject()
                ? ((ObjectNode) template.path("metadata").path("labels")).deepCopy() : metadata.objectNode();
        labels.put("serving.knative.dev/service", service.name());
        metadata.set("labels", labels);
        metadata.set("annotations", template.path("metadata").path("annotations").deepCopy());

        ObjectNode spec = ((ObjectNode) template.path("spec")).deepCopy();
        KNATIVE_ONLY.forEach(spec::remove);
        podSecurityContext(spec, config);
        automountToken(spec, objects);
        for (JsonNode container : spec.withArrayProperty("containers")) {
            secureDefaults((ObjectNode) container, config);
        }
        spec.withArrayProperty("containers").add(queueProxy(config));
        workloadIdentityVolume(spec, labels);
        pod.set("spec", spec);
        return pod;
    }

    private static void podSecurityContext(ObjectNode spec, KnativeConfig config) {
        JsonNode declared = spec.path("securityContext");
        if (config.enabled("kubernetes.podspec-securitycontext")) {
            return;
        }
        ObjectNode masked = spec.objectNode();
        if (config.enabled("secure-pod-defaults") && declared.has("seccompProfile")) {
            masked.set("seccompProfile", declared.get("seccompProfile"));
        }
        spec.set("securityContext", masked);
    }

    private static void automountToken(ObjectNode spec, List<Manifest> objects) {
        if (spec.has("automountServiceAccountToken")) {
            return;
        }
        String account = spec.path("serviceAccountName").asText("default");
        boolean fromAccount = objects.stream().filter(m -> m.isNamed("v1", "ServiceAccount", account))
                .map(m -> m.body().path("automountServiceAccountToken").asBoolean(true)).findFirst().orElse(true);
        spec.put("automountServiceAccountToken", fromAccount);
    }

    /** Knative's secure-pod-defaults: what a container leaves unset is made restricted. */
    private static void secureDefaults(ObjectNode container, KnativeConfig config) {
        if (!config.enabled("secure-pod-defaults")) {
            return;
        }
        ObjectNode context = container.withObjectProperty("securityContext");
        if (!context.has("allowPrivilegeEscalation")) {
            context.put("allowPrivilegeEscalation", false);
        }
        if (!context.has("runAsNonRoot")) {
            context.put("runAsNonRoot", true);
        }
        if (!context.has("seccompProfile")) {
            context.putObject("seccompProfile").put("type", "RuntimeDefault");
        }
        ObjectNode capabilities = context.withObjectProperty("capabilities");
        if (!capabilities.has("drop")) {
            capabilities.putArray("drop").add("ALL");
        }
    }

    private static ObjectNode queueProxy(KnativeConfig config) {
        ObjectNode container = JSON.objectNode().put("name", QUEUE_PROXY);
        container.put("image", config.deployment("queue-sidecar-image").orElse(""));
        ObjectNode resources = container.putObject("resources");
        ObjectNode requests = resources.putObject("requests");
        requests.put("cpu", config.deployment("queue-sidecar-cpu-request").orElse("25m"));
        config.deployment("queue-sidecar-memory-request").ifPresent(value -> requests.put("memory", value));
        ObjectNode limits = resources.putObject("limits");
        config.deployment("queue-sidecar-cpu-limit").ifPresent(value -> limits.put("cpu", value));
        config.deployment("queue-sidecar-memory-limit").ifPresent(value -> limits.put("memory", value));
        ArrayNode ports = container.putArray("ports");
        for (int port : new int[] {8012, 8022, 9090, 9091}) {
            ports.addObject().put("containerPort", port);
        }
        container.putObject("readinessProbe").putObject("httpGet").put("path", "/").put("port", 8012);
        ObjectNode context = container.putObject("securityContext");
        context.put("allowPrivilegeEscalation", false).put("readOnlyRootFilesystem", true).put("runAsNonRoot", true);
        context.putObject("capabilities").putArray("drop").add("ALL");
        context.putObject("seccompProfile").put("type", "RuntimeDefault");
        return container;
    }

    private static void workloadIdentityVolume(ObjectNode spec, JsonNode labels) {
        if ("true".equals(labels.path("azure.workload.identity/use").asText())) {
            ObjectNode volume = spec.withArrayProperty("volumes").addObject().put("name", "azure-identity-token");
            volume.putObject("projected").putArray("sources").addObject().putObject("serviceAccountToken")
                    .put("audience", "api://AzureADTokenExchange").put("path", "azure-identity-token");
        }
    }
}
