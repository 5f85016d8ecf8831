package org.clinicalfunctions.local.broker;

/**
 * An event the broker refuses: not a valid CloudEvent 1.0, or its loop guard ran out. The broker answers 400
 * (Knative: never retried). The message starts with a stable code and names the attribute, never its value.
 */
public class InvalidEventException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String code;

    public InvalidEventException(String code, String message) {
        super(code + ": " + message);
        this.code = code;
    }

    /** Stable code, e.g. {@code CE-REQUIRED} or {@code KN-TTL-EXHAUSTED}. */
    public String code() {
        return code;
    }
}
