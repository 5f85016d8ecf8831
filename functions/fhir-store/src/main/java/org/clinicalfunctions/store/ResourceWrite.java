package org.clinicalfunctions.store;

import org.hl7.fhir.r4.model.Resource;

/**
 * One PUT of a transaction Bundle.
 *
 * @param type the resource type from {@code request.url}
 * @param id the logical id from {@code request.url}, equal to the resource's own id
 * @param resource the parsed resource
 */
public record ResourceWrite(String type, String id, Resource resource) {

    /** The relative reference {@code Type/id}, the resource's identity in the store. */
    public String reference() {
        return type + "/" + id;
    }
}
