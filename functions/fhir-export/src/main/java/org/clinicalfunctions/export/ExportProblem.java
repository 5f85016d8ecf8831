package org.clinicalfunctions.export;

import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/** Every error the export answers, with its stable code. Diagnostics name the parameter, never its value. */
public enum ExportProblem {
    PREFER_MISSING("FX-101", IssueType.INVALID, "the kick-off needs the header Prefer: respond-async"),
    ACCEPT_UNSUPPORTED("FX-102", IssueType.NOTSUPPORTED, "Accept must allow application/fhir+json"),
    OUTPUT_FORMAT_UNSUPPORTED("FX-103", IssueType.NOTSUPPORTED,
            "the output format is not one of application/fhir+ndjson, application/ndjson, ndjson"),
    TYPE_UNKNOWN("FX-104", IssueType.NOTSUPPORTED, "a resource type is unknown to FHIR R4 or not exported here"),
    SINCE_INVALID("FX-105", IssueType.INVALID, "not a FHIR instant with seconds and a time zone offset"),
    TYPE_FILTER_UNSUPPORTED("FX-106", IssueType.NOTSUPPORTED,
            "the _typeFilter query uses a search parameter, modifier or form this server does not support"),
    PARAMETER_UNSUPPORTED("FX-107", IssueType.NOTSUPPORTED, "this parameter is not supported"),
    PATIENT_NOT_ALLOWED("FX-108", IssueType.INVALID,
            "the patient parameter is only accepted in a POST at Patient or Group level"),
    PATIENT_UNKNOWN("FX-109", IssueType.NOTFOUND, "a patient is not on this server or not a member of the Group"),
    BODY_INVALID("FX-110", IssueType.INVALID, "the body is not a FHIR Parameters resource in JSON"),
    TYPE_NOT_IN_COMPARTMENT("FX-111", IssueType.NOTSUPPORTED,
            "a resource type is outside the Patient compartment, so Patient and Group exports have none"),
    CHUNK_EVENT_INVALID("FX-112", IssueType.INVALID,
            "not an org.clinicalfunctions.fhir.export.chunk.ready CloudEvent whose data names a job and a chunk"),
    CHUNK_HELD("FX-431", IssueType.TRANSIENT, "another worker holds this chunk; deliver again after Retry-After"),
    CHUNK_ATTEMPT_FAILED("FX-501", IssueType.TRANSIENT, "this attempt at the chunk failed; deliver it again"),
    ELEMENT_UNSUPPORTED("FX-113", IssueType.NOTSUPPORTED,
            "an _elements entry is not Type.element or element naming a top-level element of an R4 resource type"),
    GROUP_UNKNOWN("FX-404", IssueType.NOTFOUND, "no Group with this id"),
    JOB_UNKNOWN("FX-405", IssueType.NOTFOUND, "no export job at this address, or it was cancelled or expired"),
    FILE_UNKNOWN("FX-406", IssueType.NOTFOUND, "no export file at this address"),
    POLLED_TOO_OFTEN("FX-429", IssueType.THROTTLED, "polled too often: wait for Retry-After"),
    EXPORT_RUNNING("FX-430", IssueType.THROTTLED,
            "this client has an export in progress: wait for it, or cancel it, and kick off again"),
    JOB_FAILED("FX-500", IssueType.EXCEPTION, "the export failed; start a new one"),
    UNAUTHORIZED_FILE("FX-403", IssueType.FORBIDDEN, "this export belongs to another client"),
    DATABASE_UNAVAILABLE("FX-503", IssueType.TRANSIENT, "the database is unavailable; try again later");

    private final String code;
    private final IssueType issueType;
    private final String text;

    ExportProblem(String code, IssueType issueType, String text) {
        this.code = code;
        this.issueType = issueType;
        this.text = text;
    }

    /** The diagnostics of an issue: code, text and where, e.g. {@code FX-104 ... at _type}. */
    public String diagnostics(String location) {
        return code + " " + text + " at " + location;
    }

    /** An OperationOutcome with one issue of this problem at {@code location}, of the given severity. */
    public OperationOutcome outcome(IssueSeverity severity, String location) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(severity).setCode(issueType).setDiagnostics(diagnostics(location))
                .addExpression(location);
        return outcome;
    }
}
