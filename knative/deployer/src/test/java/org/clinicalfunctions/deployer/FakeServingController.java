package org.clinicalfunctions.deployer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

import io.fabric8.knative.client.KnativeClient;
import io.fabric8.knative.pkg.apis.ConditionBuilder;
import io.fabric8.knative.serving.v1.Service;
import io.fabric8.knative.serving.v1.ServiceStatus;
import io.fabric8.knative.serving.v1.ServiceStatusBuilder;
import io.fabric8.knative.serving.v1.TrafficTarget;
import io.fabric8.knative.serving.v1.TrafficTargetBuilder;

/**
 * Stands in for Knative Serving's controller on the mock API server, which stores objects but reconciles
 * nothing: a new template makes a new revision ({@code <name>-0000N}), which becomes ready unless the test says
 * otherwise, and the status reports the URL and the traffic split of the spec, as Knative would.
 */
final class FakeServingController implements AutoCloseable {

    private final KnativeClient knative;
    private final String namespace;
    private final Predicate<String> becomesReady;
    private final Map<String, String> templates = new HashMap<>();
    private final Map<String, Integer> revisions = new HashMap<>();
    private final Thread loop;
    private volatile boolean running = true;

    FakeServingController(KnativeClient knative, String namespace, Predicate<String> becomesReady) {
        this.knative = knative;
        this.namespace = namespace;
        this.becomesReady = becomesReady;
        this.loop = Thread.ofVirtual().start(this::reconcileUntilClosed);
    }

    private void reconcileUntilClosed() {
        while (running) {
            knative.services().inNamespace(namespace).list().getItems().forEach(this::reconcile);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void reconcile(Service service) {
        String name = service.getMetadata().getName();
        String template = Objects.toString(service.getSpec().getTemplate());
        if (!template.equals(templates.get(name))) {
            templates.put(name, template);
            revisions.merge(name, 1, Integer::sum);
        }
        ServiceStatus old = service.getStatus();
        String created = String.format("%s-%05d", name, revisions.get(name));
        boolean ready = becomesReady.test(created);
        String latestReady = ready ? created : old == null ? null : old.getLatestReadyRevisionName();
        ServiceStatus status = new ServiceStatusBuilder()
                .withUrl("https://" + name + "." + namespace + ".example.org")
                .withLatestCreatedRevisionName(created).withLatestReadyRevisionName(latestReady)
                .withConditions(new ConditionBuilder().withType("Ready").withStatus(ready ? "True" : "False").build())
                .withTraffic(traffic(service, name, latestReady)).build();
        if (!status.equals(old)) {
            knative.services().inNamespace(namespace).withName(name).editStatus(s -> {
                s.setStatus(status);
                return s;
            });
        }
    }

    private List<TrafficTarget> traffic(Service service, String name, String latestReady) {
        List<TrafficTarget> spec = service.getSpec().getTraffic();
        if (spec == null || spec.isEmpty()) {
            spec = List.of(new TrafficTargetBuilder().withLatestRevision(true).withPercent(100L).build());
        }
        List<TrafficTarget> served = new ArrayList<>();
        for (TrafficTarget target : spec) {
            String revision = Boolean.TRUE.equals(target.getLatestRevision()) ? latestReady : target.getRevisionName();
            String url = target.getTag() == null ? null
                    : "https://" + target.getTag() + "-" + name + "." + namespace + ".example.org";
            served.add(new TrafficTargetBuilder().withRevisionName(revision).withPercent(target.getPercent())
                    .withTag(target.getTag()).withUrl(url).withLatestRevision(target.getLatestRevision()).build());
        }
        return served;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        loop.join();
    }
}
