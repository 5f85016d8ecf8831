package org.clinicalfunctions.local.broker;

/**
 * An HTTP request that is not a valid CloudEvent 1.0; the broker answers 400 (Knative: never retried). The message
 * names the attribute, never its value.
 */
public class InvalidEventException extends Exception {

    private static final long serialVersionUID = 1L;

    public InvalidEventException(String message) {
        super(message);
    }
}
