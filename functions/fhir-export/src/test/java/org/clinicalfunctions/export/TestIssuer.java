package org.clinicalfunctions.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.sun.net.httpserver.HttpServer;
import org.clinicalfunctions.auth.DevelopmentTokens;
import org.clinicalfunctions.http.DeliveryTokens;

/**
 * The token issuers of the tests: smart-auth's development keys (Entra-shaped user and application tokens) and the
 * cluster's service-account issuer whose tokens the broker's dispatcher sends, both with their JWKS on loopback.
 */
final class TestIssuer implements AutoCloseable {

    /** The audience the Trigger {@code fhir-export-chunks} names for its subscriber. */
    static final String DELIVERY_AUDIENCE = "serving.knative.dev/service/clinical/fhir-export";

    private final DevelopmentTokens tokens = new DevelopmentTokens("fhir-export-test");
    private final DeliveryTokens deliveries = new DeliveryTokens("fhir-export-cluster-key");
    private final HttpServer server;

    TestIssuer() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] jwks = tokens.jwks().getBytes(StandardCharsets.UTF_8);
        server.createContext("/keys", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            exchange.getResponseBody().write(jwks);
            exchange.close();
        });
        server.start();
    }

    /** The smart-auth and delivery token properties of a function that trusts these issuers, as arguments. */
    List<String> args() {
        List<String> args = new ArrayList<>(List.of("--clinical.auth.issuer=" + DevelopmentTokens.ISSUER,
                "--clinical.auth.audience=" + DevelopmentTokens.AUDIENCE,
                "--clinical.auth.jwks-uri=http://127.0.0.1:" + server.getAddress().getPort() + "/keys"));
        deliveries.properties(DELIVERY_AUDIENCE).forEach((name, value) -> args.add("--" + name + "=" + value));
        return args;
    }

    /** The {@code Authorization} value the broker's dispatcher sends with a chunk.ready delivery. */
    String delivery() {
        return deliveries.authorization(DELIVERY_AUDIENCE);
    }

    /** A dispatcher's token, for a subscriber other than fhir-export. */
    String deliveryFor(String audience) {
        return deliveries.authorization(audience);
    }

    /** A backend-services application token with {@code system/*.rs}: a new client each time. */
    String system() {
        return tokens.application(List.of("system/*.rs"));
    }

    /** An application token that may load data into fhir-store: {@code system/*.cu}. */
    String writer() {
        return tokens.application(List.of("system/*.cu"));
    }

    /** A patient's own token, {@code patient/*.rs} with the patient in context. */
    String patient(String patientId) {
        return tokens.patient(patientId, "patient/*.rs");
    }

    @Override
    public void close() {
        server.stop(0);
        deliveries.close();
    }
}
