package org.clinicalfunctions.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a function from Spring Boot's extracted layout with a JDK AOT cache (JEP 483/514, JDK 24+), which halves
 * its start here: the classes come loaded and linked from a training run. The cache is made once per jar build,
 * by starting the function until its context is refreshed, and kept under {@code <state>/aot/}. Without a JDK
 * that can make one, or when training fails, the function starts from its jar as before.
 */
final class AotCache {

    private static final Logger log = LoggerFactory.getLogger(AotCache.class);

    private AotCache() {
    }

    /** The java arguments after the JVM options: {@code -XX:AOTCache=… -jar <extracted jar>}, or {@code -jar}. */
    static List<String> launchArguments(String name, Path jar, Path stateDir, Map<String, String> env,
            List<String> jvmOptions) {
        List<String> plain = List.of("-jar", jar.toString());
        if (Runtime.version().feature() < 25) {
            return plain;
        }
        try {
            Path home = stateDir.resolve("aot").resolve(name);
            Path dir = home.resolve(Long.toHexString(Files.getLastModifiedTime(jar).toMillis() ^ Files.size(jar)));
            Path app = dir.resolve("app").resolve(jar.getFileName());
            Path cache = dir.resolve(name + ".aot");
            if (!Files.exists(cache) && !train(name, jar, home, dir, cache, env, jvmOptions)) {
                return plain;
            }
            return List.of("-XX:AOTCache=" + cache, "-jar", app.toString());
        } catch (IOException e) {
            log.warn("function={} event=aot-cache-skipped reason={}", name, e.getMessage());
            return plain;
        }
    }

    private static boolean train(String name, Path jar, Path home, Path dir, Path cache, Map<String, String> env,
            List<String> jvmOptions) throws IOException {
        long started = System.nanoTime();
        deleteTree(home);
        Files.createDirectories(dir);
        if (run(List.of(java(), "-Djarmode=tools", "-jar", jar.toString(), "extract", "--destination",
                dir.resolve("app").toString()), Map.of(), dir.resolve("extract.log")) != 0) {
            log.warn("function={} event=aot-cache-skipped reason=extract-failed", name);
            return false;
        }
        List<String> training = new ArrayList<>();
        training.add(java());
        training.addAll(jvmOptions);
        training.addAll(List.of("-XX:AOTCacheOutput=" + cache, "-Dspring.context.exit=onRefresh", "-jar",
                dir.resolve("app").resolve(jar.getFileName()).toString()));
        Map<String, String> trainingEnv = new java.util.HashMap<>(env);
        trainingEnv.put("PORT", Integer.toString(LocalPlatform.freePort()));
        if (run(training, trainingEnv, dir.resolve("training.log")) != 0 || !Files.exists(cache)) {
            log.warn("function={} event=aot-cache-skipped reason=training-failed log={}", name,
                    dir.resolve("training.log"));
            return false;
        }
        log.info("function={} event=aot-cache-trained ms={}", name, (System.nanoTime() - started) / 1_000_000);
        return true;
    }

    private static int run(List<String> command, Map<String, String> env, Path logFile) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile()));
        builder.environment().putAll(env);
        Process process = builder.start();
        try {
            if (!process.waitFor(3, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                return -1;
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
