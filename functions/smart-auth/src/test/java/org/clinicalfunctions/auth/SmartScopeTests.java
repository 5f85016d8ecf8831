package org.clinicalfunctions.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SmartScopeTests {

    @Test
    void readsV2Letters() {
        SmartScope scope = SmartScope.parse("patient/Appointment.cruds").orElseThrow();

        assertThat(scope.context()).isEqualTo("patient");
        assertThat(scope.resourceType()).isEqualTo("Appointment");
        assertThat(scope.interactions()).isEqualTo(EnumSet.allOf(Interaction.class));
    }

    @Test
    void readsV2Subset() {
        SmartScope scope = SmartScope.parse("user/Slot.rs").orElseThrow();

        assertThat(scope.interactions()).containsExactlyInAnyOrder(Interaction.READ, Interaction.SEARCH);
        assertThat(scope.allows("Slot", Interaction.SEARCH)).isTrue();
        assertThat(scope.allows("Slot", Interaction.CREATE)).isFalse();
        assertThat(scope.allows("Appointment", Interaction.READ)).isFalse();
    }

    @Test
    void readsV1ReadWriteAndStar() {
        assertThat(SmartScope.parse("user/Appointment.read").orElseThrow().interactions())
                .isEqualTo(Set.of(Interaction.READ, Interaction.SEARCH));
        assertThat(SmartScope.parse("user/Appointment.write").orElseThrow().interactions())
                .isEqualTo(Set.of(Interaction.CREATE, Interaction.UPDATE, Interaction.DELETE));
        assertThat(SmartScope.parse("system/*.*").orElseThrow().allows("Slot", Interaction.DELETE)).isTrue();
    }

    @Test
    void wildcardTypeReachesEveryType() {
        SmartScope scope = SmartScope.parse("system/*.rs").orElseThrow();

        assertThat(scope.allows("Appointment", Interaction.READ)).isTrue();
        assertThat(scope.allows("Appointment", Interaction.UPDATE)).isFalse();
    }

    @Test
    void readsEntraIdDottedForm() {
        SmartScope scope = SmartScope.parse("patient.Appointment.cu").orElseThrow();

        assertThat(scope.context()).isEqualTo("patient");
        assertThat(scope.interactions()).containsExactlyInAnyOrder(Interaction.CREATE, Interaction.UPDATE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"openid", "fhirUser", "launch/patient", "patient/Appointment.rc",
        "patient/Appointment.crrd", "patient/Appointment.", "clinic/Appointment.rs", "patient/appointment.rs",
        "patient/Observation.rs?category=laboratory", "User.Read", "offline_access"})
    void ignoresWhatIsNotAClinicalScope(String value) {
        assertThat(SmartScope.parse(value)).isEmpty();
    }
}
