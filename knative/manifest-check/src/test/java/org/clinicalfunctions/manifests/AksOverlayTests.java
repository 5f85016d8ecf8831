package org.clinicalfunctions.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The AKS overlay: its patches and image entries must fit the base, and what kustomize renders from it must pass
 * the same rules as the base. Rendering needs kubectl; it runs in a private network namespace because kubectl
 * probes a default API server address even for {@code kustomize}, and nothing here may reach another server.
 */
class AksOverlayTests {

    private static final String OVERLAY = "knative/overlays/aks";
    private static final CrdSchemas CRDS = CrdSchemas.load();
    private static final FeatureGates GATES = FeatureGates.load(CRDS);

    private static List<Manifest> base;
    private static List<Manifest> overlay;

    @BeforeAll
    static void readManifests() {
        base = DeployedManifestsTests.completeObjects();
        overlay = ManifestFiles.under(OVERLAY);
    }

    @Test
    void everyImageTheOverlayPinsIsAnImageOfTheBase() {
        List<String> baseImages = base.stream().flatMap(AksOverlayTests::images)
                .map(image -> image.replaceFirst(":[^:/]+$", "")).sorted().toList();

        List<String> overlayImages = kustomization().body().path("images").valueStream()
                .map(entry -> entry.path("name").asText()).sorted().toList();

        assertThat(overlayImages).isEqualTo(baseImages);
    }

    @Test
    void everyPatchTargetsAnObjectOfTheBase() {
        List<String> missing = overlay.stream().filter(m -> !"Kustomization".equals(m.kind()))
                .filter(patch -> base.stream()
                        .noneMatch(m -> m.isNamed(patch.apiVersion(), patch.kind(), patch.name())))
                .map(Manifest::toString).toList();

        assertThat(missing).isEmpty();
    }

    @Test
    void renderedObjectsPassEveryRule() throws Exception {
        List<Manifest> rendered = render();
        List<Manifest> known = Stream.concat(rendered.stream(), ManifestFiles.under("eventing").stream()).toList();

        List<String> violations = new ArrayList<>();
        for (Manifest manifest : rendered) {
            Stream.of(CRDS.validate(manifest), RevisionRules.check(manifest), GATES.check(manifest),
                    PlatformRules.check(manifest, known)).flatMap(List::stream)
                    .forEach(v -> violations.add(manifest + ": " + v));
        }

        assertThat(rendered.stream().map(m -> m.kind() + "/" + m.name()).sorted()).containsExactly(
                "ConfigMap/fhir-export-storage", "Namespace/clinical",
                "Service/fhir-export", "Service/fhir-store", "Service/hl7-ingest", "Service/lab-normalizer",
                "ServiceAccount/fhir-export", "ServiceAccount/fhir-store", "ServiceAccount/hl7-ingest",
                "ServiceAccount/lab-normalizer");
        assertThat(violations).isEmpty();
    }

    @Test
    void renderedOverlayKeepsHl7IngestWarmAndPinsEveryImage() throws Exception {
        List<Manifest> rendered = render();

        Manifest ingest = rendered.stream().filter(m -> m.isNamed("serving.knative.dev/v1", "Service", "hl7-ingest"))
                .findFirst().orElseThrow();
        String annotations = "/spec/template/metadata/annotations/autoscaling.knative.dev~1";
        List<String> images = rendered.stream().flatMap(AksOverlayTests::images).sorted().toList();
        List<String> clientIds = rendered.stream().filter(m -> m.is("v1", "ServiceAccount"))
                .map(m -> m.body().at("/metadata/annotations/azure.workload.identity~1client-id").asText()).toList();

        assertThat(ingest.body().at(annotations + "min-scale").asText()).isEqualTo("1");
        assertThat(ingest.body().at(annotations + "max-scale").asText()).isEqualTo("20");
        assertThat(images).containsExactly(
                "clinicalfunctionsacr.azurecr.io/fhir-export:0.1.0",
                "clinicalfunctionsacr.azurecr.io/fhir-store:0.1.0",
                "clinicalfunctionsacr.azurecr.io/hl7-ingest:0.1.0",
                "clinicalfunctionsacr.azurecr.io/lab-normalizer:0.1.0");
        assertThat(clientIds).hasSize(4).doesNotContain("00000000-0000-0000-0000-000000000000");
    }

    private static Manifest kustomization() {
        return overlay.stream().filter(m -> "Kustomization".equals(m.kind())).findFirst().orElseThrow();
    }

    private static Stream<String> images(Manifest manifest) {
        return manifest.body().at("/spec/template/spec/containers").valueStream()
                .map(container -> container.path("image").asText());
    }

    /** Runs {@code kubectl kustomize} on the overlay, or skips the test when this machine cannot. */
    private static List<Manifest> render() throws IOException, InterruptedException {
        Assumptions.assumeTrue(onPath("kubectl") && onPath("unshare"),
                "kubectl and unshare are needed to render the overlay offline; CI renders it in the pipeline");
        Assumptions.assumeTrue(run("unshare", "--net", "true").exitValue() == 0,
                "unshare --net needs privileges this machine does not grant");
        Path output = Files.createTempFile("aks-overlay", ".yaml");
        try {
            Process kustomize = new ProcessBuilder("unshare", "--net", "kubectl", "kustomize", OVERLAY)
                    .directory(ManifestFiles.repositoryRoot().toFile())
                    .redirectOutput(output.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            assertThat(kustomize.waitFor(60, TimeUnit.SECONDS)).as("kustomize finished").isTrue();
            assertThat(kustomize.exitValue()).as("kustomize exit code").isZero();
            return ManifestFiles.parse(OVERLAY + " (rendered)", Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static Process run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
        return process;
    }

    private static boolean onPath(String command) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(java.io.File.pathSeparator))
                .anyMatch(folder -> Files.isExecutable(Path.of(folder, command)));
    }
}
