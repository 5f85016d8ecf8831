package org.clinicalfunctions.export;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Synthetic rows for fhir-store's resource_current, made by PostgreSQL itself, for the volume tests: Patients
 * {@code <type>-000001...} and Observations of those patients, each a small valid R4 resource.
 */
final class GeneratedResources {

    private GeneratedResources() {
    }

    /** One INSERT of {@code count} resources of {@code type} ("Patient" or "Observation") across patients. */
    static String insertSql(String type, int count, int patients) {
        String content = "Patient".equals(type)
                ? "jsonb_build_object('resourceType', 'Patient', 'id', rid, 'active', true,"
                        + " 'meta', jsonb_build_object('versionId', '1', 'lastUpdated', '2026-01-01T00:00:00Z'))"
                : "jsonb_build_object('resourceType', 'Observation', 'id', rid, 'status', 'final',"
                        + " 'meta', jsonb_build_object('versionId', '1', 'lastUpdated', '2026-01-01T00:00:00Z'),"
                        + " 'code', jsonb_build_object('coding', jsonb_build_array(jsonb_build_object("
                        + "'system', 'http://loinc.org', 'code', '2823-3'))),"
                        + " 'subject', jsonb_build_object('reference', 'Patient/' || pid),"
                        + " 'valueQuantity', jsonb_build_object('value', g % 7 + 3, 'unit', 'mmol/L'))";
        String patient = "Patient".equals(type) ? "'Patient-' || lpad(g::text, 7, '0')"
                : "'Patient-' || lpad((g % %d + 1)::text, 7, '0')";
        return String.format(Locale.ROOT, "INSERT INTO resource_current (resource_type, resource_id, version_id,"
                + " last_updated, patient_id, content_sha256, content) SELECT '%s', rid, 1, now() - interval '1 hour',"
                + " pid, repeat('0', 64), %s FROM (SELECT g, '%s-' || lpad(g::text, 7, '0') AS rid, %s AS pid"
                + " FROM generate_series(1, %d) g) s", type, content, type,
                patient.replace("%d", Integer.toString(patients)), count);
    }

    static Set<String> ids(String type, int count) {
        Set<String> ids = new HashSet<>();
        for (int i = 1; i <= count; i++) {
            ids.add(String.format(Locale.ROOT, "%s-%07d", type, i));
        }
        return ids;
    }
}
