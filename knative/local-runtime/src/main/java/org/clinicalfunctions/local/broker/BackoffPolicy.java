package org.clinicalfunctions.local.broker;

/** {@code spec.delivery.backoffPolicy}: the only two values the Knative webhook admits. */
public enum BackoffPolicy {
    LINEAR,
    EXPONENTIAL
}
