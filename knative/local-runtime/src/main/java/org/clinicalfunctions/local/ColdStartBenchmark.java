package org.clinicalfunctions.local;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures each function's cold start the way the platform sees it: from process start to the first 200 of its
 * readiness probe, the moment Knative's queue-proxy would let traffic in. Runs every function alone, several
 * times, and prints min, median and max in milliseconds. Image pull and pod scheduling on AKS come on top.
 */
public final class ColdStartBenchmark {

    private ColdStartBenchmark() {
    }

    public static void run(PlatformLayout layout, int runs, List<String> jvmOptions, boolean aotCache,
            PrintStream out) throws IOException {
        out.println(aotCache ? "with the JDK AOT cache (made on first use; CLINICAL_AOT=off to compare)"
                : "without an AOT cache, from the jar");
        Files.createDirectories(layout.state());
        // Functions that check tokens need an issuer to start; nothing asks it for keys during a cold start.
        DevelopmentIssuer issuer = new DevelopmentIssuer(URI.create("http://localhost:9/"));
        try (LocalDatabase database = LocalDatabase.start(layout.state().resolve("postgres"))) {
            for (FunctionSpec spec : ServiceManifests.read(layout)) {
                List<Long> millis = new ArrayList<>();
                for (int run = 0; run < runs; run++) {
                    Map<String, String> env = new HashMap<>(spec.env());
                    env.putAll(LocalPlatform.localEnvironment(layout, database, issuer));
                    env.put("K_SINK", "http://127.0.0.1:9/unused");
                    FunctionProcess process = new FunctionProcess(spec.name(), layout.jarOf(spec.name()),
                            LocalPlatform.freePort(), env, layout.logs().resolve(spec.name() + "-bench.log"),
                            jvmOptions, aotCache ? layout.state() : null);
                    process.start(Duration.ofMinutes(3));
                    millis.add(process.lastStartupMillis());
                    process.stop();
                }
                millis.sort(Long::compare);
                out.printf("%-16s runs=%d min=%d ms median=%d ms max=%d ms%n", spec.name(), runs, millis.get(0),
                        millis.get(millis.size() / 2), millis.get(millis.size() - 1));
            }
        }
    }
}
