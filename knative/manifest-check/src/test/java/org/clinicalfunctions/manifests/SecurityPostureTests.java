package org.clinicalfunctions.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the rendered AKS overlays promise beyond the pod: every namespace the platform deploys workloads to denies
 * by default, every function has its Istio AuthorizationPolicy under STRICT mTLS, every event sender is named by
 * an EventPolicy for the sink it posts to, and every Broker and KafkaSink has one. Iterates over whatever is
 * rendered, so a function added later is held to the same.
 */
class SecurityPostureTests {

    private static final String SERVICE_API = "serving.knative.dev/v1";
    private static final String POLICY_API = "eventing.knative.dev/v1alpha1";

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"knative/overlays/aks-dev", "knative/overlays/aks-prod"})
    void everyFunctionHasAnAuthorizationPolicyUnderStrictMutualTls(String overlay) {
        List<Manifest> rendered = Kustomize.render(overlay);

        List<String> functions = names(rendered, SERVICE_API, "Service");
        List<String> selected = rendered.stream().filter(m -> m.is("security.istio.io/v1", "AuthorizationPolicy"))
                .map(m -> m.body().at("/spec/selector/matchLabels/serving.knative.dev~1service").asText())
                .sorted().toList();
        List<String> peerModes = rendered.stream().filter(m -> m.is("security.istio.io/v1", "PeerAuthentication"))
                .map(m -> m.body().at("/spec/mtls/mode").asText()).toList();
        String injection = rendered.stream().filter(m -> m.is("v1", "Namespace")).findFirst().orElseThrow()
                .body().at("/metadata/labels/istio-injection").asText();

        assertThat(selected).isEqualTo(functions);
        assertThat(peerModes).containsExactly("STRICT");
        assertThat(injection).isEqualTo("enabled");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"knative/overlays/aks-dev", "knative/overlays/aks-prod"})
    void noOverlayCarriesASecret(String overlay) {
        List<Manifest> rendered = Kustomize.render(overlay);

        List<String> secrets = rendered.stream().filter(m -> "Secret".equals(m.kind())).map(Manifest::toString)
                .toList();

        assertThat(secrets).isEmpty();
    }

    @Test
    void everyTriggerRetriesBoundedWithExponentialBackoffIntoTheDeadLetters() throws IOException {
        List<Violation> violations = DeliveryBounds.check(Kustomize.render("knative/overlays/aks-prod"));
        String twin = resource("delivery-twin/triggers.yaml");

        List<String> twinViolations = DeliveryBounds.check(ManifestFiles.parse("triggers.yaml", twin)).stream()
                .map(Violation::brief).toList();

        assertThat(violations).isEmpty();
        assertThat(twinViolations).isNotEmpty().containsExactlyInAnyOrderElementsOf(expectedIn(twin));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"knative/overlays/aks-dev", "knative/overlays/aks-prod"})
    void everyFunctionATriggerDeliversToChecksTheDispatchersToken(String overlay) throws IOException {
        List<Manifest> rendered = Kustomize.render(overlay);
        String twin = resource("oidc-twin/deliveries.yaml");

        List<Violation> violations = DeliveryAuthentication.check(rendered);
        List<String> twinViolations = DeliveryAuthentication.check(ManifestFiles.parse("deliveries.yaml", twin))
                .stream().map(Violation::brief).toList();
        JsonNode issuer = rendered.stream().filter(m -> m.isNamed("v1", "ConfigMap",
                DeliveryAuthentication.ISSUER_CONFIG)).findFirst().orElseThrow().body().path("data");

        assertThat(violations).isEmpty();
        assertThat(twinViolations).isNotEmpty().containsExactlyInAnyOrderElementsOf(expectedIn(twin));
        assertThat(issuer.path("CLINICAL_EVENTING_OIDC_ISSUER").asText())
                .as("the overlay sets its cluster's issuer").startsWith("https://").endsWith("/")
                .doesNotContain("tenant-id/cluster-id");
        assertThat(issuer.path("CLINICAL_EVENTING_OIDC_JWKS_URI").asText())
                .isEqualTo(issuer.path("CLINICAL_EVENTING_OIDC_ISSUER").asText() + "openid/v1/jwks");
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = SecurityPostureTests.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static List<String> expectedIn(String twin) {
        return twin.lines().filter(l -> l.startsWith("# expect: ")).map(l -> l.substring("# expect: ".length()))
                .toList();
    }

    @Test
    void theClinicalNamespaceDeniesByDefault() {
        List<Manifest> objects = DeployedManifestsTests.completeObjects();

        List<String> defaultDeny = objects.stream().filter(m -> m.is("networking.k8s.io/v1", "NetworkPolicy"))
                .filter(m -> m.body().at("/spec/podSelector").isEmpty())
                .filter(m -> m.body().at("/spec/ingress").isMissingNode())
                .filter(m -> m.body().at("/spec/egress").isMissingNode())
                .map(m -> m.body().at("/spec/policyTypes").toString()).toList();

        assertThat(defaultDeny).containsExactly("[\"Ingress\",\"Egress\"]");
    }

    @Test
    void everySenderIsNamedByAnEventPolicyForItsSink() {
        List<Manifest> objects = DeployedManifestsTests.completeObjects();

        List<String> missing = objects.stream().filter(m -> m.is("sources.knative.dev/v1", "SinkBinding"))
                .filter(binding -> objects.stream().filter(m -> m.is(POLICY_API, "EventPolicy"))
                        .noneMatch(policy -> allows(policy, binding)))
                .map(Manifest::toString).toList();

        assertThat(missing).isEmpty();
    }

    @Test
    void everyBrokerAndKafkaSinkHasAnEventPolicy() {
        List<Manifest> objects = DeployedManifestsTests.completeObjects();

        List<String> sinks = objects.stream()
                .filter(m -> "Broker".equals(m.kind()) || "KafkaSink".equals(m.kind()))
                .filter(sink -> objects.stream().filter(m -> m.is(POLICY_API, "EventPolicy"))
                        .noneMatch(policy -> policy.body().at("/spec/to").valueStream()
                                .anyMatch(to -> to.at("/ref/kind").asText().equals(sink.kind())
                                        && to.at("/ref/name").asText().equals(sink.name()))))
                .map(Manifest::toString).toList();

        assertThat(sinks).isEmpty();
    }

    /** True when the policy lets the ServiceAccount of the binding's subject post to the binding's sink. */
    private static boolean allows(Manifest policy, Manifest binding) {
        String subject = binding.body().at("/spec/subject/name").asText();
        String account = DeployedManifestsTests.completeObjects().stream()
                .filter(m -> m.isNamed(SERVICE_API, "Service", subject))
                .map(m -> m.body().at("/spec/template/spec/serviceAccountName").asText()).findFirst().orElse("");
        String sub = "system:serviceaccount:" + PlatformRules.NAMESPACE + ":" + account;
        boolean fromSender = policy.body().at("/spec/from").valueStream()
                .anyMatch(from -> sub.equals(from.path("sub").asText()));
        boolean toSink = policy.body().at("/spec/to").valueStream()
                .anyMatch(to -> to.at("/ref/kind").equals(binding.body().at("/spec/sink/ref/kind"))
                        && to.at("/ref/name").equals(binding.body().at("/spec/sink/ref/name")));
        return fromSender && toSink;
    }

    private static List<String> names(List<Manifest> objects, String apiVersion, String kind) {
        return objects.stream().filter(m -> m.is(apiVersion, kind)).map(Manifest::name).sorted().toList();
    }
}
