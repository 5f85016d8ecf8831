package org.clinicalfunctions.ingest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.clinicalfunctions.http.CloudEventHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts one binary-mode CloudEvent per HL7 v2 message to the broker ingress (the URL Knative's SinkBinding puts in
 * {@code K_SINK}) and reports whether the broker took it.
 */
public class BrokerPublisher {

    private static final Logger log = LoggerFactory.getLogger(BrokerPublisher.class);

    private final HttpClient client;
    private final URI sink;
    private final IngestProperties properties;

    public BrokerPublisher(HttpClient client, IngestProperties properties) {
        this.client = client;
        this.properties = properties;
        this.sink = properties.hasSink() ? URI.create(properties.sink().trim()) : null;
        if (sink == null) {
            log.warn("no broker sink configured (clinical.ingest.sink / K_SINK): every message is answered AE 503");
        }
    }

    /** Publishes the event with the message text as data and says what the broker did with it. */
    public BrokerDelivery publish(Hl7v2Event event, String messageText) {
        if (sink == null) {
            log.warn("no broker sink configured (clinical.ingest.sink / K_SINK): ceId={} not published", event.id());
            return BrokerDelivery.NO_SINK;
        }

        HttpRequest request = HttpRequest.newBuilder(sink)
                .timeout(properties.brokerTimeout())
                .header("Content-Type", Hl7v2Event.DATA_CONTENT_TYPE)
                .header("ce-specversion", "1.0")
                .header("ce-id", CloudEventHeaders.percentEncode(event.id()))
                .header("ce-source", CloudEventHeaders.percentEncode(event.source()))
                .header("ce-type", CloudEventHeaders.percentEncode(event.type()))
                .header("ce-subject", CloudEventHeaders.percentEncode(event.subject()))
                // Instant always prints seconds; OffsetDateTime drops ":00", which RFC 3339 does not allow.
                .header("ce-time", Instant.now().toString())
                .header("ce-partitionkey", CloudEventHeaders.percentEncode(event.partitionKey()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(messageText.getBytes(StandardCharsets.UTF_8)))
                .build();

        return send(request, event);
    }

    private BrokerDelivery send(HttpRequest request, Hl7v2Event event) {
        try {
            int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            BrokerDelivery delivery = BrokerDelivery.forStatus(status);
            if (!delivery.accepted()) {
                log.warn("broker answered {} for ceId={}: {}", status, event.id(), delivery);
            }
            return delivery;
        } catch (IOException e) {
            log.warn("broker unreachable for ceId={}: {}", event.id(), e.getClass().getSimpleName());
            return BrokerDelivery.UNAVAILABLE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return BrokerDelivery.UNAVAILABLE;
        }
    }

}
