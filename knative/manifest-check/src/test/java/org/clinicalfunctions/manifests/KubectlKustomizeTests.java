package org.clinicalfunctions.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Kustomize} against the real thing: each overlay rendered by {@code kubectl kustomize} must give the same
 * objects. Runs only where kubectl (and unshare, to keep kubectl off any network: it probes a default API server
 * even for kustomize) is installed, as on the CI runners; skips itself with the reason elsewhere.
 */
class KubectlKustomizeTests {

    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"knative/overlays/local", "knative/overlays/aks-dev", "knative/overlays/aks-prod"})
    void rendererAgreesWithKubectl(String overlay) throws IOException, InterruptedException {
        List<String> kubectl = sorted(kubectlKustomize(overlay));

        List<String> ours = sorted(Kustomize.render(overlay));

        assertThat(ours).isEqualTo(kubectl);
    }

    /** Each object as JSON with its keys sorted, in kind, namespace and name order: kubectl sorts keys. */
    private static List<String> sorted(List<Manifest> objects) {
        return objects.stream().sorted(Comparator.comparing(m -> m.kind() + "/"
                + m.body().at("/metadata/namespace").asText() + "/" + m.name()))
                .map(m -> canonical(m.body())).toList();
    }

    private static String canonical(JsonNode object) {
        try {
            return CANONICAL.writeValueAsString(CANONICAL.convertValue(object, Object.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Manifest> kubectlKustomize(String overlay) throws IOException, InterruptedException {
        Assumptions.assumeTrue(onPath("kubectl") && onPath("unshare"),
                "kubectl and unshare are needed to render the overlay offline; CI renders it in the pipeline");
        Assumptions.assumeTrue(exitCode("unshare", "--net", "true") == 0,
                "unshare --net needs privileges this machine does not grant");
        Path output = Files.createTempFile("overlay", ".yaml");
        try {
            Process kustomize = new ProcessBuilder("unshare", "--net", "kubectl", "kustomize", overlay)
                    .directory(ManifestFiles.repositoryRoot().toFile())
                    .redirectOutput(output.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            assertThat(kustomize.waitFor(60, TimeUnit.SECONDS)).as("kustomize finished").isTrue();
            assertThat(kustomize.exitValue()).as("kustomize exit code").isZero();
            return ManifestFiles.parse(overlay + " (kubectl)", Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static int exitCode(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
        return process.exitValue();
    }

    private static boolean onPath(String command) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(File.pathSeparator))
                .anyMatch(folder -> Files.isExecutable(Path.of(folder, command)));
    }
}
