package org.clinicalfunctions.booking;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Real HTTP against the function on its random port, each call with the bearer token given (or none). */
final class BookingHttpClient {

    static final String FHIR_JSON = "application/fhir+json";

    private final HttpClient http;
    private final String base;

    BookingHttpClient(int port) {
        this.base = "http://127.0.0.1:" + port;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    HttpResponse<String> get(String path, String token) {
        return send(request(path, token).GET());
    }

    HttpResponse<String> post(String path, String token, String body, String... headers) {
        return send(request(path, token, headers).header("Content-Type", FHIR_JSON)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    HttpResponse<String> put(String path, String token, String body, String... headers) {
        return send(request(path, token, headers).header("Content-Type", FHIR_JSON)
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** A binary-mode CloudEvent to {@code POST /}, as the broker delivers. */
    HttpResponse<String> event(String token, String id, String type, String data) {
        return send(request("/", token, "ce-specversion", "1.0", "ce-id", id, "ce-source", "/ehr/test",
                "ce-type", type).header("Content-Type", FHIR_JSON).POST(HttpRequest.BodyPublishers.ofString(data)));
    }

    private HttpRequest.Builder request(String path, String token, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return request;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
