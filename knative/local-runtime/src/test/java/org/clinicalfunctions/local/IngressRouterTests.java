package org.clinicalfunctions.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ingress reaches only the function a path names, whatever the rest of the path looks like. */
class IngressRouterTests {

    private final List<String> functionPaths = new CopyOnWriteArrayList<>();
    private final List<String> otherPaths = new CopyOnWriteArrayList<>();
    private HttpServer function;
    private HttpServer other;
    private IngressRouter router;

    @BeforeEach
    void start() throws IOException {
        function = server(functionPaths);
        other = server(otherPaths);
        router = new IngressRouter(0);
        router.addService("svc", URI.create("http://127.0.0.1:" + function.getAddress().getPort()));
        router.start();
    }

    @AfterEach
    void stop() {
        router.close();
        function.stop(0);
        other.stop(0);
    }

    @Test
    void aDoubleSlashAfterTheServiceStaysAPathOfThatService() throws Exception {
        String hostAndPort = "127.0.0.1:" + other.getAddress().getPort();

        HttpResponse<String> answer = get("/svc//" + hostAndPort + "/secret?q=1");

        assertThat(otherPaths).isEmpty();
        assertThat(functionPaths).containsExactly("//" + hostAndPort + "/secret?q=1");
        assertThat(answer.statusCode()).isEqualTo(200);
    }

    @Test
    void pathAndQueryReachTheFunctionUnchanged() throws Exception {
        HttpResponse<String> answer = get("/svc/Observation/a%2Fb?patient=p-1&_count=2");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(functionPaths).containsExactly("/Observation/a%2Fb?patient=p-1&_count=2");
    }

    @Test
    void aHostNameOtherThanThisMachinesIsRefused() throws Exception {
        String answer = getWithHost("/svc/Observation", "rebound.example.org:" + router.port());

        assertThat(answer).startsWith("HTTP/1.1 421");
        assertThat(functionPaths).isEmpty();
    }

    @Test
    void loopbackHostNamesAreServed() throws Exception {
        for (String host : List.of("localhost", "LOCALHOST:" + router.port(), "127.0.0.1:1", "[::1]:8080")) {
            assertThat(getWithHost("/svc/Observation", host)).as(host).startsWith("HTTP/1.1 200");
        }
        assertThat(IngressRouter.isLoopbackHost(null)).isFalse();
        assertThat(IngressRouter.isLoopbackHost("[::1")).isFalse();
        assertThat(IngressRouter.isLoopbackHost("localhost.rebound.example.org")).isFalse();
    }

    /** Java's HttpClient will not set {@code Host}; a DNS-rebinding browser does: the request is hand-written. */
    private String getWithHost(String path, String host) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", router.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + router.port() + path))
                    .build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    private static HttpServer server(List<String> seen) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/", exchange -> answer(exchange, seen));
        server.start();
        return server;
    }

    private static void answer(HttpExchange exchange, List<String> seen) throws IOException {
        try (exchange) {
            seen.add(exchange.getRequestURI().toString());
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }
}
