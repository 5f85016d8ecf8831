package org.clinicalfunctions.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** The catalogue in eventing/README.md against the types the triggers and EventTypes actually use. */
class EventCatalogueTests {

    private static final Pattern SCHEMA_LINK = Pattern.compile("\\]\\((schemas/[^)]+)\\)");

    @Test
    void everyTypeTheClusterRoutesIsInTheCatalogue() throws IOException {
        String readme = readme();

        List<String> routed = routedTypes().distinct().toList();
        List<String> missing = routed.stream().filter(type -> !readme.contains("| `" + type + "` |")).toList();

        assertThat(routed).hasSize(9);
        assertThat(missing).isEmpty();
    }

    @Test
    void everyTriggerHasAnEventTypeAndOnlyTheExportOutcomesAwaitAConsumer() {
        List<String> registered = ofKind("EventType")
                .flatMap(m -> m.body().at("/spec/attributes").valueStream())
                .filter(a -> "type".equals(a.path("name").asText())).map(a -> a.path("value").asText())
                .sorted().toList();
        List<String> filtered = triggerTypes().sorted().toList();
        List<String> prefixes = triggerPrefixes().toList();

        assertThat(registered).containsExactly("org.clinicalfunctions.appointment.booked",
                "org.clinicalfunctions.appointment.cancelled", "org.clinicalfunctions.appointment.rescheduled",
                "org.clinicalfunctions.availability", "org.clinicalfunctions.fhir.export.chunk.ready",
                "org.clinicalfunctions.fhir.export.completed", "org.clinicalfunctions.fhir.export.failed",
                "org.clinicalfunctions.hl7v2.ORU_R01", "org.clinicalfunctions.lab.result.normalized");
        assertThat(prefixes).containsExactly("org.clinicalfunctions.appointment.");
        // Export outcomes are announced for whoever subscribes later (knative/manifest-check/event-graph.yaml).
        assertThat(registered).filteredOn(type -> !type.equals("org.clinicalfunctions.fhir.export.completed")
                && !type.equals("org.clinicalfunctions.fhir.export.failed"))
                .allMatch(type -> filtered.contains(type) || prefixes.stream().anyMatch(type::startsWith));
        assertThat(filtered).allMatch(registered::contains);
        assertThat(prefixes).allMatch(prefix -> registered.stream().anyMatch(type -> type.startsWith(prefix)));
    }

    @Test
    void everySchemaLinkOfTheCataloguePointsAtASchemaFile() throws IOException {
        Path eventing = ManifestFiles.repositoryRoot().resolve("eventing");
        Matcher links = SCHEMA_LINK.matcher(readme());

        List<String> targets = links.results().map(link -> link.group(1)).distinct().sorted().toList();

        assertThat(targets).containsExactly("schemas/org.clinicalfunctions.appointment.json",
                "schemas/org.clinicalfunctions.availability.json",
                "schemas/org.clinicalfunctions.fhir.export.chunk.ready.json",
                "schemas/org.clinicalfunctions.fhir.export.json",
                "schemas/org.clinicalfunctions.hl7v2.json",
                "schemas/org.clinicalfunctions.lab.result.normalized.json");
        assertThat(targets).allMatch(target -> Files.isRegularFile(eventing.resolve(target)));
    }

    private static Stream<String> routedTypes() {
        Stream<String> registered = ofKind("EventType").flatMap(m -> m.body().at("/spec/attributes").valueStream())
                .filter(a -> "type".equals(a.path("name").asText())).map(a -> a.path("value").asText());
        return Stream.concat(registered, triggerTypes());
    }

    private static Stream<String> triggerTypes() {
        return ofKind("Trigger").map(m -> {
            String legacy = m.body().at("/spec/filter/attributes/type").asText("");
            return legacy.isEmpty() ? m.body().at("/spec/filters/0/exact/type").asText() : legacy;
        }).filter(type -> !type.isEmpty());
    }

    /** Triggers that take a family of types by {@code filters: - prefix: type: ...}. */
    private static Stream<String> triggerPrefixes() {
        return ofKind("Trigger").map(m -> m.body().at("/spec/filters/0/prefix/type").asText(""))
                .filter(prefix -> !prefix.isEmpty());
    }

    private static Stream<Manifest> ofKind(String kind) {
        return ManifestFiles.under("eventing").stream().filter(m -> kind.equals(m.kind()));
    }

    private static String readme() throws IOException {
        return Files.readString(ManifestFiles.repositoryRoot().resolve("eventing/README.md"));
    }
}
