package org.clinicalfunctions.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** The parts of a replay that do not need a running platform. */
class ReplayTests {

    @Test
    void laterRoundsGetTheirOwnControlIdInEveryMsh() {
        String batch = "\uFEFFFHS|^~\\&|LAB\nBHS|^~\\&|LAB\nMSH|^~\\&|LAB|ACME|EHR|CLINIC|2024||ORU^R01|C1|P|2.5.1\n"
                + "NTE|1||see MSH|x\nMSH|^~\\&|LAB|ACME|EHR|CLINIC|2024||ORU^R01|C2|P|2.5.1\n";

        String rewritten = new String(Replay.withControlIdSuffix(batch.getBytes(StandardCharsets.UTF_8), "-3"),
                StandardCharsets.UTF_8);

        assertThat(rewritten).isEqualTo(batch.replace("|C1|", "|C1-3|").replace("|C2|", "|C2-3|"));
    }

    @Test
    void aMessageStartingWithAByteOrderMarkIsRewrittenToo() {
        String message = "\uFEFFMSH#^~\\&#LAB#ACME#EHR#CLINIC#2024##ORU^R01#C9#P#2.5.1\rPID#1\r";

        String rewritten = new String(Replay.withControlIdSuffix(message.getBytes(StandardCharsets.UTF_8), "-2"),
                StandardCharsets.UTF_8);

        assertThat(rewritten).isEqualTo(message.replace("#C9#", "#C9-2#"));
    }
}
