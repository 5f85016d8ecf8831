package org.clinicalfunctions.export;

import ca.uhn.fhir.context.FhirContext;

/** Membership of the R4 Patient compartment, from HAPI's search parameter registry. */
final class PatientCompartment {

    private PatientCompartment() {
    }

    static boolean contains(FhirContext fhir, String resourceType) {
        if ("Patient".equals(resourceType)) {
            return true;
        }
        return !fhir.getResourceDefinition(resourceType).getSearchParamsForCompartmentName("Patient").isEmpty();
    }
}
