package org.clinicalfunctions.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import ca.uhn.fhir.context.FhirContext;
import org.clinicalfunctions.http.DeliveryTokens;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The broker's deliveries as they reach lab-normalizer on AKS, with the delivery-token check on: the Trigger's
 * token is taken, and a delivery without one is refused with 401 and an OperationOutcome, which Knative does not
 * retry, so the event goes to the dead letters.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "clinical.eventing.oidc.required=true")
class BrokerDeliveryTokenTests {

    private static final String AUDIENCE = "serving.knative.dev/service/clinical/lab-normalizer";
    private static final DeliveryTokens CLUSTER = new DeliveryTokens("lab-normalizer-cluster-key");
    private static final String ORU = String.join("\r",
            "MSH|^~\\&|LIS|ACME|EHR|HOSP|202401021530||ORU^R01^ORU_R01|CTRL1|P|2.5.1",
            "PID|1||12345^^^HOSP^MR||Doe^Jane||19800101|F",
            "OBR|1||ACC1|2345-7^Glucose^LN|||202401021500",
            "OBX|1|NM|2345-7^Glucose^LN||5.4|mmol/L|||||F") + "\r";

    @LocalServerPort
    private int port;

    private final HttpClient client = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void cluster(DynamicPropertyRegistry registry) {
        CLUSTER.register(registry, AUDIENCE);
    }

    @AfterAll
    static void stopIssuer() {
        CLUSTER.close();
    }

    @Test
    void deliveryWithTheTriggersTokenIsMapped() throws Exception {
        HttpResponse<String> response = send(delivery().header("Authorization", CLUSTER.authorization(AUDIENCE)));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("ce-type")).isPresent();
    }

    @Test
    void deliveryWithoutATokenIsRefusedAsAnOperationOutcome() throws Exception {
        HttpResponse<String> response = send(delivery());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                challenge -> assertThat(challenge).startsWith("Bearer"));
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/fhir+json"));
        OperationOutcome outcome = FhirContext.forR4Cached().newJsonParser()
                .parseResource(OperationOutcome.class, response.body());
        assertThat(outcome.getIssueFirstRep().getDiagnostics()).startsWith("EV-");
    }

    @Test
    void tokenForAnotherFunctionIsRefused() throws Exception {
        HttpResponse<String> response = send(delivery().header("Authorization",
                CLUSTER.authorization("serving.knative.dev/service/clinical/fhir-store")));

        assertThat(response.statusCode()).isEqualTo(401);
    }

    private HttpRequest.Builder delivery() {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .header("Content-Type", "x-application/hl7-v2+er7; charset=utf-8")
                .header("ce-specversion", "1.0").header("ce-id", "7c1f0f52-5d7e-4f0b-9a51-2f3b1c0d9e11")
                .header("ce-source", "/hl7v2/LAB/ACME").header("ce-type", "org.clinicalfunctions.hl7v2.ORU_R01")
                .POST(HttpRequest.BodyPublishers.ofString(ORU, StandardCharsets.UTF_8));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
