package org.clinicalfunctions.store;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.hl7.fhir.r4.model.Resource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes resources as versions. All writes of one Bundle share one database transaction, so a caller that sees it
 * return knows every version is committed; a caller that sees it throw knows none is.
 *
 * <p>Concurrency: the event row is claimed first ({@code processed_event} primary key), so a second delivery of
 * the same event waits for the first and then finds it done. Resource rows are locked in a fixed order, so two
 * Bundles that share resources cannot deadlock.
 */
@Component
public class ResourceVersionStore {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final FhirJson fhir;
    private final Clock clock;

    public ResourceVersionStore(JdbcTemplate jdbc, TransactionTemplate transactions, FhirJson fhir) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.fhir = fhir;
        this.clock = Clock.systemUTC();
    }

    /**
     * Stores the writes of one Bundle.
     *
     * @param event the CloudEvent being applied, or null for a plain HTTP transaction (no redelivery to detect)
     */
    public StoreResult store(EventKey event, List<ResourceWrite> writes) {
        return transactions.execute(status -> storeInTransaction(event, writes));
    }

    private StoreResult storeInTransaction(EventKey event, List<ResourceWrite> writes) {
        if (event != null && !claim(event)) {
            return StoreResult.alreadyProcessed();
        }

        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Map<String, StoredVersion> byReference = new HashMap<>();
        writes.stream()
                .sorted(Comparator.comparing(ResourceWrite::type).thenComparing(ResourceWrite::id))
                .forEach(write -> byReference.put(write.reference(), write(write, now, event)));
        List<StoredVersion> versions = writes.stream().map(write -> byReference.get(write.reference())).toList();

        StoreResult result = new StoreResult(false, versions);
        if (event != null) {
            jdbc.update("UPDATE processed_event SET resource_count = ?, versions_created = ?"
                    + " WHERE event_source = ? AND event_id = ? AND data_sha256 = ?",
                    versions.size(), result.versionsCreated(), event.source(), event.id(), event.dataSha256());
        }
        return result;
    }

    /** Inserts the event row; false when it exists. A concurrent insert of the same key blocks until commit. */
    private boolean claim(EventKey event) {
        int inserted = jdbc.update("INSERT INTO processed_event (event_source, event_id, data_sha256, processed_at)"
                + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                event.source(), event.id(), event.dataSha256(), OffsetDateTime.now(clock));
        return inserted == 1;
    }

    private StoredVersion write(ResourceWrite write, Instant now, EventKey event) {
        String hash = fhir.contentHash(write.resource());
        Current current = lockCurrent(write);
        if (current == null) {
            StoredVersion first = insertFirst(write, hash, now, event);
            if (first != null) {
                return first;
            }
            // Another transaction created the resource after our lookup; it is committed now, so lock it.
            current = lockCurrent(write);
        }
        if (current.hash().equals(hash)) {
            return new StoredVersion(write.type(), write.id(), current.versionId(), current.lastUpdated(), false,
                    false);
        }
        if (ResultStatusOrder.isBehind(write.resource(), current.status())) {
            return new StoredVersion(write.type(), write.id(), current.versionId(), current.lastUpdated(), false,
                    false);
        }
        return insertNext(write, hash, current, now, event);
    }

    private Current lockCurrent(ResourceWrite write) {
        List<Current> rows = jdbc.query("SELECT version_id, last_updated, content_sha256, content->>'status'"
                + " FROM resource_current WHERE resource_type = ? AND resource_id = ? FOR UPDATE",
                (rs, row) -> new Current(rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant(),
                        rs.getString(3), rs.getString(4)),
                write.type(), write.id());
        return rows.isEmpty() ? null : rows.get(0);
    }

    private StoredVersion insertFirst(ResourceWrite write, String hash, Instant now, EventKey event) {
        String content = withMeta(write.resource(), 1, now);
        int inserted = jdbc.update("INSERT INTO resource_current (resource_type, resource_id, version_id,"
                + " last_updated, patient_id, content_sha256, content) VALUES (?, ?, 1, ?, ?, ?, ?::jsonb)"
                + " ON CONFLICT DO NOTHING",
                write.type(), write.id(), utc(now), fhir.patientId(write.resource()), hash, content);
        if (inserted == 0) {
            return null;
        }
        insertHistory(write, 1, now, event, content);
        return new StoredVersion(write.type(), write.id(), 1, now, true, true);
    }

    private StoredVersion insertNext(ResourceWrite write, String hash, Current current, Instant now,
            EventKey event) {
        long version = current.versionId() + 1;
        // Keep lastUpdated monotonic per resource even when this transaction waited behind a later one.
        Instant lastUpdated = now.isAfter(current.lastUpdated()) ? now : current.lastUpdated().plusMillis(1);
        String content = withMeta(write.resource(), version, lastUpdated);
        jdbc.update("UPDATE resource_current SET version_id = ?, last_updated = ?, patient_id = ?,"
                + " content_sha256 = ?, content = ?::jsonb WHERE resource_type = ? AND resource_id = ?",
                version, utc(lastUpdated), fhir.patientId(write.resource()), hash, content, write.type(),
                write.id());
        insertHistory(write, version, lastUpdated, event, content);
        return new StoredVersion(write.type(), write.id(), version, lastUpdated, false, true);
    }

    private void insertHistory(ResourceWrite write, long version, Instant lastUpdated, EventKey event,
            String content) {
        jdbc.update("INSERT INTO resource_history (resource_type, resource_id, version_id, last_updated,"
                + " event_source, event_id, content) VALUES (?, ?, ?, ?, ?, ?, ?::jsonb)",
                write.type(), write.id(), version, utc(lastUpdated), event == null ? null : event.source(),
                event == null ? null : event.id(), content);
    }

    /**
     * The resource as stored: the sender's content with the store's versionId and lastUpdated. Limitation: jsonb
     * keeps a decimal's value and scale but not an exponent form, so {@code 1e2} reads back as {@code 100}.
     */
    private String withMeta(Resource resource, long version, Instant lastUpdated) {
        Resource copy = resource.copy();
        copy.setId(resource.getIdElement().getIdPart());
        copy.getMeta().setVersionId(Long.toString(version));
        copy.getMeta().setLastUpdatedElement(FhirJson.utcInstant(lastUpdated));
        return fhir.encode(copy);
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private record Current(long versionId, Instant lastUpdated, String hash, String status) {
    }
}
