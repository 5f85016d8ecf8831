package org.clinicalfunctions.auth;

import java.util.Optional;

/**
 * Permission for one interaction, possibly bound to a patient.
 *
 * @param resourceType the resource type granted
 * @param interaction the interaction granted
 * @param patientId the only patient whose resources this grant reaches, or {@code null} for any patient
 */
public record Grant(String resourceType, Interaction interaction, String patientId) {

    /** The patient this grant is limited to; empty for user and system grants. */
    public Optional<String> boundPatient() {
        return Optional.ofNullable(patientId);
    }

    /** Whether the grant reaches the resources of {@code patient} (a bare id, as in {@code Patient/<id>}). */
    public boolean reaches(String patient) {
        return patientId == null || patientId.equals(patient);
    }

    /** Throws a 403 {@link AuthProblem} unless the grant reaches {@code patient}. */
    public void requirePatient(String patient) {
        if (!reaches(patient)) {
            throw AuthProblem.otherPatient(resourceType);
        }
    }
}
