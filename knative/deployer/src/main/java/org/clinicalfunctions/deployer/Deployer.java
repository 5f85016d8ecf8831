package org.clinicalfunctions.deployer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

import io.fabric8.knative.client.KnativeClient;
import io.fabric8.knative.serving.v1.Service;
import io.fabric8.knative.serving.v1.ServiceList;
import io.fabric8.knative.serving.v1.TrafficTarget;
import io.fabric8.knative.serving.v1.TrafficTargetBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.Resource;

/**
 * Applies a rendered overlay and brings every Knative Service to Ready. A Service that already serves a ready
 * revision is applied with its traffic pinned to that revision (the new one tagged {@value #CANDIDATE_TAG} at 0 %),
 * then moved step by step (10, 50, 100 %) with a health check after each; a new revision that never becomes Ready
 * or fails a check leaves all traffic on the previous revision.
 */
public final class Deployer {

    /** The traffic tag of the revision under test; Knative gives it its own URL. */
    public static final String CANDIDATE_TAG = "candidate";

    private static final String SERVING_API = "serving.knative.dev/v1";

    private final KubernetesClient client;
    private final KnativeClient knative;
    private final Settings settings;
    private final HealthCheck check;
    private final Consumer<String> report;

    /** A deployer on a client whose kubeconfig names the cluster, reporting one line per event. */
    public Deployer(KubernetesClient client, Settings settings, HealthCheck check, Consumer<String> report) {
        this.client = client;
        this.knative = client.adapt(KnativeClient.class);
        this.settings = settings;
        this.check = check;
        this.report = report;
    }

    /**
     * How long to wait and how to shift traffic.
     *
     * @param readyTimeout how long a Service or a traffic step may take to become Ready
     * @param steps the candidate's traffic shares, ending at 100
     * @param bake how long each step serves before the next one
     */
    public record Settings(Duration readyTimeout, List<Long> steps, Duration bake) {
    }

    /** Applies every object in order, then waits for, reports and (where one serves already) canaries each Service. */
    public List<Outcome> deploy(List<GenericKubernetesResource> objects) {
        Map<String, Service> before = new LinkedHashMap<>();
        for (GenericKubernetesResource object : objects) {
            if (isKnativeService(object)) {
                Service current = services(object).withName(object.getMetadata().getName()).get();
                if (current != null) {
                    before.put(object.getMetadata().getName(), current);
                    pinToStable(object, ServiceState.of(current));
                }
            }
            apply(object);
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (GenericKubernetesResource object : objects.stream().filter(Deployer::isKnativeService).toList()) {
            outcomes.add(rollOut(object, before.get(object.getMetadata().getName())));
        }
        return outcomes;
    }

    private Outcome rollOut(GenericKubernetesResource object, Service previous) {
        String name = object.getMetadata().getName();
        String namespace = object.getMetadata().getNamespace();
        String previousRevision = previous == null ? "" : ServiceState.of(previous).latestCreated();
        String stable = previous == null ? "" : ServiceState.of(previous).latestReady();
        boolean newTemplate = previous == null || !sameTemplate(previous, object);
        ServiceState state;
        try {
            state = await(namespace, name, s -> s.settled() && (!newTemplate || !s.latestCreated().equals(
                    previousRevision)));
        } catch (KubernetesClientTimeoutException e) {
            report.accept("service " + name + " not Ready within " + settings.readyTimeout());
            return fallBack(namespace, name, stable);
        }
        report.accept(state.toString());
        if (stable.isEmpty() || !newTemplate || stable.equals(state.latestReady())) {
            return new Outcome(name, Outcome.Result.DEPLOYED, state);
        }
        return new Canary(this, namespace, name, stable, state.latestReady()).run();
    }

    private Outcome fallBack(String namespace, String name, String stable) {
        if (stable.isEmpty()) {
            return new Outcome(name, Outcome.Result.FAILED, ServiceState.of(services(namespace).withName(name).get()));
        }
        return rollBack(namespace, name, stable);
    }

    /**
     * Puts all traffic back on the stable revision and waits until Knative serves that split. Not until Ready:
     * Knative keeps a Service not Ready while its latest revision is broken, whatever the traffic.
     */
    Outcome rollBack(String namespace, String name, String stable) {
        ServiceState state = shift(namespace, name, List.of(target(stable, 100L, null)),
                s -> s.traffic().equals(List.of(stable + "=100%")), false);
        report.accept("rolled back: " + state);
        return new Outcome(name, Outcome.Result.ROLLED_BACK, state);
    }

    /** Sets the Service's traffic split and waits until the split is served (and, if asked, Ready). */
    ServiceState shift(String namespace, String name, List<TrafficTarget> split, Predicate<ServiceState> served,
            boolean ready) {
        services(namespace).withName(name).edit(service -> {
            service.getSpec().setTraffic(split);
            return service;
        });
        return await(namespace, name, s -> (s.ready() || !ready) && served.test(s));
    }

    ServiceState await(String namespace, String name, Predicate<ServiceState> condition) {
        Service service = services(namespace).withName(name).waitUntilCondition(
                s -> s != null && condition.test(ServiceState.of(s)), settings.readyTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
        return ServiceState.of(service);
    }

    /** The URL Knative gives the candidate's tag route, empty when it reports none. */
    String candidateUrl(String namespace, String name) {
        Service service = services(namespace).withName(name).get();
        if (service.getStatus() == null || service.getStatus().getTraffic() == null) {
            return "";
        }
        return service.getStatus().getTraffic().stream().filter(t -> CANDIDATE_TAG.equals(t.getTag()))
                .map(TrafficTarget::getUrl).filter(url -> url != null).findFirst().orElse("");
    }

    Settings settings() {
        return settings;
    }

    HealthCheck check() {
        return check;
    }

    Consumer<String> report() {
        return report;
    }

    static TrafficTarget target(String revision, Long percent, String tag) {
        TrafficTargetBuilder target = new TrafficTargetBuilder().withPercent(percent).withTag(tag);
        return revision == null ? target.withLatestRevision(true).build()
                : target.withRevisionName(revision).withLatestRevision(false).build();
    }

    private void pinToStable(GenericKubernetesResource object, ServiceState current) {
        if (current.latestReady().isEmpty()) {
            return;
        }
        Map<String, Object> spec = object.get("spec");
        spec.put("traffic", List.of(
                Map.of("revisionName", current.latestReady(), "latestRevision", false, "percent", 100),
                Map.of("latestRevision", true, "percent", 0, "tag", CANDIDATE_TAG)));
    }

    private void apply(GenericKubernetesResource object) {
        var resources = client.genericKubernetesResources(RenderedManifests.definition(object));
        var target = object.getMetadata().getNamespace() == null ? resources.resource(object)
                : resources.inNamespace(object.getMetadata().getNamespace()).resource(object);
        // A JSON merge patch on an existing object sets only the fields we render, so the keys Knative's install
        // keeps in its ConfigMaps (config-features, config-deployment, ...) survive our partial ones. Known
        // limitation: a field removed from the manifests stays on the cluster until removed by hand.
        if (target.get() == null) {
            target.create();
        } else {
            target.patch(PatchContext.of(PatchType.JSON_MERGE), object);
        }
        report.accept("applied " + object.getKind() + " " + object.getMetadata().getName());
    }

    private boolean sameTemplate(Service previous, GenericKubernetesResource object) {
        Object applied = ((Map<?, ?>) object.get("spec")).get("template");
        Object current = client.getKubernetesSerialization().convertValue(previous.getSpec().getTemplate(), Map.class);
        return client.getKubernetesSerialization().convertValue(applied, Map.class).equals(current);
    }

    private NonNamespaceOperation<Service, ServiceList, Resource<Service>> services(String namespace) {
        return knative.services().inNamespace(namespace);
    }

    private NonNamespaceOperation<Service, ServiceList, Resource<Service>> services(GenericKubernetesResource object) {
        return services(object.getMetadata().getNamespace());
    }

    private static boolean isKnativeService(GenericKubernetesResource object) {
        return SERVING_API.equals(object.getApiVersion()) && "Service".equals(object.getKind());
    }
}
