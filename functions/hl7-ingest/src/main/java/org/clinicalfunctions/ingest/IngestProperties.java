package org.clinicalfunctions.ingest;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where and how hl7-ingest publishes the events it makes of posted HL7 v2 messages.
 *
 * @param sink broker ingress URL events are posted to, e.g. {@code http://broker-ingress/clinical/default}.
 *     Default {@code ${K_SINK:}}, the variable a Knative SinkBinding sets; when empty every message is answered
 *     AE with HTTP 503 so that senders keep it.
 * @param brokerTimeout how long one post to the broker may take before the message is answered AE with HTTP 503.
 *     Default 10 seconds.
 * @param connectTimeout how long opening a connection to the broker may take. Default 2 seconds.
 */
@ConfigurationProperties("clinical.ingest")
public record IngestProperties(
        @DefaultValue("") String sink,
        @DefaultValue("10s") Duration brokerTimeout,
        @DefaultValue("2s") Duration connectTimeout) {

    /** True when a broker URL is configured. */
    public boolean hasSink() {
        return sink != null && !sink.isBlank();
    }
}
