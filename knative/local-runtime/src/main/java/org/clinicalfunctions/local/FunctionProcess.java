package org.clinicalfunctions.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One function running as its own JVM from its jar, the way a Knative revision runs one container: it gets
 * {@code PORT}, {@code K_SERVICE} and, when a SinkBinding targets it, {@code K_SINK}. A process that exits is
 * started again, as Kubernetes restarts a failed container, so events the broker retries are not lost.
 */
public final class FunctionProcess {

    private static final Logger log = LoggerFactory.getLogger(FunctionProcess.class);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

    private final String name;
    private final Path jar;
    private final int port;
    private final Map<String, String> env;
    private final Path logFile;
    private final List<String> jvmOptions;
    private final Path aotState;
    private List<String> launch;
    private volatile Process process;
    private volatile boolean stopping;
    private volatile long lastStartupMillis = -1;

    public FunctionProcess(String name, Path jar, int port, Map<String, String> env, Path logFile,
            List<String> jvmOptions) {
        this(name, jar, port, env, logFile, jvmOptions, null);
    }

    /**
     * @param aotState folder for the extracted jar and its AOT cache ({@link AotCache}); null starts from the jar
     */
    public FunctionProcess(String name, Path jar, int port, Map<String, String> env, Path logFile,
            List<String> jvmOptions, Path aotState) {
        this.name = name;
        this.jar = jar;
        this.port = port;
        this.env = Map.copyOf(env);
        this.logFile = logFile;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.aotState = aotState;
    }

    public String name() {
        return name;
    }

    public URI address() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    /** Milliseconds from process start to a ready readiness probe, for the last start; -1 before. */
    public long lastStartupMillis() {
        return lastStartupMillis;
    }

    public boolean isAlive() {
        Process current = process;
        return current != null && current.isAlive();
    }

    /** Starts the process and waits until its readiness probe answers 200. */
    public synchronized void start(Duration readyWithin) throws IOException {
        Files.createDirectories(logFile.getParent());
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        command.addAll(launchArguments());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.environment().putAll(env);
        builder.environment().put("PORT", Integer.toString(port));
        // The ingress on loopback is the only way in: on every interface, a function would take unsigned webhooks
        // and development tokens from the network.
        builder.environment().put("SERVER_ADDRESS", "127.0.0.1");
        builder.environment().put("K_SERVICE", name);

        long started = System.nanoTime();
        Process current = builder.start();
        process = current;
        try {
            awaitReady(current, readyWithin);
        } catch (IOException notReady) {
            current.destroyForcibly();
            throw notReady;
        }
        lastStartupMillis = (System.nanoTime() - started) / 1_000_000;
        log.info("function={} event=ready port={} pid={} startupMs={}", name, port, current.pid(),
                lastStartupMillis);
        current.onExit().thenRun(() -> restartUnlessStopping(current));
    }

    private List<String> launchArguments() {
        if (launch == null) {
            Map<String, String> trainingEnv = new java.util.HashMap<>(env);
            trainingEnv.put("K_SERVICE", name);
            launch = aotState == null ? List.of("-jar", jar.toString())
                    : AotCache.launchArguments(name, jar, aotState, trainingEnv, jvmOptions);
        }
        return launch;
    }

    private void awaitReady(Process current, Duration within) throws IOException {
        long deadline = System.nanoTime() + within.toNanos();
        HttpRequest probe = HttpRequest.newBuilder(address().resolve("/readyz"))
                .timeout(Duration.ofSeconds(1)).GET().build();
        while (System.nanoTime() < deadline) {
            if (!current.isAlive()) {
                throw new IOException("LOCAL-010 " + name + " exited during startup; see " + logFile);
            }
            try {
                if (HTTP.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // Not listening yet: the JVM and Spring context are still starting.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("LOCAL-011 interrupted while waiting for " + name, e);
            }
            pause(50);
        }
        throw new IOException("LOCAL-012 " + name + " not ready within " + within + "; see " + logFile);
    }

    /**
     * Kubernetes restarts a failed container with a back-off that doubles up to five minutes; locally the cap is
     * 30 seconds so a developer is not kept waiting.
     */
    private void restartUnlessStopping(Process exited) {
        if (stopping || exited != process) {
            return;
        }
        Thread.ofVirtual().name("restart-" + name).start(() -> {
            // A signal to the whole process group reaches the children before the shutdown hook stops them.
            pause(500);
            if (stopping) {
                return;
            }
            log.warn("function={} event=exited exitCode={} action=restart", name, exited.exitValue());
            long backoff = 500;
            while (!stopping) {
                try {
                    start(Duration.ofMinutes(2));
                    return;
                } catch (IOException e) {
                    log.error("function={} event=restart-failed reason={} retryInMs={}", name, e.getMessage(),
                            backoff);
                }
                pause(backoff);
                backoff = Math.min(backoff * 2, 30_000);
            }
        });
    }

    /** Kills the process without a graceful shutdown, as an OOM kill or node loss would; it is then restarted. */
    public void kill() {
        Process current = process;
        if (current != null) {
            current.destroyForcibly();
        }
    }

    /** From now on an exit is expected: the process is not restarted. Sends SIGTERM, Spring's graceful stop. */
    public void markStopping() {
        stopping = true;
        Process current = process;
        if (current != null) {
            current.destroy();
        }
    }

    public void stop() {
        stopping = true;
        Process current = process;
        if (current == null) {
            return;
        }
        current.destroy();
        try {
            if (!current.waitFor(15, TimeUnit.SECONDS)) {
                current.destroyForcibly();
            }
        } catch (InterruptedException e) {
            current.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
