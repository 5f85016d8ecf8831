package org.clinicalfunctions.local.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.clinicalfunctions.local.broker.RecordingSubscriber.Answer;
import org.clinicalfunctions.local.broker.RecordingSubscriber.Received;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository's own {@code eventing/} manifests, run by the local broker: they must pass admission and carry an
 * ORU event to lab-normalizer and its reply to fhir-store, and fhir-export's chunk events back to fhir-export,
 * with the platform contract's event types.
 */
class RepositoryEventingTests {

    /** Maven runs tests in the module folder; the manifests sit two levels up. */
    private static final Path EVENTING = Path.of("..", "..", "eventing");
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String ORU_MESSAGE = "MSH|^~\\&|LAB|HOSP|||20250101120000||ORU^R01|MSG00001|P|2.5.1\r";

    @TempDir
    Path data;

    @Test
    void carriesAnOruToLabNormalizerAndItsReplyToFhirStore() throws Exception {
        assumeTrue(Files.isDirectory(EVENTING), "runs inside the repository, next to eventing/");
        try (RecordingSubscriber normalizer = RecordingSubscriber.start().answering(normalizedReply());
                RecordingSubscriber store = RecordingSubscriber.start();
                LocalBroker broker = LocalBroker.start(BrokerConfig.of(EVENTING, data)
                        .withResolver(services(normalizer.uri(), store.uri())))) {

            int status = postOru(broker.ingressUri());

            assertThat(status).isEqualTo(202);
            assertThat(broker.awaitIdle(WAIT)).isTrue();
            assertThat(normalizer.received()).extracting(r -> r.header("ce-type"))
                    .containsExactly("org.clinicalfunctions.hl7v2.ORU_R01");
            List<Received> stored = store.received();
            assertThat(stored).extracting(r -> r.header("ce-type"))
                    .containsExactly("org.clinicalfunctions.lab.result.normalized");
            assertThat(stored.get(0).header("ce-hl7eventid")).isEqualTo("0b7f3a4e-1c2d-3e4f-8a9b-0c1d2e3f4a5b");
            assertThat(broker.parked()).isEmpty();
            assertThat(broker.deadLetters()).isEmpty();
        }
    }

    @Test
    void keepsAFhirStoreRejectionInTheLocalDeadLettersBecauseTheKafkaSinkIsNotHere() throws Exception {
        assumeTrue(Files.isDirectory(EVENTING), "runs inside the repository, next to eventing/");
        try (RecordingSubscriber normalizer = RecordingSubscriber.start().answering(normalizedReply());
                RecordingSubscriber store = RecordingSubscriber.start().answering(Answer.status(400, "FHIR-422"));
                LocalBroker broker = LocalBroker.start(BrokerConfig.of(EVENTING, data)
                        .withResolver(services(normalizer.uri(), store.uri())))) {

            postOru(broker.ingressUri());

            assertThat(broker.awaitIdle(WAIT)).isTrue();
            assertThat(broker.deadLetters()).extracting(DeadLetter::trigger).containsExactly("fhir-store");
            assertThat(broker.deadLetters().get(0).event().getExtension("knativeerrorcode")).isEqualTo(400);
        }
    }

    @Test
    void carriesAChunkEventBackToFhirExportsChunkPathAndRetriesWhileTheChunkIsHeld() throws Exception {
        assumeTrue(Files.isDirectory(EVENTING), "runs inside the repository, next to eventing/");
        try (RecordingSubscriber export = RecordingSubscriber.start()
                        .answering(Answer.status(503, "FX-431"), Answer.status(200));
                LocalBroker broker = LocalBroker.start(BrokerConfig.of(EVENTING, data)
                        .withResolver(exportService(export.uri())))) {

            int status = postChunkReady(broker.ingressUri());

            assertThat(status).isEqualTo(202);
            assertThat(broker.awaitIdle(WAIT)).isTrue();
            assertThat(export.received()).hasSize(2).allSatisfy(r -> {
                assertThat(r.path()).isEqualTo("/export-chunks");
                assertThat(r.header("ce-type")).isEqualTo("org.clinicalfunctions.fhir.export.chunk.ready");
            });
            assertThat(broker.deadLetters()).isEmpty();
            assertThat(broker.parked()).isEmpty();
        }
    }

    private static DestinationResolver exportService(URI export) {
        return (apiVersion, kind, name) -> "serving.knative.dev/v1".equals(apiVersion) && "Service".equals(kind)
                && "fhir-export".equals(name) ? Optional.of(export) : Optional.empty();
    }

    private static int postChunkReady(URI ingress) throws Exception {
        String job = "c1f4e0a2-7d3b-4a59-8e26-5b9d0f3c7a41";
        HttpRequest request = HttpRequest.newBuilder(ingress)
                .header("ce-specversion", "1.0")
                .header("ce-id", "3f6c2a8e-5b1d-4e7f-9a0c-2d4e6f8a1b3c")
                .header("ce-source", "/functions/fhir-export")
                .header("ce-type", "org.clinicalfunctions.fhir.export.chunk.ready")
                .header("ce-subject", job)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"job\":\"" + job + "\",\"chunk\":\"Observation\"}"))
                .timeout(WAIT)
                .build();
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }

    private static DestinationResolver services(URI normalizer, URI store) {
        return (apiVersion, kind, name) -> {
            if (!"serving.knative.dev/v1".equals(apiVersion) || !"Service".equals(kind)) {
                return Optional.empty();
            }
            return switch (name) {
                case "lab-normalizer" -> Optional.of(normalizer);
                case "fhir-store" -> Optional.of(store);
                default -> Optional.empty();
            };
        };
    }

    private static Answer normalizedReply() {
        return new Answer(200, Map.of("ce-specversion", "1.0", "ce-id", "5d1c9a7e-0000-3000-8000-000000000002",
                "ce-source", "/functions/lab-normalizer", "ce-type", "org.clinicalfunctions.lab.result.normalized",
                "ce-subject", "MSG00001", "ce-hl7eventid", "0b7f3a4e-1c2d-3e4f-8a9b-0c1d2e3f4a5b",
                "Content-Type", "application/fhir+json"),
                "{\"resourceType\":\"Bundle\",\"type\":\"transaction\"}".getBytes(StandardCharsets.UTF_8));
    }

    private static int postOru(URI ingress) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(ingress)
                .header("ce-specversion", "1.0")
                .header("ce-id", "0b7f3a4e-1c2d-3e4f-8a9b-0c1d2e3f4a5b")
                .header("ce-source", "/hl7v2/LAB/HOSP")
                .header("ce-type", "org.clinicalfunctions.hl7v2.ORU_R01")
                .header("ce-subject", "MSG00001")
                .header("ce-partitionkey", "/hl7v2/LAB/HOSP")
                .header("Content-Type", "x-application/hl7-v2+er7; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(ORU_MESSAGE))
                .timeout(WAIT)
                .build();
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }
}
