package org.clinicalfunctions.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** With the broker's port closed, every message is answered AE with 503 so the sender keeps it and resends. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "clinical.ingest.signature.required=false")
class Hl7IngestBrokerDownTests {

    private static final int CLOSED_PORT = closedPort();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) {
        registry.add("clinical.ingest.sink", () -> "http://127.0.0.1:" + CLOSED_PORT + RecordingBroker.PATH);
    }

    @Test
    void connectionRefusedIsAnsweredAe503() throws Exception {
        byte[] body = IngestOverHttp.ORU.getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> response = post(body);

        assertThat(response.statusCode()).isEqualTo(503);
        Ack ack = Ack.single(response.body());
        assertThat(ack.segment("MSA")).isEqualTo("MSA|AE|MSG-0001");
        assertThat(ack.segment("ERR")).isEqualTo("ERR|||207^Application internal error^HL70357|E||||event broker"
                + " unavailable; the message was not published, resend later");
    }

    /** A port that was just free and is now closed: connecting to it is refused. */
    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port", e);
        }
    }

    private HttpResponse<String> post(byte[] body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .header("Content-Type", IngestOverHttp.HL7)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
