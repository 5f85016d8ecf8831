package org.clinicalfunctions.export;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Announces a finished export to the broker ({@code K_SINK}) as a binary-mode CloudEvent whose data is the
 * manifest: {@code org.clinicalfunctions.fhir.export.completed} or {@code ...failed}. The event id is derived from
 * the job, so a resend after a crash is a duplicate the broker's consumers can recognise.
 */
@Component
public class ExportEvents {

    public static final String COMPLETED = "org.clinicalfunctions.fhir.export.completed";
    public static final String FAILED = "org.clinicalfunctions.fhir.export.failed";
    public static final String SOURCE = "/functions/fhir-export";

    private static final Logger LOG = LoggerFactory.getLogger(ExportEvents.class);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String sink;

    public ExportEvents(ExportProperties properties) {
        this.sink = properties.eventSink();
    }

    /** Sends the event; true when the sink took it (2xx) or there is no sink to send to. */
    public boolean publish(ExportJob job, String type, String data) {
        if (sink == null || sink.isBlank()) {
            return true;
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(sink))
                .timeout(Duration.ofSeconds(10))
                .header("ce-specversion", "1.0")
                .header("ce-id", job.id() + (COMPLETED.equals(type) ? "-completed" : "-failed"))
                .header("ce-source", SOURCE)
                .header("ce-type", type)
                .header("ce-subject", job.id().toString())
                .header("ce-time", Instant.now().toString())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(data))
                .build();
        try {
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            LOG.info("export event job={} type={} status={}", job.id(), type, status);
            return status / 100 == 2;
        } catch (IOException e) {
            LOG.warn("export event job={} type={} not delivered: {}", job.id(), type, e.getClass().getSimpleName());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
