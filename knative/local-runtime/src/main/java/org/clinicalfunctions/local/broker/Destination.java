package org.clinicalfunctions.local.broker;

/**
 * A Knative {@code Destination}: a {@code ref}, a {@code uri}, or both (then the uri is resolved against the
 * ref's address, e.g. {@code ref: ksvc} + {@code uri: /events/hire}), and the OIDC {@code audience} a dispatcher
 * asks a token for (null: none is sent).
 */
public record Destination(ResourceRef ref, String uri, String audience) {

    public Destination(ResourceRef ref, String uri) {
        this(ref, uri, null);
    }

    /** How the destination reads in logs and in {@code knativeerrordest} when it does not resolve. */
    public String describe() {
        if (ref == null) {
            return uri;
        }
        return uri == null ? ref.toString() : ref + uri;
    }
}
