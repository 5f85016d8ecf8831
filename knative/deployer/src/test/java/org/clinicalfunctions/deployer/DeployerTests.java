package org.clinicalfunctions.deployer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.fabric8.knative.client.KnativeClient;
import io.fabric8.knative.serving.v1.Service;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The deployer against fabric8's Kubernetes mock API server in CRUD mode, with {@link FakeServingController}
 * playing Knative Serving's part (making revisions and setting the Ready condition and traffic status).
 */
@EnableKubernetesMockClient(crud = true)
class DeployerTests {

    private static final String NAMESPACE = "clinical";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(10);

    private KubernetesClient client;
    private KnativeClient knative;
    private final List<String> report = new CopyOnWriteArrayList<>();
    private final List<Long> checkedSteps = new CopyOnWriteArrayList<>();

    @BeforeEach
    void adaptClient() {
        knative = client.adapt(KnativeClient.class);
    }

    @Test
    void firstDeploymentAppliesEveryObjectAndReportsUrlAndRevision() throws Exception {
        List<Outcome> outcomes;
        try (FakeServingController controller = new FakeServingController(knative, NAMESPACE, revision -> true)) {
            outcomes = deployer(READY_TIMEOUT, (service, url, percent) -> true).deploy(rendered());
        }

        GenericKubernetesResource policy = client.genericKubernetesResources("eventing.knative.dev/v1alpha1",
                "EventPolicy").inNamespace(NAMESPACE).withName("broker-default-from-hl7-ingest").get();
        assertThat(outcomes).extracting(o -> o.service() + " " + o.result() + " " + o.state().latestReady())
                .containsExactly("hl7-ingest DEPLOYED hl7-ingest-00001",
                        "lab-normalizer DEPLOYED lab-normalizer-00001");
        assertThat(outcomes.get(0).state().url()).isEqualTo("https://hl7-ingest.clinical.example.org");
        assertThat(client.configMaps().inNamespace(NAMESPACE).withName("clinical-functions").get()).isNotNull();
        assertThat(policy).isNotNull();
        assertThat(report).contains("applied EventPolicy broker-default-from-hl7-ingest",
                "service hl7-ingest url https://hl7-ingest.clinical.example.org revision hl7-ingest-00001"
                        + " traffic hl7-ingest-00001=100%");
    }

    @Test
    void reapplyingAConfigMapKeepsTheKeysSomeoneElseSet() throws Exception {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata()
                .build()).create();
        client.configMaps().inNamespace(NAMESPACE).resource(new ConfigMapBuilder().withNewMetadata()
                .withName("clinical-functions").endMetadata().addToData("SET_BY_AN_OPERATOR", "kept").build()).create();

        try (FakeServingController controller = new FakeServingController(knative, NAMESPACE, revision -> true)) {
            deployer(READY_TIMEOUT, (service, url, percent) -> true).deploy(rendered());
        }

        Map<String, String> data = client.configMaps().inNamespace(NAMESPACE).withName("clinical-functions").get()
                .getData();
        assertThat(data).containsEntry("SET_BY_AN_OPERATOR", "kept").containsEntry("SERVER_SHUTDOWN", "graceful");
    }

    @Test
    void newRevisionIsPromotedThroughTenAndFiftyToAHundredPercent() throws Exception {
        List<Outcome> outcomes;
        try (FakeServingController controller = new FakeServingController(knative, NAMESPACE, revision -> true)) {
            deployer(READY_TIMEOUT, (service, url, percent) -> true).deploy(rendered());
            outcomes = deployer(READY_TIMEOUT, this::recordAndPass).deploy(withNewImage(rendered()));
        }

        Service ingest = knative.services().inNamespace(NAMESPACE).withName("hl7-ingest").get();
        assertThat(outcomes.get(0).result()).isEqualTo(Outcome.Result.PROMOTED);
        assertThat(checkedSteps).containsExactly(10L, 50L, 100L);
        assertThat(ServiceState.of(ingest).traffic()).containsExactly("hl7-ingest-00002=100%");
        assertThat(ingest.getSpec().getTraffic()).singleElement()
                .satisfies(t -> assertThat(t.getLatestRevision()).isTrue());
        assertThat(report).contains("canary 10%: service hl7-ingest url https://hl7-ingest.clinical.example.org"
                + " revision hl7-ingest-00002 traffic hl7-ingest-00001=90%, hl7-ingest-00002=10% (tag candidate)");
    }

    @Test
    void failedCheckAtFiftyPercentRollsBackToThePreviousRevision() throws Exception {
        List<Outcome> outcomes;
        try (FakeServingController controller = new FakeServingController(knative, NAMESPACE, revision -> true)) {
            deployer(READY_TIMEOUT, (service, url, percent) -> true).deploy(rendered());
            outcomes = deployer(READY_TIMEOUT, (service, url, percent) -> recordAndPass(service, url, percent)
                    && percent < 50).deploy(withNewImage(rendered()));
        }

        Service ingest = knative.services().inNamespace(NAMESPACE).withName("hl7-ingest").get();
        assertThat(outcomes.get(0).result()).isEqualTo(Outcome.Result.ROLLED_BACK);
        assertThat(checkedSteps).containsExactly(10L, 50L);
        assertThat(ServiceState.of(ingest).traffic()).containsExactly("hl7-ingest-00001=100%");
        assertThat(report).contains("service hl7-ingest revision hl7-ingest-00002 failed its check at 50%");
    }

    @Test
    void revisionThatNeverBecomesReadyLeavesAllTrafficOnThePreviousOne() throws Exception {
        List<Outcome> outcomes;
        try (FakeServingController controller = new FakeServingController(knative, NAMESPACE,
                revision -> !revision.endsWith("-00002"))) {
            deployer(READY_TIMEOUT, (service, url, percent) -> true).deploy(rendered());
            outcomes = deployer(Duration.ofSeconds(2), this::recordAndPass).deploy(withNewImage(rendered()));
        }

        Service ingest = knative.services().inNamespace(NAMESPACE).withName("hl7-ingest").get();
        assertThat(outcomes.get(0).result()).isEqualTo(Outcome.Result.ROLLED_BACK);
        assertThat(checkedSteps).isEmpty();
        assertThat(ServiceState.of(ingest).traffic()).containsExactly("hl7-ingest-00001=100%");
    }

    @Test
    void firstRevisionThatNeverBecomesReadyFails() throws Exception {
        List<Outcome> outcomes;
        try (FakeServingController controller = new FakeServingController(knative, NAMESPACE, revision -> false)) {
            outcomes = deployer(Duration.ofSeconds(1), this::recordAndPass).deploy(rendered());
        }

        assertThat(outcomes).extracting(Outcome::result).containsOnly(Outcome.Result.FAILED);
        assertThat(outcomes).noneMatch(Outcome::succeeded);
    }

    private boolean recordAndPass(String service, String candidateUrl, long percent) {
        if ("hl7-ingest".equals(service)) {
            checkedSteps.add(percent);
            String expected = percent < 100 ? "https://candidate-hl7-ingest.clinical.example.org" : "";
            assertThat(candidateUrl).isEqualTo(expected);
        }
        return true;
    }

    private Deployer deployer(Duration readyTimeout, HealthCheck check) {
        Deployer.Settings settings = new Deployer.Settings(readyTimeout, List.of(10L, 50L, 100L), Duration.ZERO);
        return new Deployer(client, settings, check, report::add);
    }

    private static List<GenericKubernetesResource> rendered() throws IOException {
        try (InputStream in = DeployerTests.class.getClassLoader().getResourceAsStream("rendered.yaml")) {
            return RenderedManifests.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** The same objects with hl7-ingest on a new image digest, so its template makes a new revision. */
    private static List<GenericKubernetesResource> withNewImage(List<GenericKubernetesResource> objects) {
        List<GenericKubernetesResource> changed = new ArrayList<>(objects);
        for (GenericKubernetesResource object : changed) {
            if ("hl7-ingest".equals(object.getMetadata().getName()) && "Service".equals(object.getKind())) {
                Map<String, Object> container = object.get("spec", "template", "spec", "containers", 0);
                container.put("image", "clinicalfunctionsacr.azurecr.io/hl7-ingest@sha256:" + "4".repeat(64));
            }
        }
        return changed;
    }
}
