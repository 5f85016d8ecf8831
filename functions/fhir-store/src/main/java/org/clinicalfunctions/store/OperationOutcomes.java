package org.clinicalfunctions.store;

import org.clinicalfunctions.http.FunctionReply;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.springframework.messaging.Message;
import org.springframework.stereotype.Component;

/** Builds the OperationOutcome bodies of the store's error answers. */
@Component
public class OperationOutcomes {

    /** Content type of every FHIR body the store writes. */
    public static final String FHIR_JSON = "application/fhir+json;charset=UTF-8";

    private final FhirJson fhir;

    public OperationOutcomes(FhirJson fhir) {
        this.fhir = fhir;
    }

    public String json(StoreProblem problem, String location) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue()
                .setSeverity(IssueSeverity.ERROR)
                .setCode(problem.issueType())
                .setDiagnostics(problem.diagnostics(location))
                .addExpression(location);
        return fhir.encode(outcome);
    }

    /** Any FHIR resource as JSON, for answers that are not errors. */
    public String encode(IBaseResource resource) {
        return fhir.encode(resource);
    }

    /** A function answer carrying an OperationOutcome. */
    public Message<byte[]> reply(int status, StoreProblem problem, String location) {
        return FunctionReply.http(status, FHIR_JSON, json(problem, location));
    }
}
