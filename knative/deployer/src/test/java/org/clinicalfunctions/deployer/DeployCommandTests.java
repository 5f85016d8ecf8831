package org.clinicalfunctions.deployer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** The command line the pipelines call. */
class DeployCommandTests {

    @Test
    void fillsInTheDefaults() {
        Map<String, String> options = DeployCommand.options(new String[] {"deploy", "--manifests", "rendered.yaml"});

        assertThat(options).containsEntry("--steps", "10,50,100").containsEntry("--ready-timeout", "PT10M")
                .containsEntry("--smoke-path", "/readyz");
    }

    @Test
    void refusesStepsThatDoNotEndAtAHundredPercent() {
        String[] args = {"deploy", "--manifests", "rendered.yaml", "--steps", "10,50"};

        assertThatThrownBy(() -> DeployCommand.options(args)).hasMessage("--steps must end at 100");
    }

    @Test
    void refusesAMissingManifestsFileAndAnUnknownCommand() {
        assertThatThrownBy(() -> DeployCommand.options(new String[] {"deploy"}))
                .hasMessage("--manifests is required");
        assertThat(DeployCommand.run(new String[] {"undeploy"})).isEqualTo(2);
    }
}
