package org.clinicalfunctions.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** FHIR R4 search.html#prefix on an instant: the value is a range as wide as its precision. */
class LastUpdatedBoundTests {

    @ParameterizedTest
    @CsvSource({
        "2026-11-30T08:15:00.250Z,      (last_updated >= ? AND last_updated < ?), 2026-11-30T08:15:00.250Z, "
                + "2026-11-30T08:15:00.251Z",
        "eq2026-11-30T08:15:00Z,        (last_updated >= ? AND last_updated < ?), 2026-11-30T08:15:00Z, "
                + "2026-11-30T08:15:01Z",
        "gt2026-11-30T08:15:00.250Z,    last_updated >= ?, 2026-11-30T08:15:00.251Z, ",
        "ge2026-11-30T08:15:00.250Z,    last_updated >= ?, 2026-11-30T08:15:00.250Z, ",
        "lt2026-11-30T08:15:00.250Z,    last_updated < ?,  2026-11-30T08:15:00.250Z, ",
        "le2026-11-30T08:15:00.250Z,    last_updated < ?,  2026-11-30T08:15:00.251Z, ",
        "ne2026-11-30,                  (last_updated < ? OR last_updated >= ?), 2026-11-30T00:00Z, 2026-12-01T00:00Z",
        "ge2026-11-30T09:15:00 01:00,   last_updated >= ?, 2026-11-30T08:15:00Z, ",
        "lt2026-11-30T09:15:00.5+01:00, last_updated < ?,  2026-11-30T08:15:00.500Z, "
    })
    void parsesPrefixAndPrecision(String value, String sql, String low, String high) {
        LastUpdatedBound bound = LastUpdatedBound.parse(value);

        assertThat(bound.sql()).isEqualTo(sql);
        assertThat(bound.low().toInstant()).isEqualTo(OffsetDateTime.parse(low).toInstant());
        assertThat(bound.high() == null ? null : bound.high().toInstant())
                .isEqualTo(high == null ? null : OffsetDateTime.parse(high).toInstant());
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "gt", "sa2026-11-30T08:15:00Z", "2026-11-30T08:15:00", "gt2026-02-30"})
    void rejectsValuesThatAreNotInstantsOrDays(String value) {
        assertThatThrownBy(() -> LastUpdatedBound.parse(value))
                .isInstanceOfSatisfying(StoreRejection.class, rejection -> {
                    assertThat(rejection.problem()).isEqualTo(StoreProblem.INVALID_SEARCH_VALUE);
                    assertThat(rejection.location()).isEqualTo("_lastUpdated");
                });
    }
}
