package org.clinicalfunctions.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each rule against a small manifest written to break it. A fixture under {@code fixtures/<rules>/} states the
 * violations it must produce in {@code # expect: <code> at <location>} lines; a fixture without such lines must
 * produce none. The folder names the rule set: schema, serving, eventing or platform.
 */
class ManifestRuleFixturesTests {

    private static final CrdSchemas CRDS = CrdSchemas.load();
    private static final FeatureGates GATES = FeatureGates.load(CRDS);
    private static final String EXPECT = "# expect: ";

    static Stream<Path> fixtures() throws IOException, URISyntaxException {
        Path root = Path.of(ManifestRuleFixturesTests.class.getClassLoader().getResource("fixtures").toURI());
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(f -> f.toString().endsWith(".yaml")).sorted().forEach(files::add);
        }
        return files.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void fixtureProducesExactlyTheViolationsItExpects(Path fixture) throws IOException {
        String text = Files.readString(fixture);
        List<String> expected = text.lines().filter(l -> l.startsWith(EXPECT))
                .map(l -> l.substring(EXPECT.length()).strip()).toList();
        String rules = fixture.getParent().getFileName().toString();
        List<Manifest> documents = ManifestFiles.parse(fixture.getFileName().toString(), text);

        List<String> actual = documents.stream().flatMap(m -> check(rules, m).stream()).map(Violation::brief).toList();

        assertThat(documents).isNotEmpty();
        assertThat(actual).containsExactlyInAnyOrderElementsOf(expected);
    }

    private static List<Violation> check(String rules, Manifest manifest) {
        return switch (rules) {
            case "schema" -> CRDS.validate(manifest);
            case "serving" -> Stream.concat(RevisionRules.check(manifest).stream(), GATES.check(manifest).stream())
                    .toList();
            case "eventing" -> TriggerRules.check(manifest);
            case "platform" -> PlatformRules.check(manifest, DeployedManifestsTests.completeObjects());
            default -> throw new IllegalArgumentException("no rule set named " + rules);
        };
    }
}
