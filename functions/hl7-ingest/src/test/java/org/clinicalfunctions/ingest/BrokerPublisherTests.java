package org.clinicalfunctions.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.clinicalfunctions.http.CloudEventHeaders;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** CloudEvents HTTP binding 3.1.3.2: which characters of an attribute travel percent-encoded in a header. */
class BrokerPublisherTests {

    @ParameterizedTest(name = "[{0}] -> [{1}]")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            /hl7v2/LAB/ACME         | /hl7v2/LAB/ACME
            LAB APP                 | LAB%20APP
            `say "hi"`              | say%20%22hi%22
            LAB%20APP               | LAB%2520APP
            MÜLLER                  | M%C3%9CLLER
            `a\tb`                  | a%09b
            ~!#$&'()*+,/:;<=>?@[]^  | ~!#$&'()*+,/:;<=>?@[]^
            """)
    void percentEncodesSpaceQuotePercentAndNonPrintableCharacters(String value, String expected) {
        String encoded = CloudEventHeaders.percentEncode(value.replace("\\t", "\t"));

        assertThat(encoded).isEqualTo(expected);
    }
}
