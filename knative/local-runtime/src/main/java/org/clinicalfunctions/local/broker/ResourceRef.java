package org.clinicalfunctions.local.broker;

/** A Knative {@code ref}: the addressable object a destination points at. */
public record ResourceRef(String apiVersion, String kind, String name) {

    @Override
    public String toString() {
        return apiVersion + "/" + kind + "/" + name;
    }
}
