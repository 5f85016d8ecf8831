package org.clinicalfunctions.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Resource ids stay the version 3 UUIDs the store already holds: a changed id would duplicate every resource. */
class ResourceKeysTests {

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "LAB-A ; MSG0001 ; obx-1",
        "urn:oid:2.16.840.1.113883.3.72 ; 12345 ; patient",
        "Müller-Lüdenscheid ; ; observation",
        "; ; ",
    })
    void idsAreNameBasedUuidsOfThePartsJoinedByBars(String first, String second, String third) {
        String[] parts = {first == null ? "" : first, second == null ? "" : second, third == null ? "" : third};
        String joined = String.join("|", parts);

        String id = ResourceKeys.idOf(parts);

        assertThat(id).isEqualTo(UUID.nameUUIDFromBytes(joined.getBytes(StandardCharsets.UTF_8)).toString());
        assertThat(UUID.fromString(id).version()).isEqualTo(3);
    }
}
