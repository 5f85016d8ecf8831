package org.clinicalfunctions.manifests;

/**
 * One broken rule in one manifest: a stable code and the field it concerns, never the offending value.
 *
 * @param code stable rule code, e.g. {@code serving.timeout-seconds}
 * @param location dotted field path inside the object, e.g. {@code spec.template.spec.timeoutSeconds}
 * @param message what the rule expects, for the person reading a failed build
 */
public record Violation(String code, String location, String message) {

    /** The short form tests compare: code and location. */
    public String brief() {
        return code + " at " + location;
    }

    @Override
    public String toString() {
        return brief() + ": " + message;
    }
}
