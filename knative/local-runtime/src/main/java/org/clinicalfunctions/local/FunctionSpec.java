package org.clinicalfunctions.local;

import java.util.Map;

/**
 * A function as its Knative Service manifest describes it.
 *
 * @param name the Knative Service name, which is also the Maven module under {@code functions/}
 * @param env plain environment values of the container (secret references are left to the local defaults)
 * @param sinkBound true when a SinkBinding targets it, so it gets {@code K_SINK} pointing at the broker
 */
public record FunctionSpec(String name, Map<String, String> env, boolean sinkBound) {
}
