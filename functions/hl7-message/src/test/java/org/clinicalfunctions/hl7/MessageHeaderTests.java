package org.clinicalfunctions.hl7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading the MSH fields the platform routes on, with the delimiters the segment declares. */
class MessageHeaderTests {

    private static String msh(String messageType) {
        return "MSH|^~\\&|LAB APP^2.16.840.1^ISO|ACME LAB|EHR|CLINIC|20240301101500||" + messageType
                + "|MSG-0001|P|2.5.1||||||UNICODE UTF-8";
    }

    @ParameterizedTest(name = "MSH-9 {0} is {1}")
    @CsvSource({
        "ORU^R01^ORU_R01, ORU, R01, ORU_R01",
        "ADT^A04^ADT_A01, ADT, A04, ADT_A01",
        "ADT^A08,         ADT, A08, ADT_A08",
        "SIU^S14^,        SIU, S14, SIU_S14",
        "ORU,             ORU, '',  ORU_R01",
        "ORU^,            ORU, '',  ORU_R01",
        "ACK,             ACK, '',  ACK"})
    void typesTheMessageBy93ThenBy91And92ThenOruAlone(String messageType, String code, String trigger,
            String structure) throws Exception {
        MessageHeader header = MessageHeader.parse(msh(messageType));

        assertThat(header.messageCode()).isEqualTo(code);
        assertThat(header.triggerEvent()).isEqualTo(trigger);
        assertThat(header.messageStructure()).isEqualTo(structure);
    }

    @Test
    void readsTheRoutingFields() throws Exception {
        MessageHeader header = MessageHeader.parse(msh("ORU^R01^ORU_R01"));

        assertThat(header.fieldSeparator()).isEqualTo('|');
        assertThat(header.encodingCharacters()).isEqualTo("^~\\&");
        assertThat(header.sendingApplication()).isEqualTo("LAB APP");
        assertThat(header.sendingFacility()).isEqualTo("ACME LAB");
        assertThat(header.receivingApplication()).isEqualTo("EHR");
        assertThat(header.receivingFacility()).isEqualTo("CLINIC");
        assertThat(header.dateTime()).isEqualTo("20240301101500");
        assertThat(header.controlId()).isEqualTo("MSG-0001");
        assertThat(header.processingId()).isEqualTo("P");
        assertThat(header.version()).isEqualTo("2.5.1");
        assertThat(header.characterSet()).isEqualTo("UNICODE UTF-8");
        assertThat(header.sender()).isEqualTo("LAB APP|ACME LAB");
    }

    @Test
    void acceptsFiveEncodingCharactersWithTheTruncationCharacter() throws Exception {
        MessageHeader header = MessageHeader.parse("MSH|^~\\&#|LAB|ACME|EHR|CLINIC|20240301||ORU^R01|MSG-2|P|2.7");

        assertThat(header.encodingCharacters()).isEqualTo("^~\\&#");
        assertThat(header.messageStructure()).isEqualTo("ORU_R01");
        assertThat(header.controlId()).isEqualTo("MSG-2");
    }

    @Test
    void honoursCustomDelimiters() throws Exception {
        String segment = "MSH#*~\\&#LAB*1.2.3*ISO#ACME#EHR#CLINIC#20240301##ADT*A01#MSG-3#T#2.3";

        MessageHeader header = MessageHeader.parse(segment);

        assertThat(header.fieldSeparator()).isEqualTo('#');
        assertThat(header.sendingApplication()).isEqualTo("LAB");
        assertThat(header.messageStructure()).isEqualTo("ADT_A01");
        assertThat(header.controlId()).isEqualTo("MSG-3");
        assertThat(header.processingId()).isEqualTo("T");
        assertThat(header.version()).isEqualTo("2.3");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', textBlock = """
            not an MSH;                  PID|1||PAT-1||DOE^JANE;                                       100; MSH
            too short;                   MSH|^~;                                                       100; MSH
            three encoding characters;   MSH|^~\\|LAB|ACME|EHR|CLINIC|20240301||ORU^R01|MSG-1|P|2.5;   102; MSH-2
            six encoding characters;     MSH|^~\\&#!|LAB|ACME|EHR|CLINIC|20240301||ORU^R01|MSG-1|P|2.5; 102; MSH-2
            letter as field separator;   MSHX^~\\&XLABXACMEXEHRXCLINICX20240301XXORU^R01XMSG-1XPX2.5;  102; MSH-2
            no message type;             MSH|^~\\&|LAB|ACME|EHR|CLINIC|20240301|||MSG-1|P|2.5;         101; MSH-9
            malformed message type;      MSH|^~\\&|LAB|ACME|EHR|CLINIC|20240301||DOE JANE|MSG-1|P|2.5; 101; MSH-9
            no control id;               MSH|^~\\&|LAB|ACME|EHR|CLINIC|20240301||ORU^R01||P|2.5;       101; MSH-10
            blank control id;            MSH|^~\\&|LAB|ACME|EHR|CLINIC|20240301||ORU^R01|  |P|2.5;     101; MSH-10
            cut before MSH-10;           MSH|^~\\&|LAB|ACME|EHR|CLINIC|20240301||ORU^R01;              101; MSH-10
            """)
    void rejectsHeadersItCannotRouteWithCodeAndLocationButNoValue(String name, String segment, String code,
            String location) {
        Hl7FormatException error = catchThrowableOfType(Hl7FormatException.class, () -> MessageHeader.parse(segment));

        assertThat(error.errorCode()).isEqualTo(code);
        assertThat(error.location()).isEqualTo(location);
        assertThat(error.getMessage()).doesNotContain("DOE", "JANE", "ACME", "20240301");
    }
}
