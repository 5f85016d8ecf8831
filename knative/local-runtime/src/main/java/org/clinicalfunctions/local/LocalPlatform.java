package org.clinicalfunctions.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.clinicalfunctions.local.broker.BrokerConfig;
import org.clinicalfunctions.local.broker.LocalBroker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole platform on one machine with only a JDK: a real PostgreSQL, the broker that honours the Trigger
 * manifests under {@code eventing/}, every function of {@code knative/base} as its own process, and one ingress
 * port in front of them.
 */
public final class LocalPlatform implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalPlatform.class);

    private final LocalDatabase database;
    private final LocalBroker broker;
    private final Map<String, FunctionProcess> functions;
    private final IngressRouter ingress;

    private LocalPlatform(LocalDatabase database, LocalBroker broker, Map<String, FunctionProcess> functions,
            IngressRouter ingress) {
        this.database = database;
        this.broker = broker;
        this.functions = functions;
        this.ingress = ingress;
    }

    /**
     * Settings of a local run.
     *
     * @param ingressPort the one entry port; default 8080 ({@code CLINICAL_INGRESS_PORT}), 0 for any free port
     * @param jvmOptions options for every function JVM; default a 512 MB heap ({@code CLINICAL_FUNCTION_JVM})
     * @param aotCache start functions with a JDK AOT cache made on first use; default on ({@code CLINICAL_AOT=off}
     *     turns it off)
     */
    public record Options(PlatformLayout layout, int ingressPort, List<String> jvmOptions, boolean aotCache) {

        public static Options fromEnvironment() {
            int port = Integer.parseInt(Optional.ofNullable(System.getenv("CLINICAL_INGRESS_PORT")).orElse("8080"));
            String jvm = Optional.ofNullable(System.getenv("CLINICAL_FUNCTION_JVM")).orElse("-Xmx512m");
            boolean aot = !"off".equalsIgnoreCase(System.getenv("CLINICAL_AOT"));
            return new Options(PlatformLayout.discover(), port, List.of(jvm.trim().split("\\s+")), aot);
        }

        Path aotState() {
            return aotCache ? layout.state() : null;
        }
    }

    /**
     * The one place where the laptop platform relaxes what AKS enforces, applied to every function it starts: lab
     * systems need not sign their webhooks (a signature that is sent is still checked). Broker deliveries are not
     * relaxed: the local broker mints their OIDC tokens with the development issuer's key.
     */
    static final Map<String, String> LOCAL_RELAXATIONS = Map.of("CLINICAL_INGEST_SIGNATURE_REQUIRED", "false");

    /**
     * What every local function gets on top of its manifest's plain env: the relaxations, the embedded database,
     * the development issuer, and a folder for export files beside the journal rather than in the JVM's tmp.
     */
    static Map<String, String> localEnvironment(PlatformLayout layout, LocalDatabase database,
            DevelopmentIssuer issuer) {
        Map<String, String> env = new HashMap<>(LOCAL_RELAXATIONS);
        env.putAll(database.springEnvironment());
        env.putAll(issuer.functionEnvironment());
        env.put("CLINICAL_FHIR_EXPORT_STORAGE_LOCAL_FOLDER", layout.state().resolve("exports").toString());
        return env;
    }

    public static LocalPlatform start(Options options) throws IOException {
        PlatformLayout layout = options.layout();
        Files.createDirectories(layout.state());
        long started = System.nanoTime();
        LocalDatabase database = LocalDatabase.start(layout.state().resolve("postgres"));
        Map<String, FunctionProcess> functions = new LinkedHashMap<>();
        Map<String, URI> addresses = new ConcurrentHashMap<>();
        IngressRouter ingress = new IngressRouter(options.ingressPort());
        DevelopmentIssuer issuer = new DevelopmentIssuer(URI.create("http://localhost:" + ingress.port() + "/"));
        ingress.mount(DevelopmentIssuer.SEGMENT, issuer);
        BrokerConfig brokerConfig = BrokerWiring.config(layout, addresses, freePort())
                .withIdentity(issuer::deliveryToken);
        for (FunctionSpec spec : ServiceManifests.read(layout)) {
            Map<String, String> env = new HashMap<>(spec.env());
            env.putAll(localEnvironment(layout, database, issuer));
            if (spec.env().containsKey("CLINICAL_EVENTING_OIDC_AUDIENCE")) {
                env.putAll(issuer.deliveryEnvironment());
            }
            if (spec.sinkBound()) {
                env.put("K_SINK", BrokerWiring.sinkOf(brokerConfig).toString());
            }
            FunctionProcess process = new FunctionProcess(spec.name(), layout.jarOf(spec.name()), freePort(), env,
                    layout.logs().resolve(spec.name() + ".log"), options.jvmOptions(), options.aotState());
            functions.put(spec.name(), process);
            addresses.put(spec.name(), process.address());
            ingress.addService(spec.name(), process.address());
        }
        startAll(functions.values());
        // The broker starts once its subscribers are ready: events its journal kept from the last run are sent
        // again at start, and would otherwise spend their retries on functions still booting.
        LocalBroker broker = BrokerWiring.start(brokerConfig, ingress);
        ingress.start();
        log.info("event=platform-ready ingress=http://localhost:{}/ functions={} startupMs={}", ingress.port(),
                functions.keySet(), (System.nanoTime() - started) / 1_000_000);
        return new LocalPlatform(database, broker, functions, ingress);
    }

    private static void startAll(Iterable<FunctionProcess> processes) throws IOException {
        try (ExecutorService starters = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Void>> starts = new ArrayList<>();
            for (FunctionProcess process : processes) {
                starts.add(starters.submit(() -> {
                    process.start(Duration.ofMinutes(3));
                    return null;
                }));
            }
            for (Future<Void> start : starts) {
                start.get();
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("LOCAL-003 interrupted during startup", e);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI ingress() {
        return URI.create("http://localhost:" + ingress.port() + "/");
    }

    public LocalBroker broker() {
        return broker;
    }

    public FunctionProcess function(String name) {
        return functions.get(name);
    }

    public String jdbcUrl() {
        return database.jdbcUrl();
    }

    @Override
    public void close() throws IOException {
        // Every function is asked to stop at once, so their graceful shutdowns run side by side.
        functions.values().forEach(FunctionProcess::markStopping);
        ingress.close();
        functions.values().forEach(FunctionProcess::stop);
        broker.close();
        database.close();
    }
}
