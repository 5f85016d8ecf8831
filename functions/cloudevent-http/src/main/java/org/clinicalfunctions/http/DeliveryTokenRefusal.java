package org.clinicalfunctions.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.messaging.Message;

/**
 * Why a broker delivery was refused. A 401 is not retried by Knative, so the event goes to the Trigger's dead-letter
 * sink at once, with this answer's body; a 503 (the issuer's keys could not be fetched) is retried. The description
 * names the rule that failed, never a claim's value, and the token itself is never kept.
 */
public final class DeliveryTokenRefusal extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int status;
    private final String code;

    private DeliveryTokenRefusal(int status, String code, String description) {
        super(description, null, false, false);
        this.status = status;
        this.code = code;
    }

    /** RFC 6750 3.1: no credentials, a challenge without an error code. */
    static DeliveryTokenRefusal missing() {
        return new DeliveryTokenRefusal(401, "EV-101", "event delivery token required");
    }

    /** The token is there but breaks a rule; {@code code} is EV-102 to EV-110. */
    static DeliveryTokenRefusal invalid(String code, String description) {
        return new DeliveryTokenRefusal(401, code, description);
    }

    /** The issuer's key set could not be fetched: a retry may succeed. */
    static DeliveryTokenRefusal keysUnavailable() {
        return new DeliveryTokenRefusal(503, "EV-301", "signing keys of the event delivery issuer are unavailable");
    }

    public int status() {
        return status;
    }

    /** Stable code, first word of every body. */
    public String code() {
        return code;
    }

    /** The {@code WWW-Authenticate} value of a 401, null for a 503. */
    public String challenge() {
        if (status != 401) {
            return null;
        }
        String challenge = "Bearer realm=\"clinical-functions-eventing\"";
        return "EV-101".equals(code) ? challenge
                : challenge + ", error=\"invalid_token\", error_description=\"" + getMessage() + "\"";
    }

    /** An RFC 9457 problem: the platform's default answer. */
    public String problemJson() {
        return JSON.createObjectNode().put("title", code + " " + getMessage()).put("status", status).toString();
    }

    /** A FHIR OperationOutcome, for functions whose callers speak FHIR. */
    public String operationOutcome() {
        ObjectNode outcome = JSON.createObjectNode().put("resourceType", "OperationOutcome");
        ObjectNode issue = outcome.putArray("issue").addObject()
                .put("severity", "error")
                .put("code", status == 401 ? "login" : "transient")
                .put("diagnostics", code + " " + getMessage());
        issue.putObject("details").putArray("coding").addObject()
                .put("system", "https://clinicalfunctions.org/fhir/CodeSystem/event-delivery-problem")
                .put("code", code);
        return outcome.toString();
    }

    /** {@code WWW-Authenticate} for a refused token (401), {@code Retry-After} when the keys were unreachable. */
    public String responseHeaderName() {
        return status == 401 ? "WWW-Authenticate" : "Retry-After";
    }

    /** The value of {@link #responseHeaderName()}. */
    public String responseHeaderValue() {
        return status == 401 ? challenge() : "5";
    }

    /** The plain HTTP answer with this refusal's status and {@code WWW-Authenticate} or {@code Retry-After}. */
    public Message<byte[]> reply(String contentType, String body) {
        return FunctionReply.withResponseHeader(FunctionReply.http(status, contentType, body), responseHeaderName(),
                responseHeaderValue());
    }
}
