package org.clinicalfunctions.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Reading the feature-gated fields from the Service CRD, so a reworded CRD cannot switch the rule off. */
class FeatureGatesTests {

    /** Counted by hand in serving 1.22.1's service.yaml: the topmost field behind each "feature flag" note. */
    private static final int EXPECTED_GATED_FIELDS = 25;

    @Test
    void findsEveryGatedFieldTheServiceCrdDescribes() {
        FeatureGates gates = FeatureGates.load(CrdSchemas.load());

        assertThat(gates.size()).isEqualTo(EXPECTED_GATED_FIELDS);
    }
}
