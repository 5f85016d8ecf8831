package org.clinicalfunctions.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Every function's effective pod (its container, queue-proxy and the injected volumes) in each rendered AKS
 * overlay, held to one Azure policy per test. Each test also runs its broken twin, a fixture under
 * {@code policy-twins/} that must produce exactly the violations its {@code # expect:} lines name, so a rule
 * that cannot fail is caught. The twins are judged with the aks-prod overlay's Knative config and accounts.
 */
class AzurePolicyTests {

    static final List<String> AKS_OVERLAYS = List.of("knative/overlays/aks-dev", "knative/overlays/aks-prod");

    private static final String SERVICE_API = "serving.knative.dev/v1";
    private static final String EXPECT = "# expect: ";
    private static final PolicyExceptions EXCEPTIONS = PolicyExceptions.load();

    private static List<List<Manifest>> overlays;

    @BeforeAll
    static void renderOverlays() {
        overlays = AKS_OVERLAYS.stream().map(Kustomize::render).toList();
    }

    @Test
    @DisplayName("Kubernetes cluster should not allow privileged containers (95edb821)")
    void noPrivilegedContainers() throws IOException {
        holds(AzurePolicy.NO_PRIVILEGED_CONTAINERS, "95edb821-privileged.yaml");
    }

    @Test
    @DisplayName("Kubernetes clusters should not allow container privilege escalation (1c6e92c9)")
    void noPrivilegeEscalation() throws IOException {
        holds(AzurePolicy.NO_PRIVILEGE_ESCALATION, "1c6e92c9-privilege-escalation.yaml");
    }

    @Test
    @DisplayName("Kubernetes cluster pods should only use approved host network and port range (82985f06)")
    void approvedHostNetworkAndPortRange() throws IOException {
        holds(AzurePolicy.HOST_NETWORK_AND_PORTS, "82985f06-host-port.yaml");
    }

    @Test
    @DisplayName("Kubernetes cluster containers should not share host process ID or host IPC namespace (47a1ee2f)")
    void noHostProcessIdOrIpc() throws IOException {
        holds(AzurePolicy.HOST_PID_AND_IPC, "47a1ee2f-host-pid.yaml");
    }

    @Test
    @DisplayName("Kubernetes cluster containers should only use allowed capabilities (c26596ff)")
    void onlyAllowedCapabilities() throws IOException {
        holds(AzurePolicy.ALLOWED_CAPABILITIES, "c26596ff-capabilities.yaml");
    }

    @Test
    @DisplayName("Kubernetes cluster pods should only use allowed volume types (16697877)")
    void onlyAllowedVolumeTypes() throws IOException {
        holds(AzurePolicy.ALLOWED_VOLUME_TYPES, "16697877-host-path-volume.yaml");
    }

    @Test
    @DisplayName("Kubernetes cluster pods and containers should only run with approved user and group IDs (f06ddb64)")
    void onlyApprovedUserAndGroupIds() throws IOException {
        holds(AzurePolicy.ALLOWED_USERS_AND_GROUPS, "f06ddb64-no-pod-security-context.yaml");
    }

    @Test
    @DisplayName("Kubernetes cluster pods and containers should only use allowed seccomp profiles (975ce327)")
    void onlyAllowedSeccompProfiles() throws IOException {
        holds(AzurePolicy.ALLOWED_SECCOMP_PROFILES, "975ce327-unconfined-seccomp.yaml");
    }

    @Test
    @DisplayName("Containers should run with a read only root file system (df49d893)")
    void readOnlyRootFileSystem() throws IOException {
        holds(AzurePolicy.READ_ONLY_ROOT_FILESYSTEM, "df49d893-writable-root.yaml");
    }

    @Test
    @DisplayName("Containers should only use allowed images (febd0533)")
    void onlyAllowedImages() throws IOException {
        holds(AzurePolicy.ALLOWED_IMAGES, "febd0533-foreign-registry.yaml");
    }

    @Test
    @DisplayName("Container images should not include latest image tag (021f8078)")
    void noLatestImageTag() throws IOException {
        holds(AzurePolicy.NO_LATEST_TAG, "021f8078-latest-tag.yaml");
    }

    @Test
    @DisplayName("CPU and memory resource limits should not exceed the specified limits (e345eecc)")
    void resourceLimitsWithinTheCeilings() throws IOException {
        holds(AzurePolicy.RESOURCE_LIMITS, "e345eecc-limits.yaml");
    }

    @Test
    @DisplayName("CPU and memory resource requests must be defined (03a4ecdb)")
    void resourceRequestsDefined() throws IOException {
        holds(AzurePolicy.RESOURCE_REQUESTS, "03a4ecdb-no-requests.yaml");
    }

    @Test
    @DisplayName("Ensure readiness or liveness probes configured (b1a9997f)")
    void readinessAndLivenessProbesConfigured() throws IOException {
        holds(AzurePolicy.PROBES, "b1a9997f-no-probes.yaml");
    }

    @Test
    @DisplayName("Should disable automounting API credentials (423dd1ba)")
    void noAutomountedApiCredentials() throws IOException {
        holds(AzurePolicy.NO_API_CREDENTIALS, "423dd1ba-automount.yaml");
    }

    @Test
    @DisplayName("Should not use the default namespace (9f061a12)")
    void notTheDefaultNamespace() throws IOException {
        holds(AzurePolicy.NOT_DEFAULT_NAMESPACE, "9f061a12-default-namespace.yaml");
    }

    @Test
    @DisplayName("Kubernetes clusters should be accessible only over HTTPS (1a5b4dca)")
    void accessibleOnlyOverHttps() throws IOException {
        List<String> violations = new ArrayList<>();
        overlays.forEach(objects -> HttpsOnly.check(objects).forEach(v -> violations.add(v.toString())));
        Twin twin = twin("1a5b4dca-plain-http.yaml");

        List<String> twinViolations = HttpsOnly.check(twin.objects()).stream().map(Violation::brief).toList();

        assertThat(violations).isEmpty();
        assertThat(twinViolations).isNotEmpty().containsExactlyInAnyOrderElementsOf(twin.expected());
    }

    /**
     * The collisions the serving component exists for: the same functions under Knative's default configuration
     * (no config-features, config-deployment changes) fail the restricted initiative and the individual policies
     * through queue-proxy and the masked pod-level securityContext, although every function container is clean.
     */
    @Test
    void withoutTheServingComponentQueueProxyAndTheMaskedPodBreakThePolicies() {
        List<Manifest> withoutServingConfig = overlays.get(1).stream()
                .filter(m -> !"knative-serving".equals(m.body().at("/metadata/namespace").asText())).toList();

        List<String> broken = new ArrayList<>();
        for (JsonNode pod : pods(withoutServingConfig)) {
            Stream.of(AzurePolicy.values()).flatMap(p -> EXCEPTIONS.unexcused(p.check(pod)).stream())
                    .map(Violation::brief).distinct().forEach(v -> broken.add(v));
        }

        assertThat(broken.stream().distinct()).containsExactlyInAnyOrder(
                "azure.febd0533 at spec.containers[queue-proxy].image",
                "azure.021f8078 at spec.containers[queue-proxy].image",
                "azure.e345eecc at spec.containers[queue-proxy].resources.limits.cpu",
                "azure.e345eecc at spec.containers[queue-proxy].resources.limits.memory",
                "azure.03a4ecdb at spec.containers[queue-proxy].resources.requests.memory",
                "azure.f06ddb64 at spec.containers[queue-proxy].securityContext.runAsUser",
                "azure.f06ddb64 at spec.containers[queue-proxy].securityContext.runAsGroup",
                "azure.f06ddb64 at spec.securityContext.fsGroup",
                "azure.f06ddb64 at spec.securityContext.supplementalGroups");
    }

    @Test
    void everyExceptionHasAReasonAndStillExcusesSomething() {
        List<Violation> all = new ArrayList<>();
        for (List<Manifest> objects : overlays) {
            pods(objects).forEach(pod -> Stream.of(AzurePolicy.values()).forEach(p -> all.addAll(p.check(pod))));
        }

        for (JsonNode entry : EXCEPTIONS.entries()) {
            assertThat(entry.path("reason").asText()).as("reason of " + entry).hasSizeGreaterThan(40);
            assertThat(all).as("violations excused by " + entry).anyMatch(v -> PolicyExceptions.excuses(entry, v));
        }
    }

    @Test
    void everyFunctionOfTheBaseHasAnEffectivePodInEveryAksOverlay() {
        List<String> functions = ManifestFiles.under("knative/base").stream()
                .filter(m -> m.is(SERVICE_API, "Service")).map(Manifest::name).sorted().toList();

        for (List<Manifest> objects : overlays) {
            List<String> podNames = pods(objects).stream()
                    .map(pod -> pod.at("/metadata/labels/serving.knative.dev~1service").asText()).sorted().toList();
            List<String> containers = pods(objects).stream()
                    .map(pod -> pod.at("/spec/containers/1/name").asText()).distinct().toList();

            assertThat(podNames).isEqualTo(functions);
            assertThat(containers).containsExactly(EffectivePod.QUEUE_PROXY);
        }
    }

    private static void holds(AzurePolicy policy, String twinFile) throws IOException {
        List<String> violations = new ArrayList<>();
        for (List<Manifest> objects : overlays) {
            for (JsonNode pod : pods(objects)) {
                EXCEPTIONS.unexcused(policy.check(pod)).forEach(v -> violations.add(
                        pod.at("/metadata/labels/serving.knative.dev~1service").asText() + ": " + v));
            }
        }
        Twin twin = twin(twinFile);

        List<String> twinViolations = pods(twin.objects()).stream()
                .flatMap(pod -> EXCEPTIONS.unexcused(policy.check(pod)).stream()).map(Violation::brief).toList();

        assertThat(violations).as(policy.displayName()).isEmpty();
        assertThat(twinViolations).as("broken twin " + twinFile).isNotEmpty()
                .containsExactlyInAnyOrderElementsOf(twin.expected());
    }

    private static List<JsonNode> pods(List<Manifest> objects) {
        return objects.stream().filter(m -> m.is(SERVICE_API, "Service"))
                .map(service -> (JsonNode) EffectivePod.of(service, objects)).toList();
    }

    /** A twin's objects, added to aks-prod's objects other than its Services, and its expected violations. */
    private static Twin twin(String file) throws IOException {
        String text;
        try (InputStream in = AzurePolicyTests.class.getClassLoader().getResourceAsStream("policy-twins/" + file)) {
            assertThat(in).as("twin fixture " + file).isNotNull();
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<Manifest> objects = new ArrayList<>(ManifestFiles.parse(file, text));
        List<Manifest> own = List.copyOf(objects);
        overlays.get(1).stream().filter(m -> !m.is(SERVICE_API, "Service"))
                .filter(m -> own.stream().noneMatch(o -> o.isNamed(m.apiVersion(), m.kind(), m.name())))
                .forEach(objects::add);
        List<String> expected = text.lines().filter(l -> l.startsWith(EXPECT))
                .map(l -> l.substring(EXPECT.length()).strip()).toList();
        return new Twin(objects, expected);
    }

    private record Twin(List<Manifest> objects, List<String> expected) {
    }
}
