package org.clinicalfunctions.export;

import java.util.UUID;

/** One chunk of a job, by its key: the unit a chunk.ready CloudEvent names. */
public record ChunkRef(UUID jobId, String resourceType) {
}
