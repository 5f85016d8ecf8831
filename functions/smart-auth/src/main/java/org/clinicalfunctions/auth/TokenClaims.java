package org.clinicalfunctions.auth;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.nimbusds.jwt.JWTClaimsSet;

/** Reads a {@link Caller} out of verified claims, Entra ID's names first. */
final class TokenClaims {

    private static final String PATIENT_REFERENCE = "Patient/";

    private TokenClaims() {
    }

    static Caller caller(JWTClaimsSet claims) {
        List<SmartScope> scopes = new ArrayList<>();
        for (String value : scopeStrings(claims)) {
            SmartScope.parse(value).ifPresent(scopes::add);
        }
        return new Caller(subject(claims), patient(claims), scopes);
    }

    private static String subject(JWTClaimsSet claims) {
        String oid = string(claims, "oid");
        return oid != null ? oid : claims.getSubject();
    }

    /** SMART launch context {@code patient}, else a {@code fhirUser} that is a Patient (relative or absolute). */
    private static String patient(JWTClaimsSet claims) {
        String patient = string(claims, "patient");
        if (patient != null && !patient.isBlank()) {
            return patient;
        }
        String fhirUser = string(claims, "fhirUser");
        if (fhirUser == null) {
            return null;
        }
        int at = fhirUser.lastIndexOf(PATIENT_REFERENCE);
        boolean isPatient = at == 0 || at > 0 && fhirUser.charAt(at - 1) == '/';
        String id = isPatient ? fhirUser.substring(at + PATIENT_REFERENCE.length()) : "";
        return id.isEmpty() || id.contains("/") ? null : id;
    }

    /** {@code scp} is space separated (delegated), {@code roles} a list (application), {@code scope} as RFC 8693. */
    private static Set<String> scopeStrings(JWTClaimsSet claims) {
        Set<String> values = new LinkedHashSet<>();
        addSpaceSeparated(values, string(claims, "scp"));
        addSpaceSeparated(values, string(claims, "scope"));
        try {
            List<String> roles = claims.getStringListClaim("roles");
            if (roles != null) {
                values.addAll(roles);
            }
        } catch (ParseException e) {
            return values;
        }
        return values;
    }

    private static void addSpaceSeparated(Set<String> values, String claim) {
        if (claim != null) {
            for (String value : claim.trim().split("\\s+")) {
                if (!value.isEmpty()) {
                    values.add(value);
                }
            }
        }
    }

    private static String string(JWTClaimsSet claims, String name) {
        Object value = claims.getClaim(name);
        return value instanceof String text ? text : null;
    }
}
