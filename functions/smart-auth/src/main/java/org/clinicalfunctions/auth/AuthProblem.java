package org.clinicalfunctions.auth;

import java.util.Locale;

/**
 * Why a request was not let through, answered by {@link AuthProblemReplies} as an OperationOutcome with the
 * status and {@code WWW-Authenticate} header of RFC 6750. Descriptions name the rule, never a claim's value.
 */
public final class AuthProblem extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final String bearerError;
    private final String requiredScope;

    private AuthProblem(int status, String code, String bearerError, String description, String requiredScope) {
        super(description, null, false, false);
        this.status = status;
        this.code = code;
        this.bearerError = bearerError;
        this.requiredScope = requiredScope;
    }

    /** RFC 6750 3.1: a request without credentials gets a challenge without an error code. */
    public static AuthProblem missingToken() {
        return new AuthProblem(401, "AU-101", null, "bearer token required", null);
    }

    /** The token was present but failed verification; {@code reason} says which rule, e.g. "token expired". */
    public static AuthProblem invalidToken(String reason) {
        return new AuthProblem(401, "AU-102", "invalid_token", reason, null);
    }

    public static AuthProblem insufficientScope(String resourceType, Interaction interaction) {
        String scope = "patient/" + resourceType + "." + interaction.letter()
                + " user/" + resourceType + "." + interaction.letter()
                + " system/" + resourceType + "." + interaction.letter();
        return new AuthProblem(403, "AU-201", "insufficient_scope",
                "no scope grants " + interaction.name().toLowerCase(Locale.ROOT) + " on " + resourceType, scope);
    }

    public static AuthProblem otherPatient(String resourceType) {
        return new AuthProblem(403, "AU-202", "insufficient_scope",
                resourceType + " belongs to another patient than the one in the token's context", null);
    }

    public static AuthProblem noPatientContext(String resourceType) {
        return new AuthProblem(403, "AU-203", "insufficient_scope",
                "patient scope on " + resourceType + " without a patient or fhirUser claim", null);
    }

    /** The issuer's key set could not be fetched: a retry later may succeed (503). */
    public static AuthProblem keysUnavailable() {
        return new AuthProblem(503, "AU-301", null, "signing keys of the token issuer are unavailable", null);
    }

    public int status() {
        return status;
    }

    /** Stable code, first word of the OperationOutcome diagnostics. */
    public String code() {
        return code;
    }

    /** RFC 6750 error code, or {@code null} when the challenge carries none. */
    public String bearerError() {
        return bearerError;
    }

    /** Scopes that would have been enough, for the challenge's {@code scope} attribute; may be {@code null}. */
    public String requiredScope() {
        return requiredScope;
    }
}
