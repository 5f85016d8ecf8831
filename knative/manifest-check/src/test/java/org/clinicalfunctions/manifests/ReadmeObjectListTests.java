package org.clinicalfunctions.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Comparator;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The top README lists, between two markers, exactly the objects the rendered aks-prod overlay creates, one table
 * row each, sorted by kind, namespace and name. When the overlay changes, the failure message is the new table.
 */
class ReadmeObjectListTests {

    private static final String BEGIN = "<!-- aks-prod objects: begin -->";
    private static final String END = "<!-- aks-prod objects: end -->";

    @Test
    void readmeListsExactlyTheObjectsTheAksProdOverlayCreates() throws IOException {
        String readme = Files.readString(ManifestFiles.repositoryRoot().resolve("README.md"));
        int begin = readme.indexOf(BEGIN);
        int end = readme.indexOf(END);

        List<String> rendered = Kustomize.render("knative/overlays/aks-prod").stream()
                .sorted(Comparator.comparing((Manifest m) -> m.kind())
                        .thenComparing(m -> m.body().at("/metadata/namespace").asText())
                        .thenComparing(Manifest::name))
                .map(m -> "| " + m.kind() + " | " + m.body().at("/metadata/namespace").asText("") + " | " + m.name()
                        + " |")
                .toList();

        assertThat(begin).as("the README's begin marker").isPositive();
        List<String> listed = readme.substring(begin + BEGIN.length(), end).lines()
                .filter(line -> line.startsWith("| ") && !line.startsWith("| Kind ") && !line.startsWith("|---"))
                .toList();
        assertThat(String.join("\n", listed)).isEqualTo(String.join("\n", rendered));
    }
}
