package org.clinicalfunctions.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Answers an {@link AuthProblem} with a FHIR OperationOutcome and the RFC 6750 challenge:
 * {@code WWW-Authenticate: Bearer realm="...", error="invalid_token", error_description="..."}.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class AuthProblemReplies {

    /** Content type of the OperationOutcome bodies. */
    public static final MediaType FHIR_JSON = MediaType.parseMediaType("application/fhir+json;charset=UTF-8");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String realm;

    public AuthProblemReplies(SmartAuthProperties properties) {
        this.realm = properties.realm();
    }

    @ExceptionHandler(AuthProblem.class)
    public ResponseEntity<String> reply(AuthProblem problem) {
        ResponseEntity.BodyBuilder reply = ResponseEntity.status(problem.status()).contentType(FHIR_JSON);
        if (problem.status() == 503) {
            reply.header(HttpHeaders.RETRY_AFTER, "5");
        } else {
            reply.header(HttpHeaders.WWW_AUTHENTICATE, challenge(problem));
        }
        return reply.body(operationOutcome(problem));
    }

    /** The {@code WWW-Authenticate} value for a problem. */
    public String challenge(AuthProblem problem) {
        StringBuilder value = new StringBuilder("Bearer realm=\"").append(realm).append('"');
        if (problem.bearerError() != null) {
            value.append(", error=\"").append(problem.bearerError()).append('"')
                    .append(", error_description=\"").append(problem.getMessage()).append('"');
        }
        if (problem.requiredScope() != null) {
            value.append(", scope=\"").append(problem.requiredScope()).append('"');
        }
        return value.toString();
    }

    /** The OperationOutcome for a problem: issue code login, forbidden or transient, diagnostics with the code. */
    public static String operationOutcome(AuthProblem problem) {
        ObjectNode outcome = JSON.createObjectNode().put("resourceType", "OperationOutcome");
        ObjectNode issue = outcome.putArray("issue").addObject()
                .put("severity", "error")
                .put("code", issueType(problem.status()))
                .put("diagnostics", problem.code() + " " + problem.getMessage());
        issue.putObject("details").putArray("coding").addObject()
                .put("system", "https://clinicalfunctions.org/fhir/CodeSystem/auth-problem")
                .put("code", problem.code());
        return outcome.toString();
    }

    private static String issueType(int status) {
        if (status == 401) {
            return "login";
        }
        return status == 403 ? "forbidden" : "transient";
    }
}
