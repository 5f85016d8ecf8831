package org.clinicalfunctions.export;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Announces a finished export to the broker ({@code K_SINK}) as a binary-mode CloudEvent whose data is the
 * manifest: {@code org.clinicalfunctions.fhir.export.completed} or {@code ...failed}. The event id is derived from
 * the job, so a resend after a crash is a duplicate the broker's consumers can recognise.
 *
 * <p>With chunk events on, it also sends {@code org.clinicalfunctions.fhir.export.chunk.ready}: the job and the
 * chunk (a resource type) whose work is waiting, nothing else. Each is a new wake-up with an id of its own; the
 * handler is idempotent, so a duplicate costs one lookup.
 */
@Component
public class ExportEvents {

    public static final String COMPLETED = "org.clinicalfunctions.fhir.export.completed";
    public static final String FAILED = "org.clinicalfunctions.fhir.export.failed";
    public static final String CHUNK_READY = "org.clinicalfunctions.fhir.export.chunk.ready";
    public static final String SOURCE = "/functions/fhir-export";

    private static final Logger LOG = LoggerFactory.getLogger(ExportEvents.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String sink;

    public ExportEvents(ExportProperties properties) {
        this.sink = properties.eventSink();
    }

    /** Sends the event; true when the sink took it (2xx) or there is no sink to send to. */
    public boolean publish(ExportJob job, String type, String data) {
        return send(job.id() + (COMPLETED.equals(type) ? "-completed" : "-failed"), type, job.id(), data);
    }

    /** Announces a chunk whose work waits; true when the sink took it, false without a sink or when it refused. */
    public boolean publishChunkReady(ChunkRef chunk) {
        if (sink == null || sink.isBlank()) {
            return false;
        }
        String data = JSON.createObjectNode().put("job", chunk.jobId().toString())
                .put("chunk", chunk.resourceType()).toString();
        return send(UUID.randomUUID().toString(), CHUNK_READY, chunk.jobId(), data);
    }

    private boolean send(String id, String type, UUID job, String data) {
        if (sink == null || sink.isBlank()) {
            return true;
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(sink))
                .timeout(Duration.ofSeconds(10))
                .header("ce-specversion", "1.0")
                .header("ce-id", id)
                .header("ce-source", SOURCE)
                .header("ce-type", type)
                .header("ce-subject", job.toString())
                .header("ce-time", Instant.now().toString())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(data))
                .build();
        try {
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            LOG.info("export event job={} type={} status={}", job, type, status);
            return status / 100 == 2;
        } catch (IOException e) {
            LOG.warn("export event job={} type={} not delivered: {}", job, type, e.getClass().getSimpleName());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
