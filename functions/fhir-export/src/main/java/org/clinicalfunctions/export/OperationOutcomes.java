package org.clinicalfunctions.export;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/** OperationOutcome bodies of the export's answers and of the lenient-mode error file. */
@Component
public class OperationOutcomes {

    /** Content type of every FHIR body the export writes. */
    public static final String FHIR_JSON = "application/fhir+json;charset=UTF-8";

    private final FhirContext fhir;

    public OperationOutcomes(FhirContext fhir) {
        this.fhir = fhir;
    }

    public String json(ExportProblem problem, String location) {
        return fhir.newJsonParser().encodeResourceToString(problem.outcome(IssueSeverity.ERROR, location));
    }

    /** A warning for the manifest's error files: what {@code handling=lenient} let pass, on one line. */
    public String skippedJson(ExportProblem problem, String location) {
        return fhir.newJsonParser().setPrettyPrint(false)
                .encodeResourceToString(problem.outcome(IssueSeverity.WARNING, location));
    }

    public ResponseEntity<String> reply(int status, ExportProblem problem, String location) {
        return ResponseEntity.status(status).header(HttpHeaders.CONTENT_TYPE, FHIR_JSON).body(json(problem, location));
    }
}
