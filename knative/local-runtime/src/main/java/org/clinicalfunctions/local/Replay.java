package org.clinicalfunctions.local;

import java.io.IOException;
import java.io.PrintStream;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Posts every file of a folder to {@code hl7-ingest} through the local ingress, as a lab system would (retrying
 * while the platform answers 503 or is unreachable), waits until the broker is idle and prints what became of
 * every message: ACK codes with reasons, resources stored by type, dead-lettered, parked, and throughput.
 */
public final class Replay {

    static final List<String> STORED_TYPES = List.of("Patient", "ServiceRequest", "DiagnosticReport", "Observation",
            "Specimen", "Organization", "OperationOutcome");
    private static final Pattern MSA = Pattern.compile("(?m)(?:^|\\r|\\n)MSA\\|([A-Z]{2})\\|");
    private static final Pattern ERR_TEXT = Pattern.compile("ERR\\|[^\\r\\n]*");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern MSH_SEGMENT = Pattern.compile("(?m)(?:^|(?<=\u00BF))MSH[^\\r\\n]*");

    private final URI ingress;
    private final PrintStream out;
    private final int concurrency;
    private final String storeTrigger;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /**
     * @param concurrency how many files are posted at once
     * @param storeTrigger the Trigger whose successful deliveries count as stored messages ({@code fhir-store})
     */
    public Replay(URI ingress, PrintStream out, int concurrency, String storeTrigger) {
        this.ingress = ingress;
        this.out = out;
        this.concurrency = concurrency;
        this.storeTrigger = storeTrigger;
    }

    /** What a replay accounted for; {@code messages = accepted + rejected + failed}. */
    public record Summary(int files, int messages, Map<String, Integer> ackCodes, Map<String, Integer> reasons,
            Map<String, Long> storedByType, long stored, long deadLettered, long parked, double seconds) {

        public long accepted() {
            return ackCodes.getOrDefault("AA", 0);
        }

        /** sent = stored + rejected + parked + dead-lettered. */
        public boolean isAccountedFor() {
            return messages == stored + (messages - accepted()) + parked + deadLettered;
        }

        public double messagesPerSecond() {
            return seconds == 0 ? 0 : messages / seconds;
        }
    }

    public Summary run(Path folder) throws IOException, InterruptedException {
        return run(folder, 1);
    }

    /**
     * Sends the folder {@code rounds} times. Round k > 1 appends {@code -k} to every MSH-10, so each round is a
     * new set of messages (new event ids) rather than redeliveries: that is how the throughput figure is taken.
     */
    public Summary run(Path folder, int rounds) throws IOException, InterruptedException {
        List<Path> folderFiles = filesIn(folder);
        List<Send> files = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            for (Path file : folderFiles) {
                files.add(new Send(file, round));
            }
        }
        JsonNode before = brokerStatus();
        Map<String, Long> countsBefore = storedCounts();
        Map<String, Integer> codes = new ConcurrentHashMap<>();
        Map<String, Integer> reasons = new ConcurrentHashMap<>();
        LongAdder messages = new LongAdder();
        AtomicInteger done = new AtomicInteger();

        long started = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(concurrency)) {
            List<Future<?>> sends = new ArrayList<>();
            for (Send file : files) {
                sends.add(pool.submit(() -> {
                    List<String> acks = send(file, reasons);
                    acks.forEach(code -> codes.merge(code, 1, Integer::sum));
                    messages.add(acks.size());
                    if (rounds == 1 || !acks.equals(List.of("AA"))) {
                        out.printf("[%d/%d] %s %s%n", done.incrementAndGet(), files.size(),
                                file.path().getFileName(), acks);
                    } else if (done.incrementAndGet() % 500 == 0) {
                        out.printf("[%d/%d]%n", done.get(), files.size());
                    }
                    return null;
                }));
            }
            for (Future<?> send : sends) {
                await(send);
            }
        }
        awaitBrokerIdle(Duration.ofMinutes(10));
        double seconds = (System.nanoTime() - started) / 1e9;

        JsonNode after = brokerStatus();
        Map<String, Long> stored = new TreeMap<>();
        storedCounts().forEach((type, count) -> stored.put(type, count - countsBefore.getOrDefault(type, 0L)));
        return new Summary(folderFiles.size() * rounds, messages.intValue(), new TreeMap<>(codes),
                new TreeMap<>(reasons), stored,
                delta(before.path("deliveredByTrigger"), after.path("deliveredByTrigger"), storeTrigger),
                delta(before, after, "deadLettered"),
                delta(before, after, "parked"), seconds);
    }

    /** One file of one round. */
    private record Send(Path path, int round) {
    }

    private List<String> send(Send file, Map<String, Integer> reasons) throws IOException, InterruptedException {
        byte[] body = Files.readAllBytes(file.path());
        if (file.round() > 1) {
            body = withControlIdSuffix(body, "-" + file.round());
        }
        HttpRequest request = HttpRequest.newBuilder(ingress.resolve("/hl7-ingest/"))
                .header("Content-Type", "x-application/hl7-v2+er7")
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<String> response = http.send(request,
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                boolean retryable = response.statusCode() == 503 || response.statusCode() == 502;
                if (!retryable || attempt >= 30) {
                    return ackCodes(response, reasons);
                }
                noteRetry(file, attempt, "HTTP " + response.statusCode());
            } catch (IOException unreachable) {
                if (attempt >= 30) {
                    throw unreachable;
                }
                noteRetry(file, attempt, "unreachable");
            }
            Thread.sleep(Math.min(5_000, 200L * attempt));
        }
    }

    private void noteRetry(Send file, int attempt, String reason) {
        if (attempt == 1 || attempt % 5 == 0) {
            out.printf("%s: platform answered %s, retrying (%d/30)%n", file.path().getFileName(), reason, attempt);
        }
    }

    /** Appends a suffix to MSH-10 of every MSH segment; bytes are read as Latin-1 so any charset survives. */
    static byte[] withControlIdSuffix(byte[] message, String suffix) {
        String text = new String(message, StandardCharsets.ISO_8859_1);
        Matcher msh = MSH_SEGMENT.matcher(text);
        StringBuilder rewritten = new StringBuilder();
        while (msh.find()) {
            String segment = msh.group();
            char separator = segment.charAt(3);
            // The separator at index 3 opens MSH-2, so the ninth one opens MSH-10.
            int field = 1;
            int at = 3;
            while (field < 9 && at >= 0) {
                at = segment.indexOf(separator, at + 1);
                field++;
            }
            String replaced = at < 0 ? segment : insertBeforeFieldEnd(segment, at, separator, suffix);
            msh.appendReplacement(rewritten, Matcher.quoteReplacement(replaced));
        }
        msh.appendTail(rewritten);
        return rewritten.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String insertBeforeFieldEnd(String segment, int fieldStart, char separator, String suffix) {
        int end = segment.indexOf(separator, fieldStart + 1);
        int cut = end < 0 ? segment.length() : end;
        return segment.substring(0, cut) + suffix + segment.substring(cut);
    }

    static List<String> ackCodes(HttpResponse<String> response, Map<String, Integer> reasons) {
        List<String> codes = new ArrayList<>();
        Matcher msa = MSA.matcher(response.body());
        while (msa.find()) {
            codes.add(msa.group(1));
        }
        if (codes.isEmpty()) {
            codes.add("HTTP-" + response.statusCode());
        }
        Matcher err = ERR_TEXT.matcher(response.body());
        while (err.find()) {
            String[] fields = err.group().split("\\|", -1);
            String reason = fields.length > 8 && !fields[8].isBlank() ? fields[8] : err.group();
            reasons.merge(reason, 1, Integer::sum);
        }
        return codes;
    }

    private void awaitBrokerIdle(Duration within) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (brokerStatus().path("inFlight").asLong() == 0) {
                return;
            }
            Thread.sleep(100);
        }
        out.println("broker still busy after " + within + "; the counts below are partial");
    }

    private JsonNode brokerStatus() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(ingress.resolve("/_broker/status"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    /** fhir-store's searches take bearer tokens: a search-only staff token from the development issuer. */
    private Map<String, Long> storedCounts() throws IOException, InterruptedException {
        HttpResponse<String> issued = http.send(DevelopmentIssuer.tokenRequest(ingress, "scope=user%2F*.s"),
                HttpResponse.BodyHandlers.ofString());
        String token = issued.statusCode() == 200 ? JSON.readTree(issued.body()).path("access_token").asText() : "";
        Map<String, Long> counts = new TreeMap<>();
        for (String type : STORED_TYPES) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    ingress.resolve("/fhir-store/" + type + "?_summary=count"))
                    .header("Authorization", "Bearer " + token).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            counts.put(type, response.statusCode() == 200 ? JSON.readTree(response.body()).path("total").asLong()
                    : 0L);
        }
        return counts;
    }

    private static long delta(JsonNode before, JsonNode after, String field) {
        return after.path(field).asLong() - before.path(field).asLong();
    }

    private static List<Path> filesIn(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().endsWith(".md"))
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList();
        }
    }

    private static void await(Future<?> send) throws IOException, InterruptedException {
        try {
            send.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException("LOCAL-020 a send failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** Prints the summary a person reads at the end of a replay. */
    public void print(Summary summary) {
        out.println();
        out.println("files sent ........ " + summary.files());
        out.println("messages .......... " + summary.messages());
        out.println("ACK codes ......... " + summary.ackCodes());
        summary.reasons().forEach((reason, count) -> out.println("  rejected " + count + "x: " + reason));
        out.println("messages stored ... " + summary.stored() + " (normalized bundles fhir-store committed)");
        out.println("resources stored .. " + summary.storedByType());
        out.println("dead-lettered ..... " + summary.deadLettered());
        out.println("parked ............ " + summary.parked() + " (types no Trigger consumes)");
        long rejected = summary.messages() - summary.accepted();
        out.printf("accounted ......... %d sent = %d stored + %d rejected + %d parked + %d dead-lettered%s%n",
                summary.messages(), summary.stored(), rejected, summary.parked(), summary.deadLettered(),
                summary.isAccountedFor() ? "" : "  (MISMATCH)");
        out.printf("throughput ........ %.1f messages/s over %.2f s (send to broker idle)%n",
                summary.messagesPerSecond(), summary.seconds());
    }
}
