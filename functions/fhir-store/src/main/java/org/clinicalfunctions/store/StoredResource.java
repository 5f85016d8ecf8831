package org.clinicalfunctions.store;

import java.time.Instant;

/**
 * A resource version as read from the store.
 *
 * @param json the resource, meta included
 * @param versionId its version
 * @param lastUpdated when it was stored
 */
public record StoredResource(String json, long versionId, Instant lastUpdated) {
}
