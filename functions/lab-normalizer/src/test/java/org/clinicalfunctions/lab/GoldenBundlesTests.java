package org.clinicalfunctions.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import ca.uhn.fhir.parser.IParser;
import org.clinicalfunctions.hl7.Hl7Batch;
import org.clinicalfunctions.hl7.Hl7Text;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins the full output for every ORU^R01 sample: the pretty-printed Bundle JSON must equal
 * src/test/resources/golden/&lt;sample&gt;.json (a batch gives a JSON array of its Bundles, in message order). Run
 * with {@code -Dgolden.update=true} to rewrite the files after an intended mapping change, then review the diff.
 */
class GoldenBundlesTests {

    private static final boolean UPDATE = Boolean.getBoolean("golden.update");
    private static final Path GOLDEN_SOURCES = Path.of("src", "test", "resources", "golden");

    static Stream<String> samples() {
        return SampleCorpus.names().stream();
    }

    @ParameterizedTest
    @MethodSource("samples")
    void sampleBundleMatchesGoldenFile(String sample) throws Exception {
        String golden = sample.replaceFirst("\\.hl7$", "") + ".json";

        String json = bundlesJson(sample);

        if (UPDATE) {
            Files.createDirectories(GOLDEN_SOURCES);
            Files.writeString(GOLDEN_SOURCES.resolve(golden), json, StandardCharsets.UTF_8);
        }
        String expected = UPDATE ? json : goldenFile(golden);
        assertThat(expected).as("golden/" + golden + " (run with -Dgolden.update=true to create it)").isNotNull();
        assertThat(json).as("golden/" + golden).isEqualTo(expected);
    }

    private static String bundlesJson(String sample) throws Exception {
        IParser parser = LabFixtures.FHIR.newJsonParser().setPrettyPrint(true);
        List<String> bundles = new ArrayList<>();
        for (String message : Hl7Batch.messages(Hl7Text.decode(SampleCorpus.bytes(sample)))) {
            bundles.add(parser.encodeResourceToString(LabFixtures.NORMALIZER.normalize(message)));
        }
        String json = bundles.size() == 1 ? bundles.get(0) : "[\n" + String.join(",\n", bundles) + "\n]";
        return json + "\n";
    }

    private static String goldenFile(String name) throws IOException {
        try (InputStream in = GoldenBundlesTests.class.getResourceAsStream("/golden/" + name)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
