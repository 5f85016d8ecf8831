package org.clinicalfunctions.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

/**
 * The single-function endpoint as Knative and a broker see it, over real HTTP. Every request carries the broker's
 * delivery token, which CloudEvents need on AKS.
 */
class FunctionEndpointTests extends ShoutFunctionTest {

    @Test
    void answersAPlainPostWithTheFunctionResult() throws Exception {
        HttpResponse<String> response = send(request().header("Content-Type", "text/plain")
                .header("X-Correlation-Id", "abc").POST(HttpRequest.BodyPublishers.ofString("hello")));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("HELLO");
        assertThat(response.headers().firstValue("X-Correlation-Id")).isEmpty();
        assertThat(response.headers().firstValue("ce-specversion")).isEmpty();
    }

    @Test
    void repliesToABinaryModeEventWithANewEventAndNoEchoedAttributes() throws Exception {
        HttpResponse<String> response = send(request()
                .header("ce-specversion", "1.0").header("ce-id", "e-1").header("ce-source", "/test")
                .header("ce-type", "org.example.said").header("ce-traceparent", "00-abc-def-01")
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("hi")));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("HI");
        assertThat(response.headers().firstValue("ce-id")).contains("reply-e-1");
        assertThat(response.headers().firstValue("ce-type")).contains("org.example.shouted");
        assertThat(response.headers().firstValue("ce-source")).contains("/functions/shout");
        assertThat(response.headers().firstValue("ce-hl7eventid")).contains("%C3%A9%20%C3%BC");
        assertThat(response.headers().firstValue("ce-traceparent")).isEmpty();
        assertThat(response.headers().firstValue("ce-time").orElseThrow()).matches(".*T.*:.*:.*Z");
    }

    @Test
    void readsAStructuredModeEvent() throws Exception {
        String event = """
                {"specversion":"1.0","id":"e-2","source":"/test","type":"org.example.said",
                 "datacontenttype":"text/plain","data":"structured"}""";

        HttpResponse<String> response = send(request().header("Content-Type", "application/cloudevents+json")
                .POST(HttpRequest.BodyPublishers.ofString(event)));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("STRUCTURED");
        assertThat(response.headers().firstValue("ce-id")).contains("reply-e-2");
    }

    @Test
    void aContentTypeSpringCannotParseStillReachesTheFunction() throws Exception {
        for (String contentType : new String[] {"text/plain; charset=bogus-xyz", "text/plain; ;;==", "///"}) {
            HttpResponse<String> plain = send(request().header("Content-Type", contentType)
                    .POST(HttpRequest.BodyPublishers.ofString("hello")));
            HttpResponse<String> binary = send(request()
                    .header("ce-specversion", "1.0").header("ce-id", "e-9").header("ce-source", "/test")
                    .header("ce-type", "org.example.said").header("Content-Type", contentType)
                    .POST(HttpRequest.BodyPublishers.ofString("hi")));

            assertThat(plain.statusCode()).as(contentType).isEqualTo(200);
            assertThat(plain.body()).isEqualTo("HELLO");
            assertThat(binary.statusCode()).as(contentType).isEqualTo(200);
            assertThat(binary.body()).isEqualTo("HI");
        }
    }

    @Test
    void keepsAReadableContentTypeAndDropsOnlyWhatCannotBeRead() {
        assertThat(FunctionEndpoint.readableContentType("application/fhir+json; charset=utf-8"))
                .isEqualTo("application/fhir+json; charset=utf-8");
        assertThat(FunctionEndpoint.readableContentType("application/fhir+json; charset=bogus"))
                .isEqualTo("application/fhir+json");
        assertThat(FunctionEndpoint.readableContentType("///")).isNull();
        assertThat(FunctionEndpoint.readableContentType(null)).isNull();
    }

    @Test
    void rejectsAnInvalidCloudEventWith400() throws Exception {
        HttpResponse<String> response = send(request().header("Content-Type", "application/cloudevents+json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"specversion\":\"1.0\"")));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("CF-HTTP-400");
    }

    @Test
    void answers413ForABodyOverTheLimit() throws Exception {
        HttpResponse<String> response = send(request().header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(2048))));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("CF-HTTP-413");
    }

    private HttpRequest.Builder request() {
        return endpoint().header("Authorization", ISSUER.authorization(AUDIENCE));
    }
}
