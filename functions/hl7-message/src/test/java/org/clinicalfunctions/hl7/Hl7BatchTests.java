package org.clinicalfunctions.hl7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

/** Splitting posted text into messages: single messages, FHS/BHS batches and their BTS-1 counts. */
class Hl7BatchTests {

    private static final String MSG_1 = "MSH|^~\\&|LAB|ACME|EHR|CLINIC|20240301||ORU^R01|MSG-1|P|2.5.1\rPID|1\r";
    private static final String MSG_2 = "MSH|^~\\&|LAB|ACME|EHR|CLINIC|20240301||ORU^R01|MSG-2|P|2.5.1\rPID|2\r";
    private static final String MSG_3 = "MSH|^~\\&|LAB|ACME|EHR|CLINIC|20240301||ADT^A01|MSG-3|P|2.5.1\rPID|3\r";

    @Test
    void singleMessageComesBackAloneWithCarriageReturns() throws Exception {
        String lineFeeds = MSG_1.replace('\r', '\n');

        assertThat(Hl7Batch.messages(lineFeeds)).containsExactly(MSG_1);
    }

    @Test
    void batchIsSplitIntoItsMessagesWithoutEnvelopeSegments() throws Exception {
        String batch = "FHS|^~\\&|LAB\rBHS|^~\\&|LAB\r" + MSG_1 + MSG_2 + "BTS|2\rFTS|1\r";

        assertThat(Hl7Batch.messages(batch)).containsExactly(MSG_1, MSG_2);
    }

    @Test
    void batchWithoutTrailersIsSplitToo() throws Exception {
        String batch = "FHS|^~\\&|LAB\nBHS|^~\\&|LAB\n" + MSG_1.replace('\r', '\n');

        assertThat(Hl7Batch.messages(batch)).containsExactly(MSG_1);
    }

    @Test
    void batchWithoutDeclaredCountIsAccepted() throws Exception {
        String batch = "BHS|^~\\&|LAB\r" + MSG_1 + MSG_2 + "BTS\r";

        assertThat(Hl7Batch.messages(batch)).containsExactly(MSG_1, MSG_2);
    }

    @Test
    void rejectsBatchWhoseCountDiffersFromItsMessages() {
        String batch = "BHS|^~\\&|LAB\r" + MSG_1 + MSG_2 + "BTS|3\r";

        Hl7FormatException error = catchThrowableOfType(Hl7FormatException.class, () -> Hl7Batch.messages(batch));

        assertThat(error.errorCode()).isEqualTo("100");
        assertThat(error.location()).isEqualTo("BTS-1");
        assertThat(error.getMessage()).isEqualTo("batch declares a message count that differs from the MSH segments"
                + " found (2)");
    }

    @Test
    void checksEachBatchOfAFileAgainstItsOwnCount() throws Exception {
        String file = "FHS|^~\\&|LAB\r"
                + "BHS|^~\\&|LAB\r" + MSG_1 + MSG_2 + "BTS|2\r"
                + "BHS|^~\\&|LAB\r" + MSG_3 + "BTS|1\r"
                + "FTS|2\r";

        assertThat(Hl7Batch.messages(file)).containsExactly(MSG_1, MSG_2, MSG_3);
    }

    @Test
    void rejectsSegmentsBeforeTheFirstMshNamingTheSegment() {
        Hl7FormatException error = catchThrowableOfType(Hl7FormatException.class,
                () -> Hl7Batch.messages("PID|1||PAT-1\r" + MSG_1));

        assertThat(error.errorCode()).isEqualTo("100");
        assertThat(error.location()).isEqualTo("PID");
    }

    @Test
    void rejectsTextThatIsNotHl7WithoutQuotingIt() {
        Hl7FormatException error = catchThrowableOfType(Hl7FormatException.class,
                () -> Hl7Batch.messages("{\"resourceType\":\"Patient\"}"));

        assertThat(error.errorCode()).isEqualTo("100");
        assertThat(error.location()).isEqualTo("MSH");
        assertThat(error.getMessage()).doesNotContain("resourceType", "{\"r");
    }

    @Test
    void rejectsEmptyText() {
        Hl7FormatException error = catchThrowableOfType(Hl7FormatException.class, () -> Hl7Batch.messages(""));

        assertThat(error.errorCode()).isEqualTo("100");
        assertThat(error.location()).isEqualTo("MSH");
        assertThat(error.getMessage()).isEqualTo("no MSH segment found");
    }
}
