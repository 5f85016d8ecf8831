package org.clinicalfunctions.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code knative/platform token} mints a token on request, so a mistyped option must not quietly fall back to the
 * default, a clinic staff token that reads and writes everything.
 */
class TokenOptionsTests {

    @ParameterizedTest
    @ValueSource(strings = {"token", "token --patient p-1", "token --scope patient/Slot.rs",
        "token --patient p-1 --ingress http://localhost:9090/"})
    void knownOptionsWithValuesAreTaken(String line) {
        assertThat(PlatformCommand.tokenOptionsValid(line.split(" "))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"token --help", "token --pateint p-1", "token --patient", "token p-1",
        "token --patient p-1 --scope"})
    void anythingElseIsRefused(String line) {
        assertThat(PlatformCommand.tokenOptionsValid(line.split(" "))).isFalse();
    }
}
