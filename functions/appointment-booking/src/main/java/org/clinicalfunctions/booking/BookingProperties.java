package org.clinicalfunctions.booking;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How appointment-booking behaves.
 *
 * @param sink the broker ingress events go to. Default {@code ${K_SINK:}} (application.yml), which a Knative
 *     SinkBinding sets; when empty no events are written and a warning says so at start.
 * @param eventSource the {@code source} of the events. Default {@code /functions/appointment-booking}.
 * @param relayInterval how often the outbox is checked for events the broker has not taken yet. Default 1 s.
 * @param brokerTimeout how long one event delivery to the broker may take. Default 5 s.
 * @param defaultTimeZone the zone of a Schedule without the {@code timezone} extension. Default {@code UTC}.
 * @param fhirBaseUrl the base of the {@code fullUrl}s in event Bundles, where the resources can be read. Default
 *     {@code http://appointment-booking.clinical.svc.cluster.local}, the Knative Service's cluster address.
 * @param pageSize results per search page when {@code _count} is absent. Default 20; {@code _count} is capped
 *     at 100.
 */
@ConfigurationProperties("clinical.booking")
public record BookingProperties(
        String sink,
        @DefaultValue("/functions/appointment-booking") URI eventSource,
        @DefaultValue("1s") Duration relayInterval,
        @DefaultValue("5s") Duration brokerTimeout,
        @DefaultValue("UTC") String defaultTimeZone,
        @DefaultValue("http://appointment-booking.clinical.svc.cluster.local") String fhirBaseUrl,
        @DefaultValue("20") int pageSize) {

    boolean hasSink() {
        return sink != null && !sink.isBlank();
    }
}
