package org.clinicalfunctions.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/** Read, vread and search over the stored versions. */
@Component
public class ResourceReads {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate snapshot;

    public ResourceReads(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        // Total and entries from one snapshot, so a searchset never counts resources it does not list or vice versa.
        this.snapshot = new TransactionTemplate(transactions);
        snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        snapshot.setReadOnly(true);
    }

    public Optional<StoredResource> current(String type, String id) {
        return first(jdbc.query("SELECT content::text, version_id, last_updated FROM resource_current"
                + " WHERE resource_type = ? AND resource_id = ?", ResourceReads::storedResource, type, id));
    }

    public Optional<StoredResource> version(String type, String id, long versionId) {
        return first(jdbc.query("SELECT content::text, version_id, last_updated FROM resource_history"
                + " WHERE resource_type = ? AND resource_id = ? AND version_id = ?", ResourceReads::storedResource,
                type, id, versionId));
    }

    /**
     * The total and the first {@code _count} matches, oldest change first, then by id. Not paged: matches past
     * {@code _count} are counted in the total but cannot be fetched, so clients narrow by {@code _lastUpdated}.
     */
    public SearchPage search(SearchQuery query) {
        return snapshot.execute(status -> new SearchPage(count(query),
                query.summaryCount() ? List.of() : matches(query)));
    }

    private long count(SearchQuery query) {
        List<Object> arguments = new ArrayList<>();
        String where = where(query, arguments);
        Long total = jdbc.queryForObject("SELECT count(*) FROM resource_current" + where, Long.class,
                arguments.toArray());
        return total == null ? 0 : total;
    }

    private List<StoredResource> matches(SearchQuery query) {
        List<Object> arguments = new ArrayList<>();
        String where = where(query, arguments);
        arguments.add(query.count());
        return jdbc.query("SELECT content::text, version_id, last_updated FROM resource_current" + where
                + " ORDER BY last_updated, resource_id LIMIT ?", ResourceReads::storedResource, arguments.toArray());
    }

    private static String where(SearchQuery query, List<Object> arguments) {
        StringBuilder where = new StringBuilder(" WHERE resource_type = ?");
        arguments.add(query.type());
        if (!query.patientIds().isEmpty()) {
            where.append(" AND patient_id IN (")
                    .append(String.join(", ", query.patientIds().stream().map(id -> "?").toList()))
                    .append(')');
            arguments.addAll(query.patientIds());
        }
        for (LastUpdatedBound bound : query.lastUpdated()) {
            where.append(" AND ").append(bound.sql());
            arguments.add(bound.low());
            if (bound.high() != null) {
                arguments.add(bound.high());
            }
        }
        return where.toString();
    }

    private static StoredResource storedResource(ResultSet rs, int row) throws SQLException {
        return new StoredResource(rs.getString(1), rs.getLong(2), rs.getObject(3, OffsetDateTime.class).toInstant());
    }

    private static Optional<StoredResource> first(List<StoredResource> rows) {
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }
}
