package org.clinicalfunctions.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole platform as {@code knative/platform up} runs it: real PostgreSQL, the broker over the repository's
 * Trigger manifests, and the three function jars as separate processes, driven through the one ingress port with
 * the sample corpus a lab would send.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalPlatformTests {

    private static final Path ROOT = Path.of(System.getProperty("clinical.root", "../..")).toAbsolutePath();
    private static final Path CORPUS = ROOT.resolve("functions/hl7-ingest/src/test/resources/hl7v2");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path state;

    static LocalPlatform platform;
    static String staffToken;

    @BeforeAll
    static void startPlatform() throws IOException {
        LocalPlatform.Options options = new LocalPlatform.Options(new PlatformLayout(ROOT, state), 0,
                List.of("-Xmx384m", "-XX:TieredStopAtLevel=1"), false);
        platform = LocalPlatform.start(options);
    }

    @AfterAll
    static void stopPlatform() throws IOException {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    @Order(1)
    void logsTheStartupTimeOfEveryFunction() {
        for (String name : List.of("hl7-ingest", "lab-normalizer", "fhir-store", "appointment-booking")) {
            assertThat(platform.function(name).lastStartupMillis()).as(name).isPositive();
        }
    }

    /** Each function's metrics, as Azure Monitor's managed Prometheus scrapes them on AKS (there on port 9464). */
    @Test
    @Order(1)
    void everyFunctionServesItsPrometheusMetrics() throws Exception {
        for (String name : List.of("hl7-ingest", "lab-normalizer", "fhir-store", "appointment-booking")) {
            HttpResponse<String> scrape = HTTP.send(HttpRequest.newBuilder(ingress("/" + name + "/actuator/prometheus"))
                    .build(), HttpResponse.BodyHandlers.ofString());

            assertThat(scrape.statusCode()).as(name).isEqualTo(200);
            assertThat(scrape.body()).as(name).contains("jvm_memory_used_bytes{application=\"" + name + "\"");
        }
    }

    /** Unsigned webhooks and development tokens are for this machine: nothing listens on another interface. */
    @Test
    @Order(1)
    void functionsAndIngressListenOnLoopbackOnly() throws IOException {
        InetAddress external = NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses)
                .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress()
                        && !address.isLinkLocalAddress()).findFirst().orElse(null);
        Assumptions.assumeTrue(external != null, "this machine has no non-loopback IPv4 address to try");
        Map<String, Integer> ports = new TreeMap<>(Map.of("ingress", platform.ingress().getPort()));
        for (String name : List.of("hl7-ingest", "lab-normalizer", "fhir-store", "appointment-booking")) {
            ports.put(name, platform.function(name).address().getPort());
        }

        ports.forEach((name, port) -> assertThatThrownBy(() -> connect(external, port)).as(name)
                .isInstanceOf(ConnectException.class));
    }

    private static void connect(InetAddress address, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 2000);
        }
    }

    @Test
    @Order(2)
    void replayOfTheSampleCorpusAccountsForEveryMessage() throws Exception {
        Replay.Summary summary = replay();

        long rejected = summary.messages() - summary.accepted();
        assertThat(summary.messages()).isEqualTo(summary.stored() + rejected + summary.parked()
                + summary.deadLettered());
        assertThat(summary.deadLettered()).isZero();
        assertThat(summary.stored()).isEqualTo(oruFiles().size());
        assertThat(summary.parked()).isEqualTo(summary.files() - oruFiles().size());
        assertThat(summary.storedByType().get("Observation")).isPositive();
    }

    @Test
    @Order(3)
    void everyOruMessageHasItsResultsInTheStore() throws Exception {
        for (Path oru : oruFiles()) {
            Map<String, List<String>> resources = resourceIdsOf(oru);
            // An ORU without OBX (an order whose results are still pending) still stores its report.
            String type = hasObx(oru) ? "Observation" : "DiagnosticReport";

            assertThat(resources.get(type)).as(oru.getFileName() + " " + type).isNotEmpty();
            for (String id : resources.get(type)) {
                HttpResponse<String> read = get("/fhir-store/" + type + "/" + id);
                assertThat(read.statusCode()).as(oru.getFileName() + " " + type + "/" + id).isEqualTo(200);
            }
        }
    }

    /** The broker's deliveries got through above with its tokens; the same event without one does not. */
    @Test
    @Order(3)
    void aDeliveryWithoutTheBrokersTokenIsRefusedLocallyAsOnAks() throws Exception {
        HttpRequest.Builder forged = HttpRequest.newBuilder(ingress("/fhir-store/"))
                .header("ce-specversion", "1.0").header("ce-id", "forged-1").header("ce-source", "/forged")
                .header("ce-type", "org.clinicalfunctions.lab.result.normalized")
                .header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"resourceType\":\"Bundle\",\"type\":\"transaction\"}"));

        HttpResponse<String> store = HTTP.send(forged.build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> normalizer = HTTP.send(forged.uri(ingress("/lab-normalizer/")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(store.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(store.body()).at("/issue/0/diagnostics").asText())
                .isEqualTo("EV-101 event delivery token required");
        assertThat(normalizer.statusCode()).isEqualTo(401);
    }

    @Test
    @Order(3)
    void fhirStoreReadsNeedATokenForTheirPatient() throws Exception {
        String id = resourceIdsOf(oruFiles().get(0)).get("Observation").get(0);
        String path = "/fhir-store/Observation/" + id;

        HttpResponse<String> anonymous = get(path, null);
        HttpResponse<String> otherPatient = get(path, token("patient=p-none&scope=patient%2FObservation.rs"));

        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(anonymous.body()).at("/issue/0/diagnostics").asText()).startsWith("AU-101 ");
        assertThat(otherPatient.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(otherPatient.body()).at("/issue/0/diagnostics").asText()).startsWith("AU-202 ");
        assertThat(get(path).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(4)
    void theSameMessageDeliveredTwiceStoresOneVersion() throws Exception {
        Path oru = oruFiles().get(0);
        String id = resourceIdsOf(oru).get("Observation").get(0);
        String versionBefore = versionOf(id);

        for (int i = 0; i < 2; i++) {
            assertThat(post("/hl7-ingest/", oru).body()).contains("MSA|AA|");
        }
        assertThat(platform.broker().awaitIdle(Duration.ofMinutes(2))).isTrue();

        assertThat(versionOf(id)).isEqualTo(versionBefore);
    }

    @Test
    @Order(5)
    void killingFunctionsInTheMiddleOfAReplayLosesNothing() throws Exception {
        CompletableFuture<Replay.Summary> running = CompletableFuture.supplyAsync(() -> {
            try {
                return replay();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(500);

        platform.function("lab-normalizer").kill();
        platform.function("fhir-store").kill();
        Replay.Summary summary = running.get();

        assertThat(summary.deadLettered()).isZero();
        assertThat(summary.stored()).isEqualTo(oruFiles().size());
        assertThat(platform.function("lab-normalizer").isAlive()).isTrue();
        assertThat(platform.function("fhir-store").isAlive()).isTrue();
    }

    /** A Bulk Data export through the ingress, its chunks worked in the local broker's deliveries to fhir-export. */
    @Test
    @Order(6)
    void bulkExportIsWorkedThroughTheBrokersChunkEvents() throws Exception {
        URI kickOff = ingress("/fhir-export/$export?_type=Observation");
        HttpResponse<String> accepted = HTTP.send(HttpRequest.newBuilder(kickOff)
                .header("Authorization", "Bearer " + token("")).header("Prefer", "respond-async").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String status = accepted.headers().firstValue("Content-Location").orElseThrow();

        HttpResponse<String> done = get(URI.create(status).getPath());
        for (int i = 0; i < 120 && done.statusCode() != 200; i++) {
            Thread.sleep(1000);
            done = get(URI.create(status).getPath());
        }

        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        assertThat(JSON.readTree(done.body()).path("output").get(0).path("count").asInt()).isPositive();
        assertThat(platform.broker().deliveredByTrigger()).containsKey("fhir-export-chunks");
    }

    private static Replay.Summary replay() throws IOException, InterruptedException {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        Replay replay = new Replay(platform.ingress(), new PrintStream(progress, true, StandardCharsets.UTF_8), 4,
                "fhir-store");
        return replay.run(CORPUS);
    }

    private static List<Path> oruFiles() throws IOException {
        try (Stream<Path> files = Files.list(CORPUS)) {
            return files.filter(p -> p.getFileName().toString().startsWith("oru_r01")).sorted().toList();
        }
    }

    /** The resource ids, by type, lab-normalizer derives for a message; they are deterministic. */
    private static Map<String, List<String>> resourceIdsOf(Path oru) throws IOException, InterruptedException {
        // lab-normalizer maps one message; hl7-ingest is what splits a batch, so drop its envelope here.
        String message = Files.readString(oru, StandardCharsets.UTF_8)
                .replaceAll("(?m)^(FHS|BHS|BTS|FTS)\\|.*\\R", "");
        HttpResponse<String> bundle = HTTP.send(HttpRequest.newBuilder(ingress("/lab-normalizer/"))
                .header("Content-Type", "x-application/hl7-v2+er7")
                .POST(HttpRequest.BodyPublishers.ofString(message)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bundle.statusCode()).as(oru.getFileName().toString()).isEqualTo(200);
        Map<String, List<String>> ids = new TreeMap<>();
        for (JsonNode entry : JSON.readTree(bundle.body()).path("entry")) {
            JsonNode resource = entry.path("resource");
            ids.computeIfAbsent(resource.path("resourceType").asText(), type -> new ArrayList<>())
                    .add(resource.path("id").asText());
        }
        return ids;
    }

    /**
     * Availability published to the broker, as a scheduling system does: the Trigger appointment-booking-availability
     * delivers it with the broker's token, and the slot can be read; the same event straight to the function, even
     * with a staff token, is refused.
     */
    @Test
    @Order(98)
    void availabilityPublishedToTheBrokerReachesAppointmentBooking() throws Exception {
        String start = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).plusDays(3)
                .truncatedTo(java.time.temporal.ChronoUnit.HOURS).toString().replace("Z", ":00Z");
        String availability = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                + "{\"resource\":{\"resourceType\":\"Schedule\",\"id\":\"clinic-2\",\"actor\":[{\"reference\":"
                + "\"Practitioner/dr-2\"}]},\"request\":{\"method\":\"PUT\",\"url\":\"Schedule/clinic-2\"}},"
                + "{\"resource\":{\"resourceType\":\"Slot\",\"id\":\"clinic-2-a\",\"schedule\":{\"reference\":"
                + "\"Schedule/clinic-2\"},\"status\":\"free\",\"start\":\"" + start + "\",\"end\":\""
                + start.replace(":00:00Z", ":30:00Z") + "\"},\"request\":{\"method\":\"PUT\",\"url\":"
                + "\"Slot/clinic-2-a\"}}]}";
        HttpRequest.Builder event = HttpRequest.newBuilder(ingress("/clinical/default"))
                .header("ce-specversion", "1.0").header("ce-id", "avail-clinic-2").header("ce-source", "/ehr/clinic-2")
                .header("ce-type", "org.clinicalfunctions.availability").header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(availability));

        HttpResponse<String> straight = HTTP.send(event.copy().uri(ingress("/appointment-booking/"))
                .header("Authorization", "Bearer " + token("")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> queued = HTTP.send(event.build(), HttpResponse.BodyHandlers.ofString());

        assertThat(straight.statusCode()).isEqualTo(401);
        assertThat(queued.statusCode()).isEqualTo(202);
        HttpResponse<String> slot = get("/appointment-booking/Slot/clinic-2-a");
        for (int i = 0; i < 100 && slot.statusCode() != 200; i++) {
            Thread.sleep(200);
            slot = get("/appointment-booking/Slot/clinic-2-a");
        }
        assertThat(slot.statusCode()).as(slot.body()).isEqualTo(200);
        assertThat(JSON.readTree(slot.body()).path("status").asText()).isEqualTo("free");
    }

    /** The portal flow of the README: development tokens, availability, a booking, its event in fhir-store. */
    @Test
    @Order(99)
    void portalBookingWithADevelopmentTokenReachesFhirStore() throws Exception {
        String start = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).plusDays(2)
                .truncatedTo(java.time.temporal.ChronoUnit.HOURS).toString().replace("Z", ":00Z");
        String end = start.replace(":00:00Z", ":30:00Z");
        String availability = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                + "{\"resource\":{\"resourceType\":\"Schedule\",\"id\":\"clinic-1\",\"actor\":[{\"reference\":"
                + "\"Practitioner/dr-1\"}]},\"request\":{\"method\":\"PUT\",\"url\":\"Schedule/clinic-1\"}},"
                + "{\"resource\":{\"resourceType\":\"Slot\",\"id\":\"clinic-1-a\",\"schedule\":{\"reference\":"
                + "\"Schedule/clinic-1\"},\"status\":\"free\",\"start\":\"" + start + "\",\"end\":\"" + end + "\"},"
                + "\"request\":{\"method\":\"PUT\",\"url\":\"Slot/clinic-1-a\"}}]}";
        String booking = "{\"resourceType\":\"Appointment\",\"status\":\"booked\",\"slot\":[{\"reference\":"
                + "\"Slot/clinic-1-a\"}],\"participant\":[{\"actor\":{\"reference\":\"Patient/p-1\"},"
                + "\"status\":\"accepted\"}]}";

        HttpResponse<String> published = fhirPost("/appointment-booking/", token(""), availability);
        HttpResponse<String> booked = fhirPost("/appointment-booking/Appointment", token("patient=p-1"), booking);

        assertThat(published.statusCode()).as(published.body()).isEqualTo(200);
        assertThat(booked.statusCode()).as(booked.body()).isEqualTo(201);
        String id = JSON.readTree(booked.body()).path("id").asText();
        assertThat(booked.headers().firstValue("Location").orElseThrow())
                .isEqualTo(platform.ingress() + "appointment-booking/Appointment/" + id + "/_history/1");
        HttpResponse<String> stored = get("/fhir-store/Appointment/" + id);
        for (int i = 0; i < 100 && stored.statusCode() != 200; i++) {
            Thread.sleep(200);
            stored = get("/fhir-store/Appointment/" + id);
        }
        assertThat(stored.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(stored.body()).path("status").asText()).isEqualTo("booked");
    }

    private static String token(String form) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(DevelopmentIssuer.tokenRequest(platform.ingress(), form),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body()).path("access_token").asText();
    }

    private static HttpResponse<String> fhirPost(String path, String token, String body)
            throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(ingress(path)).header("Content-Type", "application/fhir+json")
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static boolean hasObx(Path oru) throws IOException {
        String text = Files.readString(oru, StandardCharsets.ISO_8859_1);
        return text.contains("\rOBX|") || text.contains("\nOBX|");
    }

    private static String versionOf(String observationId) throws IOException, InterruptedException {
        HttpResponse<String> read = get("/fhir-store/Observation/" + observationId);
        return JSON.readTree(read.body()).path("meta").path("versionId").asText();
    }

    private static HttpResponse<String> post(String path, Path file) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(ingress(path))
                .header("Content-Type", "x-application/hl7-v2+er7")
                .POST(HttpRequest.BodyPublishers.ofFile(file)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A read of fhir-store with a staff token ({@code user/*.cruds}), as the README's curl examples do. */
    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        if (staffToken == null) {
            staffToken = token("");
        }
        return get(path, staffToken);
    }

    private static HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(ingress(path)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI ingress(String path) {
        return platform.ingress().resolve(path);
    }

}
