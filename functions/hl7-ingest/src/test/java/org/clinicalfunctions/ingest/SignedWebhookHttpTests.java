package org.clinicalfunctions.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * hl7-ingest as deployed on AKS: signatures required, one key bound to one lab. Over real HTTP, to a loopback
 * broker that records what was published.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "clinical.ingest.broker-timeout=1s",
    "clinical.ingest.signature.keys[0].id=acme-2026",
    "clinical.ingest.signature.secrets.acme-2026=" + WebhookSignatureGuardTests.SECRET,
    "clinical.ingest.signature.keys[0].application=LAB APP",
    "clinical.ingest.signature.keys[0].facility=ACME LAB"})
class SignedWebhookHttpTests extends IngestOverHttp {

    @Test
    void signedMessageIsAcceptedAndPublished() throws Exception {
        HttpResponse<String> response = post(ORU, true);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("MSA|AA|MSG-0001");
        assertThat(BROKER.events()).hasSize(1);
    }

    @Test
    void unsignedMessageGets401WithChallengeAndIsNotPublished() throws Exception {
        HttpResponse<String> response = post(ORU, false);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate"))
                .hasValue("Clinical-Signature realm=\"hl7-ingest\"");
        assertThat(response.body()).contains("MSA|AR").contains("INGEST-401");
        assertThat(BROKER.events()).isEmpty();
    }

    @Test
    void messageFromAnotherSenderIsRefusedEvenWhenSigned() throws Exception {
        String otherLab = ORU.replace("|LAB APP|ACME LAB|", "|OTHER APP|OTHER LAB|");

        HttpResponse<String> response = post(otherLab, true);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("MSA|AR").contains("signing key");
        assertThat(BROKER.events()).isEmpty();
    }

    @Test
    void batchSignedByABoundKeyPublishesOnlyItsSendersMessages() throws Exception {
        String other = ORU.replace("|LAB APP|ACME LAB|", "|OTHER APP|OTHER LAB|").replace("MSG-0001", "MSG-0002");
        String batch = "BHS|^~\\&|LAB APP|ACME LAB\r" + ORU + other + "BTS|2\r";

        HttpResponse<String> response = post(batch, true);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("MSA|AA|MSG-0001", "MSA|AR|MSG-0002");
        assertThat(BROKER.events()).extracting(event -> event.header("ce-subject")).containsExactly("MSG-0001");
    }

    @Test
    void timestampBeyondWhatAnInstantHoldsGets401NotA500() throws Exception {
        byte[] body = ORU.getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = request(body, HL7).header(WebhookSignatureGuard.HEADER,
                "t=99999999999999999,k=acme-2026,v1=00");

        HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("MSA|AR").contains("INGEST-402");
        assertThat(BROKER.events()).isEmpty();
    }

    private HttpResponse<String> post(String message, boolean signed) throws Exception {
        byte[] body = message.getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = request(body, HL7);
        if (signed) {
            request.header(WebhookSignatureGuard.HEADER, WebhookSignatureGuard.header("acme-2026",
                    WebhookSignatureGuardTests.SECRET, Instant.now().getEpochSecond(), body));
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
