package org.clinicalfunctions.store;

import java.time.Instant;

/**
 * The version a PUT left in the store.
 *
 * @param type resource type
 * @param id logical id
 * @param versionId the current version after the PUT
 * @param lastUpdated when that version was stored
 * @param created true when the PUT created the resource (version 1)
 * @param changed true when the PUT created a new version; false when the content equalled the current version
 */
public record StoredVersion(String type, String id, long versionId, Instant lastUpdated, boolean created,
        boolean changed) {
}
