package org.clinicalfunctions.booking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/**
 * Asserts that what the function returns is valid FHIR R4, with HAPI's instance validator against the base
 * specification. Built once per test JVM (it takes seconds); validation itself is thread-safe.
 */
final class R4Validator {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static FhirValidator validator;

    private R4Validator() {
    }

    /** Validates a resource, and each entry of a Bundle as well; fails listing every error. */
    static void assertValid(String json) {
        Resource resource = (Resource) FHIR.newJsonParser().parseResource(json);
        assertThat(errors(resource)).as("R4 validation of %s", resource.fhirType()).isEmpty();
        if (resource instanceof Bundle bundle) {
            bundle.getEntry().stream().filter(e -> e.hasResource())
                    .forEach(e -> assertThat(errors(e.getResource()))
                            .as("R4 validation of %s", e.getResource().fhirType()).isEmpty());
        }
    }

    private static List<String> errors(Resource resource) {
        return validator().validateWithResult(resource).getMessages().stream()
                .filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal())
                .map(m -> m.getLocationString() + " " + m.getMessage())
                .toList();
    }

    private static synchronized FhirValidator validator() {
        if (validator == null) {
            FhirInstanceValidator module = new FhirInstanceValidator(new ValidationSupportChain(
                    new DefaultProfileValidationSupport(FHIR), new CommonCodeSystemsTerminologyService(FHIR),
                    new InMemoryTerminologyServerValidationSupport(FHIR),
                    new SnapshotGeneratingValidationSupport(FHIR)));
            validator = FHIR.newValidator().registerValidatorModule(module);
        }
        return validator;
    }
}
