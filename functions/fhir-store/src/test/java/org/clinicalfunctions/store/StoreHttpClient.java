package org.clinicalfunctions.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Real HTTP against the store on its random port: binary-mode CloudEvents (as the broker sends them, with the
 * dispatcher's delivery token unless another is given), plain FHIR POSTs and reads (with the client's bearer token,
 * staff's unless another is given).
 */
final class StoreHttpClient {

    static final String EVENT_TYPE = "org.clinicalfunctions.lab.result.normalized";
    static final String EVENT_SOURCE = "/functions/lab-normalizer";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;
    private final String token;
    private final String delivery;

    StoreHttpClient(int port) {
        this("http://127.0.0.1:" + port, TestIssuer.ADMIN, TestIssuer.delivery());
    }

    private StoreHttpClient(String base, String token, String delivery) {
        this.base = base;
        this.token = token;
        this.delivery = delivery;
    }

    /** The same store, called with {@code bearer} as the token, or with none when it is null. */
    StoreHttpClient as(String bearer) {
        return new StoreHttpClient(base, bearer, delivery);
    }

    /** The same store, receiving deliveries with this {@code Authorization} value, or with none when it is null. */
    StoreHttpClient deliveringWith(String authorization) {
        return new StoreHttpClient(base, token, authorization);
    }

    /** Delivers a Bundle as the broker does: binary-mode CloudEvent, data is the Bundle. */
    HttpResponse<String> deliver(String eventId, String bundle) {
        return deliverAs(eventId, bundle, "application/fhir+json");
    }

    /** A binary-mode CloudEvent with the given datacontenttype. */
    HttpResponse<String> deliverAs(String eventId, String data, String contentType) {
        HttpRequest request = delivered(HttpRequest.newBuilder(URI.create(base + "/")))
                .header("ce-specversion", "1.0")
                .header("ce-id", eventId)
                .header("ce-source", EVENT_SOURCE)
                .header("ce-type", EVENT_TYPE)
                .header("ce-subject", "MSG-" + eventId)
                .header("ce-hl7eventid", "hl7-" + eventId)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(data))
                .build();
        return send(request);
    }

    /** A FHIR transaction as a plain HTTP POST to the base with the client's token, no CloudEvent attributes. */
    HttpResponse<String> transaction(String bundle) {
        return send(authorized(HttpRequest.newBuilder(URI.create(base + "/")))
                .header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(bundle))
                .build());
    }

    /** A POST to the function with a content type: a structured-mode CloudEvent (delivered), or plain HTTP. */
    HttpResponse<String> post(String body, String contentType) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + "/"));
        HttpRequest request = (contentType.startsWith("application/cloudevents") ? delivered(builder) : builder)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return send(request);
    }

    HttpResponse<String> get(String pathAndQuery) {
        return send(authorized(HttpRequest.newBuilder(URI.create(base + pathAndQuery))).GET().build());
    }

    private HttpRequest.Builder delivered(HttpRequest.Builder request) {
        return delivery == null ? request : request.header("Authorization", delivery);
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder request) {
        return token == null ? request : request.header("Authorization", "Bearer " + token);
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String fixture(String name) {
        try (InputStream in = StoreHttpClient.class.getResourceAsStream("/fixtures/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fixture Bundle for another fictional patient: every id and identifier of patient 1001 renumbered. */
    static String bundleForPatient(String number) {
        return fixture("lab-result-bundle.json").replace("1001", number);
    }
}
