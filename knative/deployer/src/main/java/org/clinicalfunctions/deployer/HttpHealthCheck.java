package org.clinicalfunctions.deployer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The smoke test of a canary step: a GET of a path (by default Spring Boot's readiness group) on the candidate's
 * tag URL, a few times, every answer 2xx. A Service without a tag URL, or a cluster-local one the pipeline's
 * runner cannot reach ({@code *.svc.cluster.local}), passes only when {@code requireUrl} is false: such a function
 * is gated by its revision becoming Ready.
 */
public final class HttpHealthCheck implements HealthCheck {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String path;
    private final int attempts;
    private final boolean requireUrl;

    /** A check of {@code path}, asked {@code attempts} times. */
    public HttpHealthCheck(String path, int attempts, boolean requireUrl) {
        this.path = path;
        this.attempts = attempts;
        this.requireUrl = requireUrl;
    }

    @Override
    public boolean passes(String service, String candidateUrl, long percent) {
        if (candidateUrl.isEmpty() || URI.create(candidateUrl).getHost().endsWith(".svc.cluster.local")) {
            return !requireUrl;
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(candidateUrl + path))
                .timeout(Duration.ofSeconds(10)).GET().build();
        for (int i = 0; i < attempts; i++) {
            try {
                int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status < 200 || status > 299) {
                    return false;
                }
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
