package org.clinicalfunctions.booking;

/**
 * A refused request, answered as an OperationOutcome naming a stable code and the FHIRPath of the element at
 * fault. Never carries a value from the request.
 */
public final class BookingProblem extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final String issueType;
    private final String expression;

    private BookingProblem(int status, String code, String issueType, String expression, String description) {
        super(description, null, false, false);
        this.status = status;
        this.code = code;
        this.issueType = issueType;
        this.expression = expression;
    }

    /** 400: the request can never succeed as sent (unreadable, structurally incomplete). */
    public static BookingProblem invalid(String code, String expression, String description) {
        return new BookingProblem(400, code, "invalid", expression, description);
    }

    /** 422: readable, but against a business rule (unknown slot, times not the slot's, in the past). */
    public static BookingProblem unprocessable(String code, String expression, String description) {
        return new BookingProblem(422, code, "business-rule", expression, description);
    }

    /** 409: the state changed under the request (the slot is taken). */
    public static BookingProblem conflict(String code, String expression, String description) {
        return new BookingProblem(409, code, "conflict", expression, description);
    }

    public static BookingProblem notFound(String type) {
        return new BookingProblem(404, "BK-404", "not-found", type, type + " not found");
    }

    /** 412: {@code If-Match} names a version that is no longer current. */
    public static BookingProblem staleVersion(String type) {
        return new BookingProblem(412, "BK-412", "conflict", type,
                "If-Match does not name the current version of the " + type);
    }

    /** 428: updates must say which version they change (RFC 6585), so none is lost. */
    public static BookingProblem versionRequired(String type) {
        return new BookingProblem(428, "BK-428", "required", type, "updates of " + type + " require If-Match");
    }

    /** 503: the database cannot be reached; a retry later may succeed. */
    public static BookingProblem unavailable() {
        return new BookingProblem(503, "BK-503", "transient", "Appointment", "booking database unavailable");
    }

    public static BookingProblem tooLarge(String type, long maxBytes) {
        return new BookingProblem(413, "BK-413", "too-long", type, "body is larger than " + maxBytes + " bytes");
    }

    public static BookingProblem unsupportedMediaType() {
        return new BookingProblem(415, "BK-415", "not-supported", "Bundle", "body must be application/fhir+json");
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String issueType() {
        return issueType;
    }

    public String expression() {
        return expression;
    }
}
