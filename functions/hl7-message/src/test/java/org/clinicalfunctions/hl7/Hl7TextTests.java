package org.clinicalfunctions.hl7;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** How posted bytes become HL7 text and segments: framing, character sets and segment terminators. */
class Hl7TextTests {

    private static final String MSH = "MSH|^~\\&|LAB|ACME|EHR|CLINIC|20240301101500||ORU^R01|MSG-1|P|2.5.1";
    private static final String MESSAGE = MSH + "\rPID|1||PAT-1\rOBX|1|NM|2345-7^Glucose^LN||95\r";

    static Stream<Arguments> framings() {
        return Stream.of(
                Arguments.of("MLLP start and end bytes", "\u000b", "\u001c\r"),
                Arguments.of("UTF-8 byte order mark", "\uFEFF", ""),
                Arguments.of("MLLP around a byte order mark", "\u000b\uFEFF", "\u001c\r"),
                Arguments.of("surrounding blank lines", "\r\n\r\n", "\r\n\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("framings")
    void decodeRemovesFramingButKeepsTheMessage(String framing, String before, String after) {
        byte[] raw = (before + MESSAGE + after).getBytes(StandardCharsets.UTF_8);

        String text = Hl7Text.decode(raw);

        assertThat(text).isEqualTo(MSH + "\rPID|1||PAT-1\rOBX|1|NM|2345-7^Glucose^LN||95");
    }

    @Test
    void decodeReadsLatin1WhenMsh18Declares8859Slash1() {
        String declared = MSH + "||||||8859/1\rPID|1||PAT-1||MÜLLER^JOSÉ\r";

        String text = Hl7Text.decode(declared.getBytes(StandardCharsets.ISO_8859_1));

        assertThat(text).endsWith("PID|1||PAT-1||MÜLLER^JOSÉ");
    }

    @Test
    void decodeReadsUtf8WhenMsh18IsAbsent() {
        String utf8 = MSH + "\rOBX|1|NM|14749-6^Glucose^LN||5.3|µmol/L\r";

        String text = Hl7Text.decode(utf8.getBytes(StandardCharsets.UTF_8));

        assertThat(text).endsWith("|5.3|µmol/L");
    }

    @Test
    void decodeReadsUtf8WhenMsh18DeclaresUnicodeUtf8() {
        String utf8 = MSH + "||||||UNICODE UTF-8\rOBX|1|NM|14749-6^Glucose^LN||5.3|µmol/L\r";

        String text = Hl7Text.decode(utf8.getBytes(StandardCharsets.UTF_8));

        assertThat(text).endsWith("|5.3|µmol/L");
    }

    @Test
    void latin1BytesWithoutMsh18AreNotMistakenForText() {
        String latin1 = MSH + "\rPID|1||PAT-1||MÜLLER\r";

        String text = Hl7Text.decode(latin1.getBytes(StandardCharsets.ISO_8859_1));

        assertThat(text).endsWith("PID|1||PAT-1||M\uFFFDLLER");
    }

    @Test
    void decodeFindsTheCharacterSetOfABatchInItsFirstMsh() {
        String batch = "FHS|^~\\&|LAB\rBHS|^~\\&|LAB\r" + MSH + "||||||8859/1\rPID|1||PAT-1||MÜLLER\rBTS|1\rFTS|1\r";

        String text = Hl7Text.decode(batch.getBytes(StandardCharsets.ISO_8859_1));

        assertThat(text).contains("PID|1||PAT-1||MÜLLER\r");
    }

    @Test
    void eventDataIsReadInTheCharsetOfItsContentTypeNotMsh18() {
        String reencoded = MSH + "||||||8859/1\rPID|1||PAT-1||MÜLLER^JOSÉ\r";
        byte[] utf8 = reencoded.getBytes(StandardCharsets.UTF_8);

        String text = Hl7Text.decode(utf8, "x-application/hl7-v2+er7; charset=utf-8");

        assertThat(text).endsWith("PID|1||PAT-1||MÜLLER^JOSÉ");
    }

    @ParameterizedTest(name = "content type {0}")
    @NullSource
    @ValueSource(strings = {
        "x-application/hl7-v2+er7",
        "text/plain; charset=no-such-charset",
        "text/plain; charset=\"not a name\""})
    void contentTypeWithoutUsableCharsetFallsBackToMsh18(String contentType) {
        String latin1 = MSH + "||||||8859/1\rPID|1||PAT-1||MÜLLER\r";

        String text = Hl7Text.decode(latin1.getBytes(StandardCharsets.ISO_8859_1), contentType);

        assertThat(text).endsWith("PID|1||PAT-1||MÜLLER");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', textBlock = """
            CR;                    'MSH|a\\rPID|b\\rOBX|c\\r'
            LF;                    'MSH|a\\nPID|b\\nOBX|c\\n'
            CRLF;                  'MSH|a\\r\\nPID|b\\r\\nOBX|c\\r\\n'
            CRLF and blank lines;  'MSH|a\\r\\n\\r\\nPID|b\\r\\n\\r\\nOBX|c\\r\\n'
            no final terminator;   'MSH|a\\rPID|b\\rOBX|c'
            """)
    void segmentsAcceptEveryCommonTerminator(String terminators, String text) {
        String posted = text.replace("\\r", "\r").replace("\\n", "\n");

        assertThat(Hl7Text.segments(posted)).containsExactly("MSH|a", "PID|b", "OBX|c");
    }

    @Test
    void bareLineFeedInsideACarriageReturnMessageIsData() {
        String text = "MSH|a\rOBX|1|TX|||line one\nline two\r";

        assertThat(Hl7Text.segments(text)).containsExactly("MSH|a", "OBX|1|TX|||line one\nline two");
    }

    @Test
    void withCarriageReturnsTerminatesEverySegmentWithCr() {
        String text = "MSH|a\nPID|b\n\nOBX|c";

        assertThat(Hl7Text.withCarriageReturns(text)).isEqualTo("MSH|a\rPID|b\rOBX|c\r");
    }
}
