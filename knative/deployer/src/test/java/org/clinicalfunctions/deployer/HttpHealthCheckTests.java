package org.clinicalfunctions.deployer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The canary's smoke test against a real HTTP server on the loopback interface. */
class HttpHealthCheckTests {

    private HttpServer server;
    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicInteger calls = new AtomicInteger();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/readyz", exchange -> {
            calls.incrementAndGet();
            exchange.sendResponseHeaders(status.get(), -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void passesWhenEveryAnswerIsSuccessful() {
        HttpHealthCheck check = new HttpHealthCheck("/readyz", 3, true);

        boolean passes = check.passes("hl7-ingest", baseUrl(), 10);

        assertThat(passes).isTrue();
        assertThat(calls.get()).isEqualTo(3);
    }

    @Test
    void failsOnAServiceUnavailableAnswer() {
        status.set(503);
        HttpHealthCheck check = new HttpHealthCheck("/readyz", 3, true);

        boolean passes = check.passes("hl7-ingest", baseUrl(), 10);

        assertThat(passes).isFalse();
        assertThat(calls.get()).isEqualTo(1);
    }

    @Test
    void failsWhenNothingListens() {
        HttpHealthCheck check = new HttpHealthCheck("/readyz", 1, true);
        String url = baseUrl();
        server.stop(0);

        boolean passes = check.passes("hl7-ingest", url, 10);

        assertThat(passes).isFalse();
    }

    @Test
    void aServiceWithoutAReachableTagUrlPassesOnlyWhenAUrlIsNotRequired() {
        String clusterLocal = "http://candidate-lab-normalizer.clinical.svc.cluster.local";

        boolean lenient = new HttpHealthCheck("/", 1, false).passes("lab-normalizer", "", 50);
        boolean strict = new HttpHealthCheck("/", 1, true).passes("lab-normalizer", "", 50);
        boolean lenientLocal = new HttpHealthCheck("/", 1, false).passes("lab-normalizer", clusterLocal, 50);

        assertThat(lenient).isTrue();
        assertThat(strict).isFalse();
        assertThat(lenientLocal).isTrue();
    }

    private String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }
}
