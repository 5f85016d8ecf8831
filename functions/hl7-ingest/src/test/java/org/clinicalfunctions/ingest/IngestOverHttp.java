package org.clinicalfunctions.ingest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * hl7-ingest served on a random port and publishing to one loopback {@link RecordingBroker}, shared by the test
 * classes that extend this one so they share one application context too.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"clinical.ingest.broker-timeout=1s", "clinical.ingest.signature.required=false"})
abstract class IngestOverHttp {

    static final String ORU = "MSH|^~\\&|LAB APP|ACME LAB|EHR|CLINIC|20240301101500||ORU^R01^ORU_R01|MSG-0001|P|2.5.1\r"
            + "PID|1||PAT-1^^^ACME^MR||TEST^PATIENT\r"
            + "OBR|1||LAB-1|2345-7^Glucose^LN\r"
            + "OBX|1|NM|2345-7^Glucose^LN||95|mg/dL|70-99|N|||F\r";
    static final String ORU_EVENT_ID = "a6004308-af69-30dd-a40a-06437a35435e";
    static final String HL7 = "x-application/hl7-v2+er7";

    /** Lives as long as the test JVM, like the cached application context that posts to it. */
    static final RecordingBroker BROKER = RecordingBroker.start();
    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) {
        registry.add("clinical.ingest.sink", BROKER::url);
    }

    @BeforeEach
    void resetBroker() {
        BROKER.reset();
    }

    HttpResponse<String> post(byte[] body, String contentType) throws IOException, InterruptedException {
        return CLIENT.send(request(body, contentType).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    HttpRequest.Builder request(byte[] body, String contentType) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }
}
