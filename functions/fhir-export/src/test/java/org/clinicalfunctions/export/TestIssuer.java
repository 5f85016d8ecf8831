package org.clinicalfunctions.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.sun.net.httpserver.HttpServer;
import org.clinicalfunctions.auth.DevelopmentTokens;

/** An Entra-shaped token issuer for the tests: smart-auth's development keys, their JWKS served on loopback. */
final class TestIssuer implements AutoCloseable {

    private final DevelopmentTokens tokens = new DevelopmentTokens("fhir-export-test");
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

    /** The smart-auth properties of a function that trusts this issuer, as command-line arguments. */
    List<String> args() {
        return List.of("--clinical.auth.issuer=" + DevelopmentTokens.ISSUER,
                "--clinical.auth.audience=" + DevelopmentTokens.AUDIENCE,
                "--clinical.auth.jwks-uri=http://127.0.0.1:" + server.getAddress().getPort() + "/keys");
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
    }
}
