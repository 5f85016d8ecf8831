package org.clinicalfunctions.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The ACK text itself: delimiters taken from the message, escaping of free text, and unreadable headers. */
class Hl7AcknowledgementTests {

    /** MSH-7 and MSH-10 of an ACK are fresh on every call; everything else is fixed. */
    private static String withoutTimeAndId(String ack) {
        return ack.replaceFirst("\\d{14}\\+0000", "<time>").replaceFirst("ACK([#|])A[0-9A-Z]+", "ACK$1<id>");
    }

    @Test
    void acceptSwapsSenderAndReceiverAndEchoesTheControlId() {
        String msh = "MSH|^~\\&|LAB^1.2.3^ISO|ACME|EHR|CLINIC|20240301||ORU^R01^ORU_R01|MSG-1|T|2.5.1";

        String ack = Hl7Acknowledgement.accept(msh);

        assertThat(withoutTimeAndId(ack)).isEqualTo(
                "MSH|^~\\&|EHR|CLINIC|LAB^1.2.3^ISO|ACME|<time>||ACK^R01^ACK|<id>|T|2.5.1\rMSA|AA|MSG-1\r");
    }

    @Test
    void rejectUsesTheDelimitersTheMessageDeclared() {
        String msh = "MSH#*~\\&#LAB#ACME#EHR#CLINIC#20240301##ADT*A01##P#2.3";

        String ack = Hl7Acknowledgement.reject(msh, "101", "MSH-10", "MSH-10 message control id is missing");

        assertThat(withoutTimeAndId(ack)).isEqualTo("MSH#*~\\&#EHR#CLINIC#LAB#ACME#<time>##ACK*A01*ACK#<id>#P#2.3\r"
                + "MSA#AR#\r"
                + "ERR##MSH*1*10#101*Required field missing*HL70357#E####MSH-10 message control id is missing\r");
    }

    @Test
    void controlCharactersInCopiedFieldsGoAsHexEscapes() {
        String msh = "MSH|^~\\&|LAB\u0000|ACME|EHR|CLINIC|20240301||ORU^R01|X\nZZZ|P|2.5.1";

        String ack = Hl7Acknowledgement.accept(msh);

        assertThat(ack).doesNotContain("\n").doesNotContain("\u0000");
        assertThat(withoutTimeAndId(ack)).isEqualTo(
                "MSH|^~\\&|EHR|CLINIC|LAB\\X00\\|ACME|<time>||ACK^R01^ACK|<id>|P|2.5.1\rMSA|AA|X\\X0A\\ZZZ\r");
    }

    @Test
    void errorEscapesDelimitersInItsText() {
        String msh = "MSH|^~\\&|LAB|ACME|EHR|CLINIC|20240301||ORU^R01|MSG-3|P|2.5.1";

        String ack = Hl7Acknowledgement.error(msh, "a|b^c~d\\e&f");

        assertThat(ack).endsWith("ERR|||207^Application internal error^HL70357|E||||a\\F\\b\\S\\c\\R\\d\\E\\e\\T\\f\r");
    }

    @Test
    void unreadableHeaderGetsStandardDelimitersAndEmptyFields() {
        String ack = Hl7Acknowledgement.reject("PID|1||PAT-1", "100", "MSH", "segment before the first MSH");

        assertThat(withoutTimeAndId(ack)).isEqualTo("MSH|^~\\&|||||<time>||ACK^^ACK|<id>|P|2.5.1\r"
                + "MSA|AR|\r"
                + "ERR||MSH^1|100^Segment sequence error^HL70357|E||||segment before the first MSH\r");
    }
}
