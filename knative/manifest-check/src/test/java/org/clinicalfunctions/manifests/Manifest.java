package org.clinicalfunctions.manifests;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One YAML document of a manifest file.
 *
 * @param file path of the file relative to the repository root, with forward slashes
 * @param index position of the document in its file, from 0
 * @param body the parsed document
 */
public record Manifest(String file, int index, JsonNode body) {

    /** The {@code apiVersion}, empty when absent. */
    public String apiVersion() {
        return body.path("apiVersion").asText("");
    }

    /** The {@code kind}, empty when absent. */
    public String kind() {
        return body.path("kind").asText("");
    }

    /** The {@code metadata.name}, empty when absent. */
    public String name() {
        return body.path("metadata").path("name").asText("");
    }

    /** True for an object of this API version and kind. */
    public boolean is(String expectedApiVersion, String expectedKind) {
        return expectedApiVersion.equals(apiVersion()) && expectedKind.equals(kind());
    }

    /** True when this object is the target of a reference with these coordinates. */
    public boolean isNamed(String refApiVersion, String refKind, String refName) {
        return is(refApiVersion, refKind) && refName.equals(name());
    }

    @Override
    public String toString() {
        return file + "#" + index + " " + kind() + "/" + name();
    }
}
