package org.clinicalfunctions.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where the local platform finds the repository's manifests and jars, and where it keeps its own state.
 *
 * @param root the repository root (the folder holding {@code eventing/} and {@code functions/})
 * @param state the folder for the broker journal, dead letters, parked events, database and logs; default
 *     {@code .local/} under the root, set with {@code CLINICAL_STATE_DIR}
 */
public record PlatformLayout(Path root, Path state) {

    /** Finds the root from the working directory upwards, unless {@code CLINICAL_HOME} names it. */
    public static PlatformLayout discover() {
        Path root = Optional.ofNullable(System.getenv("CLINICAL_HOME")).map(Path::of)
                .orElseGet(() -> findRoot(Path.of("").toAbsolutePath()));
        Path state = Optional.ofNullable(System.getenv("CLINICAL_STATE_DIR")).map(Path::of)
                .orElse(root.resolve(".local"));
        return new PlatformLayout(root, state.toAbsolutePath());
    }

    private static Path findRoot(Path start) {
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("eventing")) && Files.isDirectory(dir.resolve("functions"))) {
                return dir;
            }
        }
        throw new IllegalStateException("LOCAL-001 run from inside the repository or set CLINICAL_HOME");
    }

    public Path eventing() {
        return root.resolve("eventing");
    }

    public Path services() {
        return root.resolve("knative").resolve("base");
    }

    public Path logs() {
        return state.resolve("logs");
    }

    /** The runnable jar Maven built for a function: {@code functions/<name>/target/<name>-<version>-exec.jar}. */
    public Path jarOf(String function) {
        Path target = root.resolve("functions").resolve(function).resolve("target");
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(p -> p.getFileName().toString().startsWith(function + "-"))
                    .filter(p -> p.getFileName().toString().endsWith("-exec.jar"))
                    .findFirst()
                    .orElseThrow(() -> missingJar(function));
        } catch (IOException e) {
            throw missingJar(function);
        }
    }

    private static IllegalStateException missingJar(String function) {
        return new IllegalStateException("LOCAL-002 no jar for " + function
                + "; build first: ./mvnw -DskipTests package");
    }
}
