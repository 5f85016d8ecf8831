package org.clinicalfunctions.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The function over real HTTP, the way a Knative broker and a plain caller reach it: binary and structured
 * CloudEvents get a reply event per the platform contract; a plain POST gets the Bundle; a bad message gets 400.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "clinical.http.max-body-bytes=65536")
class LabNormalizerHttpTests {

    private static final String HL7 = "x-application/hl7-v2+er7; charset=utf-8";
    private static final String SOURCE = "/hl7v2/LAB/ACME";
    private static final String EVENT_ID = "3b0c4a8e-41c4-3c49-9a3e-6f0b8a9d1c22";
    private static final FhirContext FHIR = FhirContext.forR4Cached();

    @LocalServerPort
    private int port;

    @org.springframework.beans.factory.annotation.Autowired
    private io.micrometer.core.instrument.MeterRegistry meters;

    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void binaryCloudEventGetsReplyEventPerContract() throws Exception {
        HttpRequest request = post(HL7, oru("OBX|1|NM|2345-7^Glucose^LN||5.4|mmol/L|||||F"))
                .header("ce-specversion", "1.0").header("ce-id", EVENT_ID).header("ce-source", SOURCE)
                .header("ce-type", "org.clinicalfunctions.hl7v2.ORU_R01").header("ce-subject", "CTRL1")
                .header("ce-partitionkey", "LAB|ACME").build();

        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertReplyEvent(response);
    }

    @Test
    void structuredCloudEventGetsReplyEvent() throws Exception {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("specversion", "1.0");
        event.put("id", EVENT_ID);
        event.put("source", SOURCE);
        event.put("type", "org.clinicalfunctions.hl7v2.ORU_R01");
        event.put("subject", "CTRL1");
        event.put("datacontenttype", HL7);
        event.put("data", oru("OBX|1|NM|2345-7^Glucose^LN||5.4|mmol/L|||||F"));
        String body = new ObjectMapper().writeValueAsString(event);

        HttpResponse<String> response = client.send(post("application/cloudevents+json", body).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertReplyEvent(response);
    }

    @Test
    void plainPostGetsBundle() throws Exception {
        HttpRequest request = post("text/plain", oru("OBX|1|NM|2345-7^Glucose^LN||5.4|mmol/L|||||F")).build();

        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/fhir+json"));
        assertThat(response.headers().firstValue("ce-type")).isEmpty();
        Bundle bundle = FHIR.newJsonParser().parseResource(Bundle.class, response.body());
        assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.TRANSACTION);
        assertThat(bundle.getEntry()).hasSize(4);
    }

    @Test
    void unreadableValueGets400NamingLocationWithoutValue() throws Exception {
        String message = oru("OBX|1|NM|2345-7^Glucose^LN||5.4|mmol/L|||||F",
                "OBX|2|DT|2345-7^Glucose^LN||SECRET42|mmol/L|||||F");
        HttpRequest request = post(HL7, message)
                .header("ce-specversion", "1.0").header("ce-id", EVENT_ID).header("ce-source", SOURCE)
                .header("ce-type", "org.clinicalfunctions.hl7v2.ORU_R01").build();

        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("ce-type")).isEmpty();
        assertThat(response.body()).doesNotContain("SECRET42");
        OperationOutcome outcome = FHIR.newJsonParser().parseResource(OperationOutcome.class, response.body());
        assertThat(outcome.getIssueFirstRep().getDiagnostics())
                .isEqualTo("LAB-213 OBX[2]-5: date/time value is not a valid HL7 DTM");
        assertThat(outcome.getIssueFirstRep().getLocation()).extracting(Object::toString)
                .containsExactly("OBX[2]-5");
    }

    @Test
    void replyEventCountsWarningsAndCarriesThemInTheBundle() throws Exception {
        HttpRequest request = post(HL7, oru("OBX|1|NM|X1^Casts^L||3|/LPF|||||F", "ZXT|1|local"))
                .header("ce-specversion", "1.0").header("ce-id", EVENT_ID).header("ce-source", SOURCE)
                .header("ce-type", "org.clinicalfunctions.hl7v2.ORU_R01").header("ce-subject", "CTRL1").build();

        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(header(response, "ce-warnings")).isEqualTo("2");
        Bundle bundle = FHIR.newJsonParser().parseResource(Bundle.class, response.body());
        OperationOutcome outcome = (OperationOutcome) bundle.getEntry().get(bundle.getEntry().size() - 1)
                .getResource();
        assertThat(outcome.getIssue()).extracting(OperationOutcome.OperationOutcomeIssueComponent::getDiagnostics)
                .containsExactly("LAB-301 ZXT[1]: segment has no place in ORU^R01",
                        "LAB-304 OBX[1]-6: unit is not UCUM, kept as text only");
        assertThat(meters.counter("lab.mapping.warnings", "code", "LAB-304", "field", "OBX-6").count()).isPositive();
        assertThat(meters.counter("lab.mapping.warnings", "code", "LAB-301", "field", "ZXT").count()).isPositive();
    }

    @Test
    void brokenCloudEventGets400OperationOutcome() throws Exception {
        HttpRequest request = post("application/cloudevents+json", "{\"specversion\":\"1.0\",\"id\":").build();

        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(400);
        OperationOutcome outcome = FHIR.newJsonParser().parseResource(OperationOutcome.class, response.body());
        assertThat(outcome.getIssueFirstRep().getDiagnostics()).isEqualTo("LAB-400 request is not a valid CloudEvent");
    }

    @Test
    void fieldWithThousandsOfRepetitionsGets400BeforeParsing() throws Exception {
        String message = oru("OBX|1|NM|X1^Test^L||7|mg|||||F")
                .replace("MRN1^^^HOSP^MR", "MRN1^^^HOSP^MR" + "~X".repeat(3_000));
        HttpRequest request = post("text/plain", message).build();

        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(400);
        OperationOutcome outcome = FHIR.newJsonParser().parseResource(OperationOutcome.class, response.body());
        assertThat(outcome.getIssueFirstRep().getDiagnostics()).startsWith("LAB-205 PID[1]-3: ");
        assertThat(meters.counter("lab.mapping.refusals", "code", "LAB-205", "field", "PID-3").count()).isPositive();
    }

    @Test
    void messageThatIsNotHl7Gets400() throws Exception {
        HttpRequest request = post("text/plain", "{\"name\":\"Jane Doe\"}").build();

        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("LAB-100").doesNotContain("Jane");
    }

    @Test
    void mllpFramedLatin1MessageIsDecodedPerMsh18() throws Exception {
        String message = "\u000b" + oru("OBX|1|ST|X1^Comment^L||tr\u00e8s l\u00e9ger||||||F")
                .replace("|P|2.5.1", "|P|2.5.1||||||8859/1") + "\u001c\r";
        HttpRequest request = HttpRequest.newBuilder(URI.create(base())).header("Content-Type", "application/hl7-v2")
                .POST(HttpRequest.BodyPublishers.ofByteArray(message.getBytes(StandardCharsets.ISO_8859_1))).build();

        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"valueString\":\"tr\u00e8s l\u00e9ger\"");
    }

    @Test
    void eventDataIsReadInTheCharsetOfItsContentTypeNotMsh18() throws Exception {
        String message = oru("OBX|1|ST|X1^Comment^L||tr\u00e8s l\u00e9ger||||||F")
                .replace("|P|2.5.1", "|P|2.5.1||||||8859/1");
        HttpRequest request = post(HL7, message)
                .header("ce-specversion", "1.0").header("ce-id", EVENT_ID).header("ce-source", SOURCE)
                .header("ce-type", "org.clinicalfunctions.hl7v2.ORU_R01").header("ce-subject", "CTRL1").build();

        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"valueString\":\"tr\u00e8s l\u00e9ger\"");
    }

    @Test
    void bodyOverLimitGets413OperationOutcome() throws Exception {
        String message = oru("OBX|1|TX|X1^Report^L||" + "x".repeat(70_000) + "||||||F");

        HttpResponse<String> response = client.send(post(HL7, message).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(413);
        OperationOutcome outcome = FHIR.newJsonParser().parseResource(OperationOutcome.class, response.body());
        assertThat(outcome.getIssueFirstRep().getDiagnostics()).isEqualTo("LAB-413 body larger than 65536 bytes");
    }

    @Test
    void reportsLivenessForProbes() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base() + "actuator/health/liveness")).build();

        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
    }

    private void assertReplyEvent(HttpResponse<String> response) {
        String expectedId = UUID.nameUUIDFromBytes((SOURCE + "|" + EVENT_ID + "|normalized")
                .getBytes(StandardCharsets.UTF_8)).toString();
        assertThat(header(response, "ce-specversion")).isEqualTo("1.0");
        assertThat(header(response, "ce-id")).isEqualTo(expectedId);
        assertThat(header(response, "ce-source")).isEqualTo("/functions/lab-normalizer");
        assertThat(header(response, "ce-type")).isEqualTo("org.clinicalfunctions.lab.result.normalized");
        assertThat(header(response, "ce-subject")).isEqualTo("CTRL1");
        assertThat(header(response, "ce-hl7eventid")).isEqualTo(EVENT_ID);
        assertThat(header(response, "ce-warnings")).isEqualTo("0");
        assertThat(header(response, "Content-Type")).isEqualTo("application/fhir+json");
        assertThat(response.headers().firstValue("ce-partitionkey")).isEmpty();
        Bundle bundle = FHIR.newJsonParser().parseResource(Bundle.class, response.body());
        assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.TRANSACTION);
        assertThat(bundle.getEntry()).extracting(e -> e.getResource().fhirType())
                .containsExactly("Patient", "ServiceRequest", "DiagnosticReport", "Observation");
    }

    private static String header(HttpResponse<String> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    private static String oru(String... observations) {
        return LabMessages.withObservations(observations);
    }

    private String base() {
        return "http://127.0.0.1:" + port + "/";
    }

    private HttpRequest.Builder post(String contentType, String body) {
        return HttpRequest.newBuilder(URI.create(base())).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    }
}
