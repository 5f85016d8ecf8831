package org.clinicalfunctions.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Assumptions;

/**
 * Azurite's Blob service from {@code azurite/node_modules} (installed by {@code npm ci} there, as {@code .ci/run}
 * does), on a free loopback port. Missing Azurite skips the test on a laptop and fails it when {@code CI=true}.
 */
final class AzuriteProcess implements AutoCloseable {

    /** Azurite's documented development account; the key is public and only opens the emulator. */
    private static final String ACCOUNT = "devstoreaccount1";
    private static final String KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private final Process process;
    private final int port;

    private AzuriteProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static AzuriteProcess start(Path workFolder) {
        Path binary = Path.of("azurite", "node_modules", ".bin", "azurite-blob").toAbsolutePath();
        if (!Files.isExecutable(binary)) {
            String reason = "Azurite is not installed: run npm ci in functions/fhir-export/azurite";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(reason);
            }
            Assumptions.abort(reason);
        }
        int port = ExportTestEnvironment.freePort();
        try {
            Process process = new ProcessBuilder(List.of(binary.toString(), "--blobHost", "127.0.0.1",
                    "--blobPort", Integer.toString(port), "--location", workFolder.toString(), "--silent",
                    "--skipApiVersionCheck"))
                    .redirectErrorStream(true).redirectOutput(workFolder.resolve("azurite.log").toFile()).start();
            AzuriteProcess azurite = new AzuriteProcess(process, port);
            azurite.awaitListening();
            return azurite;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String connectionString() {
        return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + KEY
                + ";BlobEndpoint=http://127.0.0.1:" + port + "/" + ACCOUNT + ";";
    }

    int port() {
        return port;
    }

    private void awaitListening() {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Azurite exited with " + process.exitValue());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException e) {
                BulkClient.sleep(200);
            }
        }
        throw new IllegalStateException("Azurite did not listen within 60 s");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
