package org.clinicalfunctions.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every manifest the platform deploys, against the Knative CRD schemas, webhook rules and our own rules. */
class DeployedManifestsTests {

    private static final CrdSchemas CRDS = CrdSchemas.load();
    private static final Pattern CONTAINER_SECTION = Pattern.compile(
            "^ {10}(resources|env|securityContext|ports|readinessProbe|volumeMounts):$");
    private static final FeatureGates GATES = FeatureGates.load(CRDS);

    static List<Manifest> everyDocument() {
        return ManifestFiles.deployed();
    }

    /** The complete objects: the base and the eventing folder; overlay documents are patches to them. */
    static List<Manifest> completeObjects() {
        return Stream.concat(ManifestFiles.under("knative/base").stream(), ManifestFiles.under("eventing").stream())
                .filter(manifest -> !"Kustomization".equals(manifest.kind()))
                .toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyDocument")
    void everyDocumentNamesItsApiVersionAndKind(Manifest manifest) {
        String apiVersion = manifest.apiVersion();
        String kind = manifest.kind();

        assertThat(apiVersion).isNotEmpty();
        assertThat(kind).isNotEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyDocument")
    void everyKnativeObjectMatchesTheSchemaOfItsCrd(Manifest manifest) {
        boolean knative = manifest.apiVersion().contains("knative.dev/");

        List<Violation> violations = CRDS.validate(manifest);

        assertThat(!knative || CRDS.covers(manifest)).as("a CRD for " + manifest).isTrue();
        assertThat(violations).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("completeObjects")
    void everyObjectPassesTheKnativeWebhookRules(Manifest manifest) {
        List<Violation> serving = RevisionRules.check(manifest);
        List<Violation> gated = GATES.check(manifest);
        List<Violation> eventing = TriggerRules.check(manifest);

        assertThat(serving).isEmpty();
        assertThat(gated).isEmpty();
        assertThat(eventing).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("completeObjects")
    void everyObjectFollowsThePlatformRules(Manifest manifest) {
        List<Violation> violations = PlatformRules.check(manifest, completeObjects());

        assertThat(violations).isEmpty();
    }

    @Test
    void deploysTheFunctionsAndTheirEventing() {
        List<String> objects = completeObjects().stream().map(m -> m.kind() + "/" + m.name()).sorted().toList();

        assertThat(objects).containsExactly(
                "Broker/default",
                "ConfigMap/clinical-auth",
                "ConfigMap/clinical-eventing-oidc",
                "ConfigMap/clinical-functions",
                "ConfigMap/fhir-export-storage",
                "EventPolicy/broker-default-from-appointment-booking",
                "EventPolicy/broker-default-from-fhir-export",
                "EventPolicy/broker-default-from-hl7-ingest",
                "EventPolicy/broker-default-from-scheduling-feed",
                "EventPolicy/dead-letters-from-kafka-broker",
                "EventType/appointment-booked",
                "EventType/appointment-cancelled",
                "EventType/appointment-rescheduled",
                "EventType/availability",
                "EventType/fhir-export-chunk-ready",
                "EventType/fhir-export-completed",
                "EventType/fhir-export-failed",
                "EventType/hl7v2-oru-r01",
                "EventType/lab-result-normalized",
                "KafkaSink/dead-letters",
                "Namespace/clinical",
                "NetworkPolicy/allow-broker-and-gateway-egress",
                "NetworkPolicy/allow-database",
                "NetworkPolicy/allow-dns-and-mesh-control",
                "NetworkPolicy/allow-entra-id-egress",
                "NetworkPolicy/allow-knative-ingress",
                "NetworkPolicy/allow-metrics-scrape",
                "NetworkPolicy/default-deny",
                "Service/appointment-booking",
                "Service/fhir-export",
                "Service/fhir-store",
                "Service/hl7-ingest",
                "Service/lab-normalizer",
                "ServiceAccount/appointment-booking",
                "ServiceAccount/fhir-export",
                "ServiceAccount/fhir-store",
                "ServiceAccount/hl7-ingest",
                "ServiceAccount/lab-normalizer",
                "SinkBinding/appointment-booking",
                "SinkBinding/fhir-export",
                "SinkBinding/hl7-ingest",
                "Trigger/appointment-booking-availability",
                "Trigger/fhir-export-chunks",
                "Trigger/fhir-store",
                "Trigger/fhir-store-appointments",
                "Trigger/lab-normalizer");
    }

    @Test
    void filesAreNamedByApplyOrder() {
        Path root = ManifestFiles.repositoryRoot();

        List<String> misnamed = ManifestFiles.yamlFiles(root, List.of("knative/base", "eventing")).stream()
                .map(file -> file.getFileName().toString())
                .filter(name -> !"kustomization.yaml".equals(name))
                .filter(name -> !name.matches("[0-9]{3}-[a-z0-9-]+\\.yaml"))
                .toList();

        assertThat(misnamed).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"knative/base", "eventing"})
    void kustomizationListsEveryFileOfItsFolderInApplyOrder(String folder) throws Exception {
        Path directory = ManifestFiles.repositoryRoot().resolve(folder);
        Manifest kustomization = ManifestFiles.read(directory, directory.resolve("kustomization.yaml")).get(0);

        List<String> listed = kustomization.body().path("resources").valueStream().map(n -> n.asText()).toList();
        List<String> files;
        try (Stream<Path> list = Files.list(directory)) {
            files = list.map(f -> f.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml") && !"kustomization.yaml".equals(n)).sorted().toList();
        }

        assertThat(listed).isEqualTo(files);
    }

    @Test
    void containerSectionsAreSeparatedByBlankLinesAsInKnativesOwnYaml() throws Exception {
        Path base = ManifestFiles.repositoryRoot().resolve("knative/base");
        List<String> crowded = new ArrayList<>();

        for (String file : List.of("200-hl7-ingest.yaml", "300-lab-normalizer.yaml", "400-fhir-store.yaml",
                "500-appointment-booking.yaml", "600-fhir-export.yaml")) {
            List<String> lines = Files.readAllLines(base.resolve(file));
            for (int i = 0; i < lines.size(); i++) {
                if (CONTAINER_SECTION.matcher(lines.get(i)).matches() && !blankAbove(lines, i)) {
                    crowded.add(file + ":" + (i + 1));
                }
            }
        }

        assertThat(crowded).isEmpty();
    }

    @Test
    void labResultsReachLabNormalizerThroughTheExactFilter() {
        Manifest trigger = object("Trigger", "lab-normalizer");

        String type = trigger.body().at("/spec/filters/0/exact/type").asText();

        assertThat(trigger.body().path("spec").path("filters").size()).isEqualTo(1);
        assertThat(type).isEqualTo("org.clinicalfunctions.hl7v2.ORU_R01");
    }

    @Test
    void normalizedResultsReachFhirStoreThroughTheAttributeFilter() {
        Manifest trigger = object("Trigger", "fhir-store");

        String type = trigger.body().at("/spec/filter/attributes/type").asText();

        assertThat(trigger.body().has("filters")).isFalse();
        assertThat(type).isEqualTo("org.clinicalfunctions.lab.result.normalized");
    }

    @Test
    void theBrokerIsAKafkaBrokerWithTheClusterDefaultDelivery() {
        Manifest broker = object("Broker", "default");

        String brokerClass = broker.body().at("/metadata/annotations/eventing.knative.dev~1broker.class").asText();
        String config = broker.body().at("/spec/config/name").asText();
        String delivery = broker.body().at("/spec/delivery").toString();

        assertThat(brokerClass).isEqualTo("Kafka");
        assertThat(config).isEqualTo("kafka-broker-config");
        assertThat(delivery).isEqualTo("{\"retry\":10,\"backoffPolicy\":\"exponential\",\"backoffDelay\":\"PT0.2S\","
                + "\"deadLetterSink\":{\"ref\":{\"apiVersion\":\"eventing.knative.dev/v1alpha1\","
                + "\"kind\":\"KafkaSink\",\"name\":\"dead-letters\"}}}");
    }

    @Test
    void onlyTheBrokerReachesLabNormalizerAndFhirStore() {
        List<String> clusterLocal = completeObjects().stream()
                .filter(m -> m.is("serving.knative.dev/v1", "Service"))
                .filter(m -> "cluster-local".equals(
                        m.body().at("/metadata/labels/networking.knative.dev~1visibility").asText()))
                .map(Manifest::name).sorted().toList();

        assertThat(clusterLocal).containsExactly("fhir-store", "lab-normalizer");
    }

    @Test
    void fhirStoreTakesItsDatasourceFromASecret() {
        Manifest service = object("Service", "fhir-store");

        List<String> secretKeys = service.body().at("/spec/template/spec/containers/0/env").valueStream()
                .filter(env -> env.has("valueFrom"))
                .map(env -> env.path("name").asText() + "=" + env.at("/valueFrom/secretKeyRef/name").asText()
                        + "/" + env.at("/valueFrom/secretKeyRef/key").asText())
                .toList();

        assertThat(secretKeys).containsExactly(
                "SPRING_DATASOURCE_URL=fhir-store-datasource/url",
                "SPRING_DATASOURCE_USERNAME=fhir-store-datasource/username",
                "SPRING_DATASOURCE_PASSWORD=fhir-store-datasource/password");
    }

    /** True when the line above {@code index}, skipping comments, is blank. */
    private static boolean blankAbove(List<String> lines, int index) {
        int above = index - 1;
        while (above >= 0 && lines.get(above).strip().startsWith("#")) {
            above--;
        }
        return above >= 0 && lines.get(above).isBlank();
    }

    private static Manifest object(String kind, String name) {
        return completeObjects().stream().filter(m -> kind.equals(m.kind()) && name.equals(m.name()))
                .findFirst().orElseThrow();
    }
}
