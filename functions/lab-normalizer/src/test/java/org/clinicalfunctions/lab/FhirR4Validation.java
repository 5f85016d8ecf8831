package org.clinicalfunctions.lab;

import java.util.List;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;

/** The HAPI FHIR R4 instance validator against the base specification (no profiles). Slow to build: share it. */
final class FhirR4Validation {

    private final FhirValidator validator;

    FhirR4Validation(FhirContext fhir) {
        ValidationSupportChain chain = new ValidationSupportChain(
                new DefaultProfileValidationSupport(fhir),
                new CommonCodeSystemsTerminologyService(fhir),
                new InMemoryTerminologyServerValidationSupport(fhir),
                new SnapshotGeneratingValidationSupport(fhir));
        validator = fhir.newValidator().registerValidatorModule(new FhirInstanceValidator(chain));
    }

    /** ERROR and FATAL issues, each as "severity location message". */
    List<String> errors(IBaseResource resource) {
        return validator.validateWithResult(resource).getMessages().stream()
                .filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal())
                .map(FhirR4Validation::describe)
                .toList();
    }

    /** Every issue, warnings included, for diagnosing a failure. */
    List<String> all(IBaseResource resource) {
        return validator.validateWithResult(resource).getMessages().stream().map(FhirR4Validation::describe).toList();
    }

    private static String describe(SingleValidationMessage message) {
        return message.getSeverity() + " " + message.getLocationString() + " " + message.getMessage();
    }
}
