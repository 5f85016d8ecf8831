package org.clinicalfunctions.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** HL7 DTM to FHIR dateTime: precision and offset kept; a zoneless value takes MSH-7's offset, else the zone. */
class Hl7DateTimesTests {

    @ParameterizedTest(name = "{0} (MSH-7 {1}, zone {2}) -> {3}")
    @CsvSource(delimiter = ';', value = {
        "20240305123045.1234-0500 ; 20240305 ; UTC ; 2024-03-05T12:30:45.1234-05:00",
        "202403051230+0000 ; 20240305 ; UTC ; 2024-03-05T12:30:00+00:00",
        "2024030512 ; 20240305+0530 ; UTC ; 2024-03-05T12:00:00+05:30",
        "20240705123000 ; 20240705 ; America/New_York ; 2024-07-05T12:30:00-04:00",
        "20240105123000 ; 20240105 ; America/New_York ; 2024-01-05T12:30:00-05:00",
        "20240105123000 ; 20240105 ; UTC ; 2024-01-05T12:30:00+00:00",
        "20240305 ; 20240305+0100 ; UTC ; 2024-03-05",
        "202403 ; 20240305+0100 ; UTC ; 2024-03",
        "2024 ; 20240305+0100 ; UTC ; 2024",
    })
    void keepsPrecisionAndOffset(String dtm, String messageDateTime, String zone, String expected) {
        Hl7DateTimes times = new Hl7DateTimes(messageDateTime, ZoneId.of(zone));

        String dateTime = times.dateTime(dtm);

        assertThat(dateTime).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-03-05", "20241305", "20240230", "2024030525", "hello"})
    void refusesValuesThatAreNotDtm(String dtm) {
        Hl7DateTimes times = new Hl7DateTimes("20240305", ZoneId.of("UTC"));

        assertThatThrownBy(() -> times.dateTime(dtm)).isInstanceOf(DateTimeException.class);
    }

    /** The HL7 v2.5.1 DTM syntax as a regular expression: the scan must split every text exactly as it does. */
    private static final Pattern DTM = Pattern.compile(
            "(\\d{4})(\\d{2})?(\\d{2})?(\\d{2})?(\\d{2})?(\\d{2})?(?:\\.(\\d{1,4}))?([+-]\\d{4})?");

    @ParameterizedTest
    @ValueSource(strings = {"2024", "202403", "20240305", "2024030512", "202403051230", "20240305123045",
        "20240305123045.1", "20240305123045.1234", "20240305123045.12345", "2024.5", "20240305-0500",
        "20240305123045.12+0100", "20240305+01", "20240305+01000", "202", "20240", "2024030512304",
        "202403051230456", "2024030512304567", "20240305.", "20240305 ", "2024-03-05", "", "x2024", "2024\u0661"})
    void splitsTextAsTheDtmSyntaxDoes(String text) {
        Matcher matcher = DTM.matcher(text);
        String[] expected = null;
        if (matcher.matches()) {
            expected = new String[matcher.groupCount() + 1];
            for (int group = 1; group <= matcher.groupCount(); group++) {
                expected[group] = matcher.group(group);
            }
        }

        String[] parts = Hl7DateTimes.partsOf(text);

        assertThat(parts).isEqualTo(expected);
    }
}
