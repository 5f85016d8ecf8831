package org.clinicalfunctions.store;

import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * Every way a request to the store can fail, each with a stable code. Diagnostics name the code and a location,
 * never a value from the request: the values are patient data.
 */
public enum StoreProblem {

    NOT_JSON("FS-100", IssueType.STRUCTURE, "body is not JSON"),
    NOT_A_BUNDLE("FS-101", IssueType.STRUCTURE, "body is not a FHIR Bundle"),
    NOT_A_TRANSACTION("FS-102", IssueType.NOTSUPPORTED, "Bundle.type is not transaction"),
    MALFORMED_ENTRY("FS-103", IssueType.STRUCTURE, "Bundle entry is not an object"),
    UNSUPPORTED_METHOD("FS-104", IssueType.NOTSUPPORTED, "request.method is missing or not PUT"),
    MISSING_URL("FS-105", IssueType.REQUIRED, "request.url is missing"),
    UNSUPPORTED_URL("FS-106", IssueType.NOTSUPPORTED, "request.url is not of the form Type/id"),
    UNKNOWN_TYPE("FS-107", IssueType.NOTSUPPORTED, "resource type is not a FHIR R4 resource"),
    MISSING_RESOURCE("FS-108", IssueType.REQUIRED, "entry has no resource"),
    TYPE_ID_MISMATCH("FS-109", IssueType.INVALID, "resource type or id differs from request.url"),
    INVALID_RESOURCE("FS-110", IssueType.STRUCTURE, "resource is not valid FHIR R4 JSON"),
    DUPLICATE_ENTRY("FS-111", IssueType.DUPLICATE, "resource appears twice in the transaction"),
    UNSUPPORTED_MEDIA_TYPE("FS-112", IssueType.NOTSUPPORTED, "content type is not FHIR JSON"),
    INVALID_EVENT("FS-113", IssueType.STRUCTURE, "request is not a valid CloudEvent"),
    UNSUPPORTED_INTERACTION("FS-114", IssueType.NOTSUPPORTED, "no such interaction at this path and method"),
    UNSUPPORTED_EVENT_TYPE("FS-115", IssueType.NOTSUPPORTED, "CloudEvent type is not one the store keeps"),
    UNKNOWN_SEARCH_PARAMETER("FS-120", IssueType.NOTSUPPORTED, "unknown search parameter"),
    INVALID_SEARCH_VALUE("FS-121", IssueType.INVALID, "search parameter value is not valid"),
    NOT_FOUND("FS-404", IssueType.NOTFOUND, "resource not found"),
    UNKNOWN_RESOURCE_TYPE("FS-405", IssueType.NOTSUPPORTED, "unknown resource type"),
    BODY_TOO_LARGE("FS-413", IssueType.TOOLONG, "body is larger than the configured limit"),
    DATABASE_UNAVAILABLE("FS-503", IssueType.TRANSIENT, "database unavailable, try again");

    private final String code;
    private final IssueType issueType;
    private final String text;

    StoreProblem(String code, IssueType issueType, String text) {
        this.code = code;
        this.issueType = issueType;
        this.text = text;
    }

    public String code() {
        return code;
    }

    public IssueType issueType() {
        return issueType;
    }

    /** The diagnostics line: code, what is wrong, and where. */
    public String diagnostics(String location) {
        return code + " " + text + " at " + location;
    }
}
