package org.clinicalfunctions.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A Bulk Data client over real HTTP: kick-off, status polling that honours Retry-After, file download. */
final class BulkClient {

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String token;

    /** A client of the export on {@code port} that sends {@code token} (null: none) to that server only. */
    BulkClient(int port, String token) {
        this.base = "http://127.0.0.1:" + port;
        this.token = token;
    }

    String base() {
        return base;
    }

    /** A GET kick-off with Prefer: respond-async and Accept: application/fhir+json; the query is sent as given. */
    HttpResponse<String> kickOff(String pathAndQuery) {
        return send(HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .header("Accept", "application/fhir+json").header("Prefer", "respond-async").GET());
    }

    HttpResponse<String> kickOffPost(String path, String parameters) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Accept", "application/fhir+json").header("Prefer", "respond-async")
                .header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(parameters)));
    }

    /** Sends the request, with the bearer token only when it goes to the export's own address. */
    HttpResponse<String> send(HttpRequest.Builder request) {
        return send(request, HttpResponse.BodyHandlers.ofString());
    }

    private <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body) {
        HttpRequest built = request.timeout(Duration.ofSeconds(60)).build();
        if (token != null && built.uri().toString().startsWith(base + "/")) {
            built = HttpRequest.newBuilder(built, (name, value) -> true).header("Authorization", "Bearer " + token)
                    .build();
        }
        return exchange(http, built, body);
    }

    /** One HTTP exchange, its failures unchecked: a test that cannot reach the function fails. */
    static <T> HttpResponse<T> exchange(HttpClient client, HttpRequest request, HttpResponse.BodyHandler<T> body) {
        try {
            return client.send(request, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/json").GET());
    }

    /** A GET with the given Accept-Encoding, the body as the bytes that came over the wire (not decompressed). */
    HttpResponse<byte[]> getEncoded(String url, String acceptEncoding) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Accept-Encoding", acceptEncoding).GET(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Asserts that the gzipped download is gzip-encoded and decompresses to exactly the plain one. */
    static void assertGzipOf(HttpResponse<byte[]> gzipped, HttpResponse<String> plain) {
        assertThat(gzipped.statusCode()).isEqualTo(200);
        assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(gzipped.headers().firstValue("Content-Encoding")).contains("gzip");
        assertThat(gzipped.headers().allValues("Vary"))
                .anySatisfy(v -> assertThat(v).containsIgnoringCase("accept-encoding"));
        assertThat(gzipped.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/fhir+ndjson");
        assertThat(gunzip(gzipped.body())).isEqualTo(plain.body());
    }

    /** The bytes of a gzip stream, decompressed and read as UTF-8. */
    static String gunzip(byte[] compressed) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    HttpResponse<String> delete(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).DELETE());
    }

    /** Polls the status URL until it is no longer 202 (or 429), waiting 150 ms between polls; max two minutes. */
    HttpResponse<String> awaitCompletion(String statusUrl) {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> status = get(statusUrl);
            if (status.statusCode() != 202 && status.statusCode() != 429) {
                return status;
            }
            sleep(150);
        }
        throw new AssertionError("export did not finish within two minutes: " + statusUrl);
    }

    /** Kick-off, then poll to the end; returns the manifest. */
    JsonNode export(String pathAndQuery) {
        HttpResponse<String> accepted = kickOff(pathAndQuery);
        if (accepted.statusCode() != 202) {
            throw new AssertionError("kick-off answered " + accepted.statusCode() + ": " + accepted.body());
        }
        HttpResponse<String> done = awaitCompletion(accepted.headers().firstValue("Content-Location").orElseThrow());
        if (done.statusCode() != 200) {
            throw new AssertionError("status answered " + done.statusCode() + ": " + done.body());
        }
        return json(done.body());
    }

    /** Every line of every output file of the manifest, with the type the manifest gives its file. */
    List<String[]> lines(JsonNode manifest) {
        List<String[]> lines = new ArrayList<>();
        for (JsonNode output : manifest.path("output")) {
            HttpResponse<String> file = get(output.path("url").asText());
            if (file.statusCode() != 200) {
                throw new AssertionError("file answered " + file.statusCode());
            }
            for (String line : file.body().split("\n")) {
                lines.add(new String[] {output.path("type").asText(), line});
            }
        }
        return lines;
    }

    static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
