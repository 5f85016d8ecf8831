package org.clinicalfunctions.export;

import java.util.UUID;

/**
 * A worker's hold on one resource type of one job, valid while its lease is renewed.
 *
 * @param lastKey resource id of the last line already committed ("" before the first)
 * @param nextPart number of the file part to write next
 * @param token this claim's identity; every write checks it, so a worker that lost its lease writes nothing
 */
public record ChunkClaim(UUID jobId, String resourceType, String lastKey, int nextPart, UUID token, int attempts) {
}
