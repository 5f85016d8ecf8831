package org.clinicalfunctions.lab;

import java.time.ZoneId;

import ca.uhn.fhir.context.FhirContext;

/** One FHIR context, normalizer and validator for the mapping tests: each is costly to build and thread-safe. */
final class LabFixtures {

    static final FhirContext FHIR = LabResultNormalizer.newFhirContext();
    static final LabResultNormalizer NORMALIZER =
            new LabResultNormalizer(FHIR, new LabNormalizerProperties(ZoneId.of("UTC")));

    private static FhirR4Validation validation;

    private LabFixtures() {
    }

    /** The R4 validator, built on first use (several seconds). */
    static synchronized FhirR4Validation validation() {
        if (validation == null) {
            validation = new FhirR4Validation(FHIR);
        }
        return validation;
    }
}
