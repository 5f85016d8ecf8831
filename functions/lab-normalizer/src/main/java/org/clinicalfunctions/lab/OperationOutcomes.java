package org.clinicalfunctions.lab;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/** FHIR OperationOutcome bodies for refused messages: a stable code and a location, never a field value. */
final class OperationOutcomes {

    private OperationOutcomes() {
    }

    /** One error issue; {@code location} is an HL7 location such as {@code OBX[2]-5}, or empty. */
    static String error(FhirContext fhir, IssueType type, String diagnostics, String location) {
        OperationOutcome outcome = new OperationOutcome();
        OperationOutcome.OperationOutcomeIssueComponent issue = outcome.addIssue()
                .setSeverity(IssueSeverity.ERROR).setCode(type).setDiagnostics(diagnostics);
        if (location != null && !location.isEmpty()) {
            issue.addLocation(location);
        }
        return fhir.newJsonParser().encodeResourceToString(outcome);
    }
}
