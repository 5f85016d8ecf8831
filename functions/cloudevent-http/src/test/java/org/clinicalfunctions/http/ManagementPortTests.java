package org.clinicalfunctions.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A function as it runs on AKS, with Actuator on a management port of its own (ConfigMap clinical-functions): the
 * serving port, the one Knative routes and probes, answers the probes and nothing else of Actuator; the management
 * port serves the Prometheus scrape, whose series carry no request content. Everything but the port comes from
 * {@link FunctionDefaults}. (Spring's tests turn metrics export off unless asked, hence the annotation.)
 */
@AutoConfigureObservability(tracing = false)
@SpringBootTest(classes = ShoutFunctionTest.ShoutApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
            "spring.cloud.function.definition=shout", "spring.application.name=shout", "management.server.port=0"})
class ManagementPortTests {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @DynamicPropertySource
    static void deliveryTokens(DynamicPropertyRegistry registry) {
        ShoutFunctionTest.ISSUER.register(registry, ShoutFunctionTest.AUDIENCE);
    }

    @Test
    void servingPortAnswersTheProbesButNoOtherActuatorPath() throws Exception {
        assertThat(get(port, "/readyz").statusCode()).isEqualTo(200);
        assertThat(get(port, "/livez").statusCode()).isEqualTo(200);
        assertThat(get(port, "/actuator/prometheus").statusCode()).isEqualTo(404);
        assertThat(get(port, "/actuator/health").statusCode()).isEqualTo(404);
    }

    @Test
    void managementPortServesPrometheusWithoutWhatRequestsCarried() throws Exception {
        HttpResponse<String> shouted = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("PID|1||MRN-4711||Doe^Jane||19700101")).build(),
                HttpResponse.BodyHandlers.ofString());
        get(port, "/Patient/MRN-4711?name=Doe");

        HttpResponse<String> scrape = get(managementPort, "/actuator/prometheus");

        assertThat(shouted.statusCode()).isEqualTo(200);
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
        assertThat(scrape.body()).contains("http_server_requests_seconds_count{application=\"shout\"")
                .contains("uri=\"/\"").contains("jvm_memory_used_bytes");
        assertThat(scrape.body()).doesNotContain("4711").doesNotContain("Doe").doesNotContain("Jane")
                .doesNotContain("19700101");
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
