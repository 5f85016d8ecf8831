package org.clinicalfunctions.auth;

import java.util.List;
import java.util.Optional;

/**
 * Who called, as a verified bearer token says: declare a {@code Caller} parameter on a controller method and
 * ask it for each operation, e.g. {@code caller.require("Appointment", Interaction.CREATE)}.
 *
 * @param subject the Entra ID object id ({@code oid}) or else the {@code sub} claim; fit for logs
 * @param patientId the patient in context ({@code patient} claim, or {@code fhirUser} {@code Patient/<id>}),
 *     or {@code null}
 * @param scopes the SMART clinical scopes from {@code scp} (delegated), {@code roles} (application) and
 *     {@code scope}
 */
public record Caller(String subject, String patientId, List<SmartScope> scopes) {

    public Caller {
        scopes = List.copyOf(scopes);
    }

    /** The patient in context, if the token carries one. */
    public Optional<String> patient() {
        return Optional.ofNullable(patientId);
    }

    /**
     * The grant for one interaction, or a 403 {@link AuthProblem}. A {@code user/} or {@code system/} scope
     * gives an unbounded grant; a {@code patient/} scope alone gives one bound to the patient in context.
     */
    public Grant require(String resourceType, Interaction interaction) {
        boolean patientScoped = false;
        for (SmartScope scope : scopes) {
            if (scope.allows(resourceType, interaction)) {
                if (!scope.isPatientScope()) {
                    return new Grant(resourceType, interaction, null);
                }
                patientScoped = true;
            }
        }
        if (!patientScoped) {
            throw AuthProblem.insufficientScope(resourceType, interaction);
        }
        if (patientId == null) {
            throw AuthProblem.noPatientContext(resourceType);
        }
        return new Grant(resourceType, interaction, patientId);
    }
}
