package org.clinicalfunctions.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The overlays as {@link Kustomize} renders them: everything an AKS overlay creates passes the CRD schemas, the
 * Knative webhook rules under the overlay's own {@code config-features}, and the platform rules; the local overlay
 * passes the schemas and webhook rules. {@code KubectlKustomizeTests} checks the renderer against kubectl.
 */
class OverlayTests {

    private static final CrdSchemas CRDS = CrdSchemas.load();
    private static final FeatureGates GATES = FeatureGates.load(CRDS);
    private static final String SERVICE_API = "serving.knative.dev/v1";
    private static final String ANNOTATIONS = "/spec/template/metadata/annotations/autoscaling.knative.dev~1";

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"knative/overlays/aks-dev", "knative/overlays/aks-prod"})
    void renderedAksOverlayPassesEveryRule(String overlay) {
        List<Manifest> rendered = Kustomize.render(overlay);
        FeatureGates gates = GATES.configuredBy(KnativeConfig.of(rendered));

        List<String> violations = new ArrayList<>();
        for (Manifest manifest : rendered) {
            Stream.of(CRDS.validate(manifest), RevisionRules.check(manifest), gates.check(manifest),
                    TriggerRules.check(manifest), PlatformRules.check(manifest, rendered)).flatMap(List::stream)
                    .forEach(v -> violations.add(manifest + ": " + v));
        }

        assertThat(violations).isEmpty();
    }

    @Test
    void renderedLocalOverlayPassesTheSchemasAndWebhookRules() {
        List<Manifest> rendered = Kustomize.render("knative/overlays/local");

        List<String> violations = new ArrayList<>();
        for (Manifest manifest : rendered) {
            Stream.of(CRDS.validate(manifest), RevisionRules.check(manifest), GATES.check(manifest))
                    .flatMap(List::stream).forEach(v -> violations.add(manifest + ": " + v));
        }
        List<String> images = rendered.stream().flatMap(OverlayTests::images).distinct().toList();

        assertThat(violations).isEmpty();
        assertThat(images).allMatch(image -> image.startsWith("kind.local/"));
    }

    @Test
    void baseAloneNeedsNoKnativeFeatureFlag() {
        List<Violation> gated = DeployedManifestsTests.completeObjects().stream()
                .flatMap(manifest -> GATES.check(manifest).stream()).toList();

        assertThat(gated).isEmpty();
    }

    @Test
    void prodKeepsHl7IngestWarmAndDevScalesEverythingToZero() {
        Manifest prodIngest = service(Kustomize.render("knative/overlays/aks-prod"), "hl7-ingest");
        List<String> devMinScales = Kustomize.render("knative/overlays/aks-dev").stream()
                .filter(m -> m.is(SERVICE_API, "Service"))
                .map(m -> m.body().at(ANNOTATIONS + "min-scale").asText()).distinct().toList();

        assertThat(prodIngest.body().at(ANNOTATIONS + "min-scale").asText()).isEqualTo("1");
        assertThat(prodIngest.body().at(ANNOTATIONS + "max-scale").asText()).isEqualTo("20");
        assertThat(devMinScales).containsExactly("0");
    }

    @Test
    void prodPinsEveryImageByDigestAndSetsRealIdentities() {
        List<Manifest> rendered = Kustomize.render("knative/overlays/aks-prod");

        List<String> images = rendered.stream().flatMap(OverlayTests::images).toList();
        List<String> clientIds = rendered.stream().filter(m -> m.is("v1", "ServiceAccount"))
                .map(m -> m.body().at("/metadata/annotations/azure.workload.identity~1client-id").asText()).toList();

        assertThat(images).isNotEmpty().allMatch(image -> image.matches(
                "clinicalfunctionsacr\\.azurecr\\.io/[a-z0-9-]+@sha256:[0-9a-f]{64}"));
        assertThat(clientIds).isNotEmpty().doesNotContain("00000000-0000-0000-0000-000000000000");
    }

    @Test
    void everyAksServiceGetsTheRestrictedPodSecurityContextAndKeyVaultReachesFhirStore() {
        List<Manifest> rendered = Kustomize.render("knative/overlays/aks-prod");

        List<String> podContexts = rendered.stream().filter(m -> m.is(SERVICE_API, "Service"))
                .map(m -> m.body().at("/spec/template/spec/securityContext").toString()).distinct().toList();
        String fhirStoreVolumes = service(rendered, "fhir-store").body().at("/spec/template/spec/volumes").toString();

        assertThat(podContexts).containsExactly("{\"runAsNonRoot\":true,\"runAsUser\":65532,\"runAsGroup\":65532,"
                + "\"fsGroup\":65532,\"supplementalGroups\":[65532],\"seccompProfile\":{\"type\":\"RuntimeDefault\"}}");
        assertThat(fhirStoreVolumes).contains("\"secretProviderClass\":\"fhir-store-datasource\"");
    }

    @Test
    void rendererRefusesAKustomizeFeatureItDoesNotImplement() {
        Throwable refused = org.assertj.core.api.Assertions.catchThrowable(
                () -> Kustomize.render("knative/manifest-check/src/test/resources/kustomize/unsupported"));

        assertThat(refused).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("namePrefix is not implemented");
    }

    private static Manifest service(List<Manifest> rendered, String name) {
        return rendered.stream().filter(m -> m.isNamed(SERVICE_API, "Service", name)).findFirst().orElseThrow();
    }

    private static Stream<String> images(Manifest manifest) {
        return manifest.body().at("/spec/template/spec/containers").valueStream()
                .map(container -> container.path("image").asText());
    }
}
