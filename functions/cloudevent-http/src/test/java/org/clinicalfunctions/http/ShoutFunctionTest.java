package org.clinicalfunctions.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.messaging.Message;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One application for the endpoint's tests, started once: a function that shouts, served on a random port, taking
 * broker deliveries from a cluster issuer whose JWKS is on loopback. Its servers live as long as the test JVM.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "spring.cloud.function.definition=shout", "clinical.http.max-body-bytes=1024"})
abstract class ShoutFunctionTest {

    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String AUDIENCE = "serving.knative.dev/service/clinical/shout";
    static final DeliveryTokens ISSUER = new DeliveryTokens("cluster-key-1");

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void deliveryTokens(DynamicPropertyRegistry registry) {
        ISSUER.register(registry, AUDIENCE);
    }

    @SpringBootApplication
    static class ShoutApplication {

        /** Replies to an event with a new event; answers plain HTTP with the upper-cased body. */
        @Bean
        Function<Message<byte[]>, Message<byte[]>> shout(@Value("${spring.cloud.function.definition}") String name) {
            return input -> {
                String text = new String(input.getPayload(), StandardCharsets.UTF_8).toUpperCase();
                if (!CloudEventHeaders.isCloudEvent(input)) {
                    return FunctionReply.http(200, "text/plain", text);
                }
                return FunctionReply.event("reply-" + CloudEventHeaders.attribute(input, "id"),
                        URI.create("/functions/" + name), "org.example.shouted", "s-1", "text/plain",
                        text.getBytes(StandardCharsets.UTF_8), Map.of("hl7eventid", "é ü"));
            };
        }
    }

    HttpRequest.Builder endpoint() {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"));
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
