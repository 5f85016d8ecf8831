package org.clinicalfunctions.store;

/**
 * The identity of a CloudEvent: CloudEvents 1.0 says source and id together are unique, so a redelivery carries
 * the same pair. Other attributes (traceparent, time) may change on retry and are not part of it.
 *
 * @param source the {@code ce-source} attribute
 * @param id the {@code ce-id} attribute
 */
public record EventKey(String source, String id) {
}
