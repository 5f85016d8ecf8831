package org.clinicalfunctions.export;

import java.util.List;
import java.util.Optional;

import org.clinicalfunctions.auth.AuthProblem;
import org.clinicalfunctions.auth.Caller;
import org.clinicalfunctions.auth.Grant;
import org.clinicalfunctions.auth.Interaction;

/**
 * What a caller may export (IG K12, X01), from its SMART scopes: read and search on every type exported.
 * {@code system/} and {@code user/} scopes reach every patient; a {@code patient/} scope only its own
 * compartment, so it is accepted at Patient level and limits the export to that patient.
 */
final class ExportAccess {

    private ExportAccess() {
    }

    /** The patient the caller is limited to, if any; 403 when the level is beyond a patient scope. */
    static Optional<String> boundPatient(Caller caller, ExportLevel level, List<String> requestedTypes) {
        Optional<String> bound = Optional.empty();
        for (String type : requestedTypes == null ? List.of("Patient") : requestedTypes) {
            Optional<String> patient = grant(caller, type).boundPatient();
            if (patient.isPresent() && level != ExportLevel.PATIENT) {
                throw AuthProblem.otherPatient(level == ExportLevel.GROUP ? "Group" : type);
            }
            bound = bound.or(() -> patient);
        }
        return bound;
    }

    /** Whether the caller may read and search {@code type}; a 403 is left to the caller of this method. */
    static boolean mayExport(Caller caller, String type) {
        try {
            grant(caller, type);
            return true;
        } catch (AuthProblem e) {
            return false;
        }
    }

    /** Read and search both, for one type; throws the 403 of the one missing. */
    static Grant grant(Caller caller, String type) {
        caller.require(type, Interaction.SEARCH);
        return caller.require(type, Interaction.READ);
    }
}
