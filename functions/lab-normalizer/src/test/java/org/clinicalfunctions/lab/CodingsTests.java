package org.clinicalfunctions.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Assigning authorities become urn:oid systems only for well-formed ISO OIDs, else local assigner URNs. */
class CodingsTests {

    /** ISO OID dot notation (first arc 0 to 2, no leading zeros) as a regular expression, the scan's oracle. */
    private static final Pattern OID = Pattern.compile("[0-2](\\.(0|[1-9][0-9]*))+");

    @ParameterizedTest
    @ValueSource(strings = {"2.16.840.1.113883.3.72", "1.2", "0.0", "2.0.1", "1", "3.1", "2.", "2..1", "2.01",
        "2.1.", ".2.1", "2.16.840.1.113883.3.72.5.9", "2.a", "2-1", "", "20.1", "2.10.0.100", "2.1 "})
    void recognisesOidsAsTheirSyntaxDoes(String text) {
        boolean expected = OID.matcher(text).matches();

        boolean oid = Codings.isOid(text);

        assertThat(oid).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "LAB ; 2.16.840.1.113883.3.72 ; ISO ; urn:oid:2.16.840.1.113883.3.72",
        "LAB ; 2.16.840.01 ; ISO ; urn:clinicalfunctions:hl7v2:assigner:LAB",
        "; lab.example.org ; DNS ; urn:clinicalfunctions:hl7v2:assigner:lab.example.org",
    })
    void namesTheIdentifierSystem(String namespace, String universalId, String type, String expected) {
        String system = Codings.identifierSystem(namespace == null ? "" : namespace, universalId, type);

        assertThat(system).isEqualTo(expected);
    }
}
