package org.clinicalfunctions.booking;

import java.util.regex.Pattern;

/**
 * The FHIR R4 {@code id} datatype: 1 to 64 of {@code A-Z a-z 0-9 - .}. Ids from a request are checked against it
 * before they reach PostgreSQL, where a NUL cannot be stored and a long id outgrows an index entry: both would
 * otherwise fail as a 500, or as a 503 that a broker retries forever.
 */
final class FhirIds {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

    private FhirIds() {
    }

    static boolean isValid(String id) {
        return id != null && ID.matcher(id).matches();
    }
}
