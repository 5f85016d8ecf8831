package org.clinicalfunctions.local;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one local entry port: {@code http://localhost:8080/<service>/...} goes to the function named
 * {@code <service>} at {@code /...}, as a Knative route would. Other first path segments are served by handlers
 * the platform mounts (the broker's ingress and its admin API).
 */
public final class IngressRouter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IngressRouter.class);
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "host", "expect",
            "transfer-encoding", "upgrade", "keep-alive", "te", "trailer", "proxy-authorization");

    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]");

    private final HttpServer server;
    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .build();
    private final Map<String, URI> services = new ConcurrentHashMap<>();
    private final Map<String, HttpHandler> mounts = new ConcurrentHashMap<>();

    public IngressRouter(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::route);
    }

    public void start() {
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public void addService(String name, URI address) {
        services.put(name, address);
    }

    /** Serves {@code /<segment>/...} with a handler of the platform instead of a function. */
    public void mount(String segment, HttpHandler handler) {
        mounts.put(segment, handler);
    }

    private void route(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!isLoopbackHost(exchange.getRequestHeaders().getFirst("Host"))) {
                reply(exchange, 421, "{\"error\":\"this ingress answers only Host localhost, 127.0.0.1 or [::1]\"}");
                return;
            }
            String path = exchange.getRequestURI().getRawPath();
            String[] parts = path.substring(1).split("/", 2);
            String segment = parts[0];
            HttpHandler mounted = mounts.get(segment);
            if (mounted != null) {
                mounted.handle(exchange);
                return;
            }
            URI target = services.get(segment);
            if (target == null) {
                reply(exchange, 404, "{\"error\":\"no service named '" + segment.replace("\"", "") + "'\"}");
                return;
            }
            String rest = parts.length > 1 ? parts[1] : "";
            String query = exchange.getRequestURI().getRawQuery();
            forward(exchange, functionAddress(target, rest, query), segment);
        }
    }

    /**
     * Only this machine's names may be in {@code Host}: a web page whose domain an attacker points at 127.0.0.1 (DNS
     * rebinding) would otherwise read development tokens from {@code /_auth/token} and call every function.
     */
    static boolean isLoopbackHost(String host) {
        if (host == null) {
            return false;
        }
        String name = host.startsWith("[") ? host.substring(0, host.indexOf(']') + 1) : host.replaceFirst(":\\d*$", "");
        return LOOPBACK_NAMES.contains(name.toLowerCase(Locale.ROOT));
    }

    /**
     * The function's own address with the caller's path and query, joined as text: resolving {@code //host/...}
     * against the function would make {@code host} the authority and send the request to any host the caller names.
     */
    static URI functionAddress(URI function, String rawPath, String rawQuery) {
        return URI.create(function.getScheme() + "://" + function.getRawAuthority() + "/" + rawPath
                + (rawQuery == null ? "" : "?" + rawQuery));
    }

    private void forward(HttpExchange exchange, URI target, String service) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(Duration.ofMinutes(5))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.toLowerCase(Locale.ROOT)
                    .startsWith("x-forwarded-")) {
                values.forEach(value -> request.header(name, value));
            }
        });
        // Like Knative's ingress, tell the function the address the caller used, so links it writes resolve.
        String host = exchange.getRequestHeaders().getFirst("Host");
        if (host != null) {
            request.header("X-Forwarded-Host", host);
        }
        request.header("X-Forwarded-Proto", "http");
        request.header("X-Forwarded-Prefix", "/" + service);
        HttpResponse<byte[]> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            // The function is down, restarting or died mid-request: 503 tells senders and brokers to try again.
            log.warn("service={} event=unavailable", service);
            reply(exchange, 503, "{\"error\":\"service '" + service + "' is not available, retry\"}");
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reply(exchange, 503, "{\"error\":\"interrupted\"}");
            return;
        }
        response.headers().map().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, List.copyOf(values));
            }
        });
        byte[] answer = response.body();
        exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
        if (answer.length > 0) {
            exchange.getResponseBody().write(answer);
        }
    }

    static void reply(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(1);
    }
}
