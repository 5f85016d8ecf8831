package org.clinicalfunctions.store;

import java.util.List;

/**
 * What one transaction did.
 *
 * @param duplicate true when the event had already been processed and nothing was written
 * @param versions one entry per Bundle entry, in Bundle order; empty for a duplicate
 */
public record StoreResult(boolean duplicate, List<StoredVersion> versions) {

    static StoreResult alreadyProcessed() {
        return new StoreResult(true, List.of());
    }

    public long versionsCreated() {
        return versions.stream().filter(StoredVersion::changed).count();
    }
}
