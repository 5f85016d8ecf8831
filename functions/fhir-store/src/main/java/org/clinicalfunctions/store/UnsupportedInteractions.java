package org.clinicalfunctions.store;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Paths and methods the store does not serve (a capability statement, a DELETE, a history listing) are answered
 * as a FHIR client expects, with an OperationOutcome, instead of Spring's own error JSON. The status stays the
 * HTTP one: 404 or 405.
 */
@RestControllerAdvice
class UnsupportedInteractions {

    private final OperationOutcomes outcomes;

    UnsupportedInteractions(OperationOutcomes outcomes) {
        this.outcomes = outcomes;
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<String> noSuchPath(NoResourceFoundException e) {
        return answer(HttpStatus.NOT_FOUND, new HttpHeaders());
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<String> noSuchMethod(HttpRequestMethodNotSupportedException e) {
        HttpHeaders headers = new HttpHeaders();
        if (e.getSupportedHttpMethods() != null) {
            headers.setAllow(e.getSupportedHttpMethods());
        }
        return answer(HttpStatus.METHOD_NOT_ALLOWED, headers);
    }

    private ResponseEntity<String> answer(HttpStatus status, HttpHeaders headers) {
        headers.set(HttpHeaders.CONTENT_TYPE, OperationOutcomes.FHIR_JSON);
        return new ResponseEntity<>(outcomes.json(StoreProblem.UNSUPPORTED_INTERACTION, "request"), headers, status);
    }
}
