package org.clinicalfunctions.export;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.sql.DataSource;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.util.FhirTerser;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.springframework.stereotype.Component;

/**
 * Writes one claimed chunk (one resource type of one job) from a database cursor to NDJSON file parts. Rows come
 * in resource id order, so the id of the last line of a committed part is where a later owner resumes. The jsonb
 * text PostgreSQL sends is one line of JSON already: lines are copied, not parsed, unless a {@code _typeFilter}
 * needs the resource or {@code _elements} subsets it. Memory stays at one row plus the fetch batch, whatever the
 * size of the type.
 */
@Component
public class ChunkExporter {

    private static final byte[] NEWLINE = {'\n'};
    private static final int CHECK_EVERY = 1000;
    private static final String PROVENANCE = "Provenance";
    /**
     * Bulk Data K17: a Provenance belongs to a patient's export when one of its {@code target} references (relative,
     * absolute or versioned) names a stored resource of that patient's compartment, fhir-store's {@code patient_id}.
     * Each target is one primary key lookup; EXISTS stops at the first match, so a Provenance is written once.
     */
    private static final String PROVENANCE_TARGETS = "SELECT 1 FROM jsonb_array_elements(v.content -> 'target') t,"
            + " regexp_match(t ->> 'reference', '(?:^|/)([A-Z][A-Za-z]+)/([A-Za-z0-9.-]{1,64})(?:/_history/[^/]+)?$')"
            + " AS m(part), resource_current r WHERE r.resource_type = m.part[1] AND r.resource_id = m.part[2]"
            + " AND r.patient_id";

    private final DataSource dataSource;
    private final ExportJobs jobs;
    private final ExportStorage storage;
    private final ExportProperties properties;
    private final FhirContext fhir;

    public ChunkExporter(DataSource dataSource, ExportJobs jobs, ExportStorage storage, ExportProperties properties,
            FhirContext fhir) {
        this.dataSource = dataSource;
        this.jobs = jobs;
        this.storage = storage;
        this.properties = properties;
        this.fhir = fhir;
    }

    /** Thrown when the chunk stopped being this worker's: another took the lease over or the job was cancelled. */
    static final class ClaimLost extends RuntimeException {

        private static final long serialVersionUID = 1L;

        ClaimLost() {
            super("FX-409 chunk claim lost");
        }
    }

    /**
     * Exports the rest of the chunk, or as much as fits in {@code budget}. The budget is checked between rows: once
     * spent, with at least one row read and another waiting, the open part is committed and the key of the last
     * row read comes back, for the next owner to resume after.
     *
     * @param budget how long this call may work; null for no limit
     * @return empty once every part of the chunk is committed; else the key to resume after
     */
    public Optional<String> export(ExportJob job, ChunkClaim claim, Duration budget)
            throws IOException, SQLException {
        List<TypeFilter> filters = new ArrayList<>();
        for (String query : job.filters().getOrDefault(claim.resourceType(), List.of())) {
            filters.add(TypeFilter.parse(fhir, query));
        }
        ElementSubset subset = ElementSubset.of(fhir, claim.resourceType(), job.elements());
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            try (PreparedStatement statement = select(connection, job, claim)) {
                statement.setFetchSize(properties.fetchSize());
                try (ResultSet rows = statement.executeQuery()) {
                    return copy(rows, claim, filters, subset, budget == null ? Long.MAX_VALUE : budget.toNanos());
                }
            } finally {
                connection.rollback();
            }
        }
    }

    private Optional<String> copy(ResultSet rows, ChunkClaim claim, List<TypeFilter> filters, ElementSubset subset,
            long budgetNanos) throws IOException, SQLException {
        Part part = null;
        int partNumber = claim.nextPart();
        long seen = 0;
        String lastSeen = null;
        long started = System.nanoTime();
        long renewed = started;
        FhirTerser terser = fhir.newTerser();
        try {
            while (rows.next()) {
                if (seen > 0 && System.nanoTime() - started > budgetNanos) {
                    if (part != null) {
                        commit(claim, part);
                        part = null;
                    }
                    return Optional.of(lastSeen);
                }
                String id = rows.getString(1);
                String content = rows.getString(2);
                lastSeen = id;
                seen++;
                if (seen % CHECK_EVERY == 0) {
                    renewed = renewIfDue(claim, renewed);
                    throttle(seen, started);
                }
                if (!filters.isEmpty() && !matchesAny(filters, terser, content)) {
                    continue;
                }
                if (part == null) {
                    part = new Part(claim, partNumber);
                }
                part.write(id, subset == null ? content : subset.apply(content));
                if (part.lines >= properties.maxLinesPerFile() || part.bytes >= properties.maxBytesPerFile()) {
                    commit(claim, part);
                    part = null;
                    partNumber++;
                    renewed = System.nanoTime();
                }
            }
            if (part != null) {
                commit(claim, part);
                part = null;
            }
            return Optional.empty();
        } finally {
            if (part != null) {
                part.abandon();
            }
        }
    }

    private boolean matchesAny(List<TypeFilter> filters, FhirTerser terser, String content) {
        IBaseResource resource = fhir.newJsonParser().parseResource(content);
        return filters.stream().anyMatch(f -> f.matches(terser, resource));
    }

    private void commit(ChunkClaim claim, Part part) throws IOException {
        part.out.close();
        ExportFile file = new ExportFile(ExportFile.OUTPUT, claim.resourceType(), part.number, part.name, part.lines);
        if (!jobs.commitPart(claim, file, part.bytes, part.lastId, properties.lease())) {
            // The part stays unlisted under its own name; the job's files go together when it expires.
            throw new ClaimLost();
        }
    }

    private long renewIfDue(ChunkClaim claim, long renewed) {
        long now = System.nanoTime();
        if (now - renewed < properties.lease().toNanos() / 3) {
            return renewed;
        }
        if (!jobs.renew(claim, properties.lease())) {
            throw new ClaimLost();
        }
        return now;
    }

    private void throttle(long rows, long started) {
        if (properties.rowsPerSecond() <= 0) {
            return;
        }
        long due = started + rows * 1_000_000_000L / properties.rowsPerSecond();
        long wait = due - System.nanoTime();
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ClaimLost();
            }
        }
    }

    /**
     * The chunk's rows as they were at transactionTime (IG M01): the current version when it is not newer, else
     * the latest version in resource_history up to transactionTime; a resource created after it has neither.
     */
    private static PreparedStatement select(Connection connection, ExportJob job, ChunkClaim claim)
            throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT c.resource_id, v.content::text FROM resource_current c"
                + " CROSS JOIN LATERAL (SELECT c.content AS content, c.last_updated AS changed"
                + " WHERE c.last_updated <= ?::timestamptz UNION ALL (SELECT h.content, h.last_updated"
                + " FROM resource_history h WHERE c.last_updated > ?::timestamptz"
                + " AND h.resource_type = c.resource_type AND h.resource_id = c.resource_id"
                + " AND h.last_updated <= ?::timestamptz ORDER BY h.version_id DESC LIMIT 1)) v"
                + " WHERE c.resource_type = ? AND c.resource_id > ?");
        if (job.since() != null) {
            sql.append(" AND v.changed > ?");
        }
        boolean listed = job.patientIds() != null && !job.patientIds().isEmpty();
        boolean limited = job.level() == ExportLevel.GROUP || listed;
        if (job.level() != ExportLevel.SYSTEM || listed) {
            sql.append(PROVENANCE.equals(claim.resourceType())
                    ? " AND EXISTS (" + PROVENANCE_TARGETS + (limited ? " = ANY (?))" : " IS NOT NULL)")
                    : limited ? " AND c.patient_id = ANY (?)" : " AND c.patient_id IS NOT NULL");
        }
        sql.append(" ORDER BY c.resource_id");
        PreparedStatement statement = connection.prepareStatement(sql.toString());
        OffsetDateTime transactionTime = job.transactionTime().atOffset(ZoneOffset.UTC);
        int index = 1;
        statement.setObject(index++, transactionTime);
        statement.setObject(index++, transactionTime);
        statement.setObject(index++, transactionTime);
        statement.setString(index++, claim.resourceType());
        statement.setString(index++, claim.lastKey());
        if (job.since() != null) {
            statement.setObject(index++, job.since().atOffset(ZoneOffset.UTC));
        }
        if (limited) {
            List<String> ids = job.patientIds() == null ? List.of() : job.patientIds();
            statement.setArray(index, connection.createArrayOf("text", ids.toArray()));
        }
        return statement;
    }

    /** One file part being written; unique name per claim, so a stale writer never overwrites a committed part. */
    private final class Part {

        private final int number;
        private final String name;
        private final OutputStream out;
        private long lines;
        private long bytes;
        private String lastId;

        Part(ChunkClaim claim, int number) throws IOException {
            this.number = number;
            this.name = String.format(Locale.ROOT, "%s-%04d-%s.ndjson", claim.resourceType(), number,
                    claim.token().toString().substring(0, 8));
            this.out = storage.create(claim.jobId(), name);
        }

        void write(String id, String content) throws IOException {
            byte[] line = content.getBytes(StandardCharsets.UTF_8);
            out.write(line);
            out.write(NEWLINE);
            lines++;
            bytes += line.length + 1;
            lastId = id;
        }

        /** An unfinished part is never listed; closing it is enough, its bytes go with the job's files. */
        void abandon() {
            try {
                out.close();
            } catch (IOException e) {
                // Nothing refers to an abandoned part, so a failed close loses nothing.
                return;
            }
        }
    }
}
