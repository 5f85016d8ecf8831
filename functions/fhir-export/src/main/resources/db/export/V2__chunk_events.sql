-- When a chunk.ready CloudEvent last went out for the chunk: the broker wakes the work, and a chunk announced
-- less than a lease ago is not announced again by every poll and housekeeping round.
ALTER TABLE export_chunk ADD COLUMN announced_at timestamptz;
