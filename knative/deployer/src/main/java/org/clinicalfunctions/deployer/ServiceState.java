package org.clinicalfunctions.deployer;

import java.util.List;
import java.util.Objects;

import io.fabric8.knative.serving.v1.Service;
import io.fabric8.knative.serving.v1.ServiceStatus;
import io.fabric8.knative.serving.v1.TrafficTarget;

/**
 * What Knative reports about a Service: its URL, revisions and traffic split, read from its status.
 *
 * @param name the Service's name
 * @param url the Service's URL, empty until Knative sets it
 * @param latestCreated the newest revision, empty before the first
 * @param latestReady the newest revision that became ready, empty before the first
 * @param ready whether the Ready condition is True
 * @param traffic the split Knative serves, as {@code revision=percent} entries
 */
public record ServiceState(String name, String url, String latestCreated, String latestReady, boolean ready,
        List<String> traffic) {

    /** The state of a Service as read from the cluster. */
    public static ServiceState of(Service service) {
        ServiceStatus status = service.getStatus() == null ? new ServiceStatus() : service.getStatus();
        boolean ready = status.getConditions() != null && status.getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        List<String> traffic = status.getTraffic() == null ? List.of()
                : status.getTraffic().stream().map(ServiceState::describe).toList();
        return new ServiceState(service.getMetadata().getName(), Objects.toString(status.getUrl(), ""),
                Objects.toString(status.getLatestCreatedRevisionName(), ""),
                Objects.toString(status.getLatestReadyRevisionName(), ""), ready, traffic);
    }

    /** Ready, and the newest revision is the one serving as latest ready. */
    public boolean settled() {
        return ready && !latestCreated.isEmpty() && latestCreated.equals(latestReady);
    }

    private static String describe(TrafficTarget target) {
        String revision = Objects.toString(target.getRevisionName(), "latest");
        String tag = target.getTag() == null ? "" : " (tag " + target.getTag() + ")";
        return revision + "=" + Objects.toString(target.getPercent(), "0") + "%" + tag;
    }

    @Override
    public String toString() {
        return "service " + name + " url " + (url.isEmpty() ? "-" : url) + " revision " + latestReady
                + " traffic " + String.join(", ", traffic);
    }
}
