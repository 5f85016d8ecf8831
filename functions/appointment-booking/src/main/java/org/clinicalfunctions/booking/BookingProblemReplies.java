package org.clinicalfunctions.booking;

import java.sql.SQLException;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/** Turns refusals into OperationOutcome answers, and an unreachable database into a 503 to retry. */
@RestControllerAdvice
public class BookingProblemReplies {

    private static final Logger log = LoggerFactory.getLogger(BookingProblemReplies.class);

    private final FhirJson fhir;

    public BookingProblemReplies(FhirJson fhir) {
        this.fhir = fhir;
    }

    @ExceptionHandler(BookingProblem.class)
    public ResponseEntity<String> refused(BookingProblem problem) {
        return ResponseEntity.status(problem.status())
                .header(HttpHeaders.CONTENT_TYPE, FhirJson.CONTENT_TYPE)
                .body(fhir.outcome(problem));
    }

    /** A search or header value of the wrong type ({@code _count=ten}): 400 naming the parameter, not its value. */
    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    public ResponseEntity<String> badParameter(MethodArgumentTypeMismatchException e) {
        return refused(BookingProblem.invalid("BK-144", e.getName(), e.getName() + " has a value of the wrong type"));
    }

    /**
     * A NUL character in a search parameter or a reference reaches PostgreSQL, which stores none (SQLSTATE 22021),
     * and no FHIR string may hold one: 400 naming the resource type of the path; anything else stays a 500.
     */
    @ExceptionHandler(DataIntegrityViolationException.class)
    public ResponseEntity<String> unstorableCharacter(DataIntegrityViolationException e, HttpServletRequest request) {
        if (!(e.getMostSpecificCause() instanceof SQLException sql) || !"22021".equals(sql.getSQLState())) {
            throw e;
        }
        String type = request.getServletPath().replaceFirst("^/([^/]*).*$", "$1");
        return refused(BookingProblem.invalid("BK-145", type.isEmpty() ? "Bundle" : type,
                "a parameter or reference holds a NUL character, which no FHIR string may contain"));
    }

    /** PostgreSQL broke a lock cycle (two moves swapping slots): nothing was changed, a retry may succeed. */
    @ExceptionHandler(PessimisticLockingFailureException.class)
    public ResponseEntity<String> lockConflict(PessimisticLockingFailureException e) {
        return refused(BookingProblem.conflict("BK-202", "Appointment.slot",
                "the slot was being changed by another request; retry"));
    }

    @ExceptionHandler({CannotCreateTransactionException.class, DataAccessResourceFailureException.class})
    public ResponseEntity<String> databaseUnavailable(RuntimeException e) {
        log.warn("database unavailable: {}", e.getClass().getSimpleName());
        BookingProblem problem = BookingProblem.unavailable();
        return ResponseEntity.status(503).header(HttpHeaders.RETRY_AFTER, "2")
                .header(HttpHeaders.CONTENT_TYPE, FhirJson.CONTENT_TYPE)
                .body(fhir.outcome(problem));
    }
}
