package org.clinicalfunctions.lab;

import org.hl7.fhir.r4.model.DiagnosticReport.DiagnosticReportStatus;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Observation.ObservationStatus;
import org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestStatus;

/** HL7 v2 status and code tables mapped to FHIR R4 value sets, per the v2-to-FHIR IG concept maps. */
final class ResultStatuses {

    private ResultStatuses() {
    }

    /** OBR-25 result status (HL7 table 0123). An empty or unknown status is "unknown", not a guess. */
    static DiagnosticReportStatus reportStatus(String code) {
        return switch (code) {
            case "O", "I" -> DiagnosticReportStatus.REGISTERED;
            case "S", "A" -> DiagnosticReportStatus.PARTIAL;
            case "P", "R" -> DiagnosticReportStatus.PRELIMINARY;
            case "C" -> DiagnosticReportStatus.CORRECTED;
            case "F" -> DiagnosticReportStatus.FINAL;
            case "X" -> DiagnosticReportStatus.CANCELLED;
            default -> DiagnosticReportStatus.UNKNOWN;
        };
    }

    /**
     * ServiceRequest.status from ORC-5 order status (HL7 table 0038), else from OBR-25: a final or corrected result
     * completes the order, a cancelled one revokes it, any other result leaves it active.
     */
    static ServiceRequestStatus requestStatus(String orderStatus, String resultStatus) {
        return switch (orderStatus) {
            case "CM" -> ServiceRequestStatus.COMPLETED;
            case "CA", "DC", "RP" -> ServiceRequestStatus.REVOKED;
            case "HD" -> ServiceRequestStatus.ONHOLD;
            case "ER" -> ServiceRequestStatus.ENTEREDINERROR;
            case "A", "IP", "SC" -> ServiceRequestStatus.ACTIVE;
            default -> switch (resultStatus) {
                case "F", "C" -> ServiceRequestStatus.COMPLETED;
                case "X" -> ServiceRequestStatus.REVOKED;
                case "" -> ServiceRequestStatus.UNKNOWN;
                default -> ServiceRequestStatus.ACTIVE;
            };
        };
    }

    /** OBX-11 observation result status (HL7 table 0085). */
    static ObservationStatus observationStatus(String code) {
        return switch (code) {
            case "O", "I" -> ObservationStatus.REGISTERED;
            case "P", "R", "S" -> ObservationStatus.PRELIMINARY;
            case "F", "U", "N" -> ObservationStatus.FINAL;
            case "C" -> ObservationStatus.CORRECTED;
            case "A", "B" -> ObservationStatus.AMENDED;
            case "D", "W" -> ObservationStatus.ENTEREDINERROR;
            case "X" -> ObservationStatus.CANCELLED;
            default -> ObservationStatus.UNKNOWN;
        };
    }

    /** The dataAbsentReason for an empty OBX-5, or null when the status says no value is expected yet. */
    static String absentReason(String code) {
        return switch (code) {
            case "X" -> "not-performed";
            case "N" -> "not-asked";
            case "F", "C", "A", "B", "U" -> "unknown";
            default -> null;
        };
    }

    /** PID-8 administrative sex (HL7 table 0001). */
    static AdministrativeGender gender(String code) {
        return switch (code) {
            case "F" -> AdministrativeGender.FEMALE;
            case "M" -> AdministrativeGender.MALE;
            case "O", "A" -> AdministrativeGender.OTHER;
            case "U", "N" -> AdministrativeGender.UNKNOWN;
            default -> null;
        };
    }
}
