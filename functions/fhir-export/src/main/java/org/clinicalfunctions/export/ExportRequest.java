package org.clinicalfunctions.export;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A validated kick-off request.
 *
 * @param level system, Patient or Group
 * @param groupId the Group's id at Group level, else null
 * @param types the requested resource types, or null for every type the level offers
 * @param since only resources changed after this instant; null for all
 * @param filters {@code _typeFilter} queries by resource type; the queries of one type are OR-ed
 * @param elements {@code _elements} by resource type, entries without a type under {@code "*"}; empty: none
 * @param patients the {@code patient} parameter's ids (POST only); empty when absent
 * @param skipped what {@code Prefer: handling=lenient} let through instead of refusing it
 */
public record ExportRequest(
        ExportLevel level,
        String groupId,
        List<String> types,
        Instant since,
        Map<String, List<TypeFilter>> filters,
        Map<String, List<String>> elements,
        List<String> patients,
        List<ExportRejection> skipped) {
}
