package org.clinicalfunctions.manifests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * The exceptions to the Azure policies, all in {@code knative/manifest-check/policy-exceptions.yaml}: each names
 * the policy code, the exact location it excuses and why. A violation is excused only by an exact match.
 */
final class PolicyExceptions {

    /** The file, relative to the repository root. */
    static final String FILE = "knative/manifest-check/policy-exceptions.yaml";

    private final List<JsonNode> entries;

    private PolicyExceptions(List<JsonNode> entries) {
        this.entries = entries;
    }

    static PolicyExceptions load() {
        try {
            JsonNode root = new YAMLMapper().readTree(ManifestFiles.repositoryRoot().resolve(FILE).toFile());
            List<JsonNode> entries = new ArrayList<>();
            root.path("exceptions").forEach(entries::add);
            return new PolicyExceptions(entries);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every entry, for checking that each has a reason and still excuses something. */
    List<JsonNode> entries() {
        return entries;
    }

    /** The violations no exception excuses. */
    List<Violation> unexcused(List<Violation> violations) {
        return violations.stream().filter(v -> entries.stream().noneMatch(e -> excuses(e, v))).toList();
    }

    static boolean excuses(JsonNode entry, Violation violation) {
        return entry.path("code").asText().equals(violation.code())
                && entry.path("location").asText().equals(violation.location());
    }
}
