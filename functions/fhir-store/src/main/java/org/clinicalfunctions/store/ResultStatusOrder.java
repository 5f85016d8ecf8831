package org.clinicalfunctions.store;

import java.util.Map;

import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Resource;

/**
 * Keeps a lab result from going back in its life cycle when messages arrive out of order: a final result that
 * reaches the store after its correction must not become current again, or a clinician reads the value the
 * laboratory withdrew. Statuses rank registered, preliminary, final, then amended/corrected, then
 * entered-in-error (FHIR R4 observation-status and diagnostic-report-status); within one rank the last arrival
 * wins.
 */
final class ResultStatusOrder {

    private static final Map<String, Integer> RANK = Map.ofEntries(
            Map.entry("registered", 1), Map.entry("preliminary", 2), Map.entry("partial", 2),
            Map.entry("final", 3), Map.entry("amended", 4), Map.entry("corrected", 4), Map.entry("appended", 4),
            Map.entry("cancelled", 4), Map.entry("entered-in-error", 5));

    private ResultStatusOrder() {
    }

    /** True when the stored version is further in its life cycle than the incoming one, which is then not kept. */
    static boolean isBehind(Resource incoming, String currentStatus) {
        String status = statusOf(incoming);
        if (status == null || currentStatus == null) {
            return false;
        }
        return RANK.getOrDefault(status, 0) < RANK.getOrDefault(currentStatus, 0);
    }

    private static String statusOf(Resource resource) {
        if (resource instanceof Observation observation && observation.hasStatus()) {
            return observation.getStatus().toCode();
        }
        if (resource instanceof DiagnosticReport report && report.hasStatus()) {
            return report.getStatus().toCode();
        }
        return null;
    }
}
