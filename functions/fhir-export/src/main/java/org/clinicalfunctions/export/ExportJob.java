package org.clinicalfunctions.export;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A job as stored in {@code export_job}.
 *
 * @param filters the {@code _typeFilter} queries by type, as given ({@code Type?query})
 * @param elements the {@code _elements} by type, {@code "*"} for entries without a type; empty: whole resources
 */
public record ExportJob(
        UUID id,
        String status,
        ExportLevel level,
        String groupId,
        String requestUrl,
        String baseUrl,
        Instant transactionTime,
        Instant since,
        List<String> patientIds,
        Map<String, List<String>> filters,
        Map<String, List<String>> elements,
        boolean requiresAccessToken,
        String clientId,
        Instant finishedAt,
        String failure,
        boolean eventSent) {

    public static final String IN_PROGRESS = "in-progress";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";
    public static final String CANCELLED = "cancelled";
}
