package org.clinicalfunctions.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

/** The event graph of every Trigger, EventType and Service in the repository, and its broken twin. */
class EventGraphTests {

    private static final YAMLMapper YAML = new YAMLMapper();

    @Test
    void everyConsumedTypeHasAProducerAndEveryProducedTypeAConsumerOrIsTerminal() throws IOException {
        JsonNode graph = YAML.readTree(ManifestFiles.repositoryRoot()
                .resolve("knative/manifest-check/event-graph.yaml").toFile());

        List<Violation> violations = EventGraph.check(graph, DeployedManifestsTests.completeObjects());

        assertThat(violations).isEmpty();
    }

    @Test
    void brokenTwinFailsOnEveryKindOfGap() throws IOException {
        String graphText = resource("event-graph-twin/graph.yaml");
        List<Manifest> objects = ManifestFiles.parse("objects.yaml", resource("event-graph-twin/objects.yaml"));
        List<String> expected = graphText.lines().filter(l -> l.startsWith("# expect: "))
                .map(l -> l.substring("# expect: ".length())).toList();

        List<String> violations = EventGraph.check(YAML.readTree(graphText), objects).stream()
                .map(Violation::brief).toList();

        assertThat(violations).isNotEmpty().containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void prefixesOverlapTheTypesTheyCover() {
        assertThat(EventGraph.overlaps("org.a.*", "org.a.b")).isTrue();
        assertThat(EventGraph.overlaps("org.a.b", "org.a.*")).isTrue();
        assertThat(EventGraph.overlaps("org.a.*", "org.a.b.*")).isTrue();
        assertThat(EventGraph.overlaps("org.a.b", "org.a.c")).isFalse();
        assertThat(EventGraph.overlaps("org.b.*", "org.a.b")).isFalse();
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = EventGraphTests.class.getClassLoader().getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
