package org.clinicalfunctions.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Without K_SINK nothing can be published, so nothing is acknowledged as taken. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"clinical.ingest.sink=", "clinical.ingest.signature.required=false"})
class Hl7IngestWithoutSinkTests {

    @LocalServerPort
    int port;

    @Test
    void messageIsAnsweredAe503WhenNoBrokerIsConfigured() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .header("Content-Type", IngestOverHttp.HL7)
                .POST(HttpRequest.BodyPublishers.ofString(IngestOverHttp.ORU))
                .build();

        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).isEqualTo(503);
        Ack ack = Ack.single(response.body());
        assertThat(ack.segment("MSA")).isEqualTo("MSA|AE|MSG-0001");
        assertThat(ack.field("ERR", 8)).isEqualTo("no event broker configured; the message was not published,"
                + " resend later");
    }
}
