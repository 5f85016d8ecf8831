package org.clinicalfunctions.export;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/** The export's own tables: jobs, their per-type chunks with leases, and committed file parts. */
@Repository
public class ExportJobs {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, List<String>>> FILTERS = new TypeReference<>() {
    };

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    public ExportJobs(JdbcTemplate jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    /** Stores a new job with one pending chunk per type; a job with no type is complete at once. */
    public void create(ExportJob job, List<String> types) {
        tx.executeWithoutResult(status -> {
            jdbc.update("INSERT INTO export_job (job_id, status, level, group_id, request_url, base_url,"
                    + " transaction_time, since, patient_ids, type_filters, elements, requires_token, client_id,"
                    + " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?)",
                    job.id(), types.isEmpty() ? ExportJob.COMPLETED : ExportJob.IN_PROGRESS, job.level().name(),
                    job.groupId(), job.requestUrl(), job.baseUrl(), utc(job.transactionTime()), utc(job.since()),
                    job.patientIds() == null ? null : job.patientIds().toArray(String[]::new),
                    json(job.filters()), json(job.elements()), job.requiresAccessToken(), job.clientId(),
                    utc(job.transactionTime()));
            for (String type : types) {
                jdbc.update("INSERT INTO export_chunk (job_id, resource_type, status) VALUES (?, ?, 'pending')",
                        job.id(), type);
            }
            if (types.isEmpty()) {
                jdbc.update("UPDATE export_job SET finished_at = now() WHERE job_id = ?", job.id());
            }
        });
    }

    /** The database's clock, which is the one transactionTime and leases are measured by. */
    public Instant now() {
        return jdbc.queryForObject("SELECT clock_timestamp()", OffsetDateTime.class).toInstant();
    }

    public Optional<ExportJob> find(UUID id) {
        return jdbc.query("SELECT * FROM export_job WHERE job_id = ?", (rs, n) -> job(rs), id).stream().findFirst();
    }

    /** True when the client (token subject) has an export still in progress. */
    public boolean inProgressFor(String clientId) {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM export_job"
                + " WHERE client_id = ? AND status = ?)", Boolean.class, clientId, ExportJob.IN_PROGRESS));
    }

    /** Records a status poll unless the last one was less than {@code interval} ago; false means "too often". */
    public boolean recordPoll(UUID id, Duration interval) {
        return jdbc.update("UPDATE export_job SET last_polled_at = clock_timestamp() WHERE job_id = ?"
                + " AND (last_polled_at IS NULL OR last_polled_at <= clock_timestamp() - make_interval(secs => ?))",
                id, seconds(interval)) == 1;
    }

    /** Marks the job cancelled and drops its chunks, so no worker writes for it again; false if unknown. */
    public boolean cancel(UUID id) {
        return Boolean.TRUE.equals(tx.execute(status -> {
            int changed = jdbc.update("UPDATE export_job SET status = 'cancelled', finished_at = now()"
                    + " WHERE job_id = ? AND status <> 'cancelled'", id);
            jdbc.update("DELETE FROM export_chunk WHERE job_id = ?", id);
            jdbc.update("DELETE FROM export_file WHERE job_id = ?", id);
            return changed == 1;
        }));
    }

    /** Chunks done, chunks in all, resources written so far. */
    public long[] progress(UUID id) {
        return jdbc.queryForObject("SELECT count(*) FILTER (WHERE status = 'done'), count(*),"
                + " coalesce(sum(lines_written), 0) FROM export_chunk WHERE job_id = ?",
                (rs, n) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)}, id);
    }

    public List<ExportFile> files(UUID id) {
        return jdbc.query("SELECT kind, resource_type, part, file_name, line_count FROM export_file"
                + " WHERE job_id = ? ORDER BY kind DESC, resource_type, part",
                (rs, n) -> new ExportFile(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4),
                        rs.getLong(5)), id);
    }

    /** Records a file written outside the chunk work (the OperationOutcomes of a lenient kick-off). */
    public void addFile(UUID id, ExportFile file, long bytes) {
        jdbc.update("INSERT INTO export_file (job_id, kind, resource_type, part, file_name, line_count, byte_count)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)", id, file.kind(), file.resourceType(), file.part(),
                file.fileName(), file.lineCount(), bytes);
    }

    /**
     * Claims a pending chunk, or a running one whose lease ran out (its worker died or was scaled away). SKIP
     * LOCKED lets several instances claim at once without waiting on each other.
     */
    public Optional<ChunkClaim> claim(Duration lease, int maxAttempts) {
        UUID token = UUID.randomUUID();
        return jdbc.query("UPDATE export_chunk c SET status = 'running', claim_token = ?, attempts = attempts + 1,"
                + " lease_until = clock_timestamp() + make_interval(secs => ?)"
                + " WHERE (c.job_id, c.resource_type) = (SELECT job_id, resource_type FROM export_chunk"
                + " WHERE (status = 'pending' OR (status = 'running' AND lease_until < clock_timestamp()))"
                + " AND attempts < ? ORDER BY job_id, resource_type LIMIT 1 FOR UPDATE SKIP LOCKED)"
                + " RETURNING job_id, resource_type, last_key, next_part, attempts",
                (rs, n) -> new ChunkClaim(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                        rs.getInt(4), token, rs.getInt(5)), token, seconds(lease), maxAttempts).stream().findFirst();
    }

    /**
     * Claims one named chunk for a broker delivery: pending, or running with a lease that ran out. Empty when it
     * is done, held by a live worker, gone with its job, or out of attempts.
     */
    public Optional<ChunkClaim> claim(UUID jobId, String resourceType, Duration lease, int maxAttempts) {
        UUID token = UUID.randomUUID();
        return jdbc.query("UPDATE export_chunk SET status = 'running', claim_token = ?, attempts = attempts + 1,"
                + " lease_until = clock_timestamp() + make_interval(secs => ?) WHERE job_id = ? AND resource_type = ?"
                + " AND (status = 'pending' OR (status = 'running' AND lease_until < clock_timestamp()))"
                + " AND attempts < ? RETURNING job_id, resource_type, last_key, next_part, attempts",
                (rs, n) -> new ChunkClaim(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                        rs.getInt(4), token, rs.getInt(5)), token, seconds(lease), jobId, resourceType, maxAttempts)
                .stream().findFirst();
    }

    /** How long the live lease of another worker on the chunk still runs; empty when none holds it. */
    public Optional<Duration> heldFor(UUID jobId, String resourceType) {
        return jdbc.query("SELECT extract(epoch FROM lease_until - clock_timestamp()) FROM export_chunk"
                + " WHERE job_id = ? AND resource_type = ? AND status = 'running' AND lease_until >= clock_timestamp()",
                (rs, n) -> Duration.ofMillis((long) (rs.getDouble(1) * 1000)), jobId, resourceType)
                .stream().findFirst();
    }

    /**
     * Hands a chunk cut short by its time budget back as pending, resuming after {@code resumeKey}: the last row
     * read, all of whose lines are in committed parts or filtered out. The slice made progress, so its attempts
     * start again; a crash loop still fails the job, a long chunk worked in many slices does not.
     */
    public boolean yieldChunk(ChunkClaim claim, String resumeKey) {
        return jdbc.update("UPDATE export_chunk SET status = 'pending', claim_token = NULL, lease_until = NULL,"
                + " attempts = 0, last_key = ?, announced_at = clock_timestamp()"
                + " WHERE job_id = ? AND resource_type = ? AND claim_token = ? AND status = 'running'",
                resumeKey, claim.jobId(), claim.resourceType(), claim.token()) == 1;
    }

    /**
     * Chunks that need a chunk.ready event: claimable (pending, or a lease ran out) and not announced within
     * {@code quiet}. Marks them announced in the same statement, so two instances do not both send.
     */
    public List<ChunkRef> announceable(Duration quiet, int maxAttempts) {
        return jdbc.query("UPDATE export_chunk SET announced_at = clock_timestamp()"
                + " WHERE (status = 'pending' OR (status = 'running' AND lease_until < clock_timestamp()))"
                + " AND attempts < ? AND (announced_at IS NULL"
                + " OR announced_at < clock_timestamp() - make_interval(secs => ?)) RETURNING job_id, resource_type",
                (rs, n) -> new ChunkRef(rs.getObject(1, UUID.class), rs.getString(2)), maxAttempts, seconds(quiet));
    }

    /** Makes a chunk announceable again at once, after its event did not reach the broker. */
    public void unannounce(ChunkRef chunk) {
        jdbc.update("UPDATE export_chunk SET announced_at = NULL WHERE job_id = ? AND resource_type = ?",
                chunk.jobId(), chunk.resourceType());
    }

    /** Extends the lease; false when the claim is no longer this worker's (lease taken over, job cancelled). */
    public boolean renew(ChunkClaim claim, Duration lease) {
        return jdbc.update("UPDATE export_chunk SET lease_until = clock_timestamp() + make_interval(secs => ?)"
                + " WHERE job_id = ? AND resource_type = ? AND claim_token = ? AND status = 'running'",
                seconds(lease), claim.jobId(), claim.resourceType(), claim.token()) == 1;
    }

    /**
     * Commits a written file part and moves the chunk's resume key past its last line, in one transaction: after
     * a crash either both happened or neither, so a restart neither repeats nor loses a line.
     */
    public boolean commitPart(ChunkClaim claim, ExportFile file, long bytes, String lastKey, Duration lease) {
        return Boolean.TRUE.equals(tx.execute(status -> {
            int moved = jdbc.update("UPDATE export_chunk SET last_key = ?, next_part = ?, lines_written ="
                    + " lines_written + ?, lease_until = clock_timestamp() + make_interval(secs => ?)"
                    + " WHERE job_id = ? AND resource_type = ? AND claim_token = ? AND status = 'running'",
                    lastKey, file.part() + 1, file.lineCount(), seconds(lease), claim.jobId(),
                    claim.resourceType(), claim.token());
            if (moved == 1) {
                addFile(claim.jobId(), file, bytes);
            }
            return moved == 1;
        }));
    }

    /** Marks the chunk done; true when that completed the whole job (exactly one caller sees true). */
    public boolean finish(ChunkClaim claim) {
        return Boolean.TRUE.equals(tx.execute(status -> {
            // Two chunks finishing at once would each miss the other's uncommitted update without this lock.
            jdbc.queryForList("SELECT job_id FROM export_job WHERE job_id = ? FOR UPDATE", UUID.class, claim.jobId());
            int done = jdbc.update("UPDATE export_chunk SET status = 'done', claim_token = NULL, lease_until = NULL"
                    + " WHERE job_id = ? AND resource_type = ? AND claim_token = ?",
                    claim.jobId(), claim.resourceType(), claim.token());
            return done == 1 && jdbc.update("UPDATE export_job SET status = 'completed', finished_at = now()"
                    + " WHERE job_id = ? AND status = 'in-progress' AND NOT EXISTS (SELECT 1 FROM export_chunk"
                    + " WHERE job_id = ? AND status <> 'done')", claim.jobId(), claim.jobId()) == 1;
        }));
    }

    /** Gives the chunk back for another try, or fails the job after too many; true when the job failed now. */
    public boolean release(ChunkClaim claim, int maxAttempts, String reason) {
        if (claim.attempts() < maxAttempts) {
            jdbc.update("UPDATE export_chunk SET status = 'pending', claim_token = NULL, lease_until = NULL"
                    + " WHERE job_id = ? AND resource_type = ? AND claim_token = ?",
                    claim.jobId(), claim.resourceType(), claim.token());
            return false;
        }
        return jdbc.update("UPDATE export_job SET status = 'failed', failure = ?, finished_at = now()"
                + " WHERE job_id = ? AND status = 'in-progress'", reason, claim.jobId()) == 1;
    }

    /** Fails every running job whose chunk went through too many claims (a crash loop on one chunk). */
    public List<UUID> failExhausted(int maxAttempts) {
        return jdbc.queryForList("UPDATE export_job j SET status = 'failed', failure = 'FX-500 too many attempts',"
                + " finished_at = now() WHERE status = 'in-progress' AND EXISTS (SELECT 1 FROM export_chunk c"
                + " WHERE c.job_id = j.job_id AND c.attempts >= ? AND c.status <> 'done'"
                + " AND (c.status = 'pending' OR c.lease_until < clock_timestamp())) RETURNING job_id",
                UUID.class, maxAttempts);
    }

    /** Completes jobs whose every chunk is done but that were left in progress (a crash between the two). */
    public List<UUID> completeFinished() {
        return jdbc.queryForList("UPDATE export_job j SET status = 'completed', finished_at = now()"
                + " WHERE status = 'in-progress' AND NOT EXISTS (SELECT 1 FROM export_chunk c"
                + " WHERE c.job_id = j.job_id AND c.status <> 'done') RETURNING job_id", UUID.class);
    }

    /** Finished jobs whose completion or failure event has not gone out yet. */
    public List<UUID> unannounced() {
        return jdbc.queryForList("SELECT job_id FROM export_job WHERE status IN ('completed', 'failed')"
                + " AND NOT event_sent ORDER BY finished_at LIMIT 20", UUID.class);
    }

    public void markAnnounced(UUID id) {
        jdbc.update("UPDATE export_job SET event_sent = true WHERE job_id = ?", id);
    }

    /** Jobs finished longer ago than {@code expiry}: their rows go, the caller removes their files. */
    public List<UUID> expired(Duration expiry) {
        return jdbc.queryForList("SELECT job_id FROM export_job WHERE finished_at < now() - make_interval(secs => ?)",
                UUID.class, seconds(expiry));
    }

    public void delete(UUID id) {
        jdbc.update("DELETE FROM export_job WHERE job_id = ?", id);
    }

    private static ExportJob job(ResultSet rs) throws SQLException {
        Array patients = rs.getArray("patient_ids");
        return new ExportJob(rs.getObject("job_id", UUID.class), rs.getString("status"),
                ExportLevel.valueOf(rs.getString("level")), rs.getString("group_id"), rs.getString("request_url"),
                rs.getString("base_url"), instant(rs, "transaction_time"), instant(rs, "since"),
                patients == null ? null : Arrays.asList((String[]) patients.getArray()),
                filters(rs.getString("type_filters")), filters(rs.getString("elements")),
                rs.getBoolean("requires_token"), rs.getString("client_id"), instant(rs, "finished_at"),
                rs.getString("failure"), rs.getBoolean("event_sent"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    private static String json(Map<String, List<String>> filters) {
        try {
            return JSON.writeValueAsString(filters);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, List<String>> filters(String json) {
        try {
            return JSON.readValue(json, FILTERS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
