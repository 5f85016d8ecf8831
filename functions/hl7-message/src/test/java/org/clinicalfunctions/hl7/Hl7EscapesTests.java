package org.clinicalfunctions.hl7;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Escape sequences rewritten into the five standard ones a parser decodes, or kept literally and reported. */
class Hl7EscapesTests {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = ';', quoteCharacter = '"', value = {
        "NTE|1||a\\F\\b ; NTE|1||a\\F\\b",
        "NTE|1||a\\S\\b\\T\\c\\R\\d\\E\\e ; NTE|1||a\\S\\b\\T\\c\\R\\d\\E\\e",
        "NTE|1||one\\.br\\two ; \"NTE|1||one\ntwo\"",
        "NTE|1||\\H\\bold\\N\\ text ; NTE|1||bold text",
        "NTE|1||caf\\XC3A9\\ ; NTE|1||caf\u00E9",
        "NTE|1||\\X7C5E\\ ; NTE|1||\\F\\\\S\\",
        "NTE|1||\\X5C\\ ; NTE|1||\\E\\",
        "NTE|1||no escapes ; NTE|1||no escapes",
    })
    void rewritesSequencesIntoStandardOnes(String segment, String expected) {
        List<Hl7Escapes.Issue> issues = new ArrayList<>();

        String canonical = Hl7Escapes.canonical(segment, '|', "^~\\&", StandardCharsets.UTF_8, issues);

        assertThat(canonical).isEqualTo(expected);
        assertThat(issues).isEmpty();
    }

    @Test
    void decodesHexInTheMessageCharset() {
        List<Hl7Escapes.Issue> issues = new ArrayList<>();

        String canonical = Hl7Escapes.canonical("NTE|1||caf\\XE9\\", '|', "^~\\&", Charset.forName("ISO-8859-1"),
                issues);

        assertThat(canonical).isEqualTo("NTE|1||caf\u00E9");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "OBX|1|ST|X||a\\Zlocal\\b ; OBX|1|ST|X||a\\E\\Zlocal\\E\\b ; 5 ; unsupported escape kept literally",
        "OBX|1|ST|X||\\XZZ\\ ; OBX|1|ST|X||\\E\\XZZ\\E\\ ; 5 ; malformed hex escape kept literally",
        "OBX|1|ST|X||\\X0\\ ; OBX|1|ST|X||\\E\\X0\\E\\ ; 5 ; malformed hex escape kept literally",
        "OBX|1|ST|X||50\\|mg ; OBX|1|ST|X||50\\E\\|mg ; 5 ; unclosed escape kept literally",
        "OBX|1|ST|X||a\\b^c\\ ; OBX|1|ST|X||a\\E\\b^c\\E\\ ; 5 ; unclosed escape kept literally",
    })
    void keepsMalformedSequencesLiterallyAndReportsTheirField(String segment, String expected, int field,
            String rule) {
        List<Hl7Escapes.Issue> issues = new ArrayList<>();

        String canonical = Hl7Escapes.canonical(segment, '|', "^~\\&", StandardCharsets.UTF_8, issues);

        assertThat(canonical).isEqualTo(expected);
        assertThat(issues).first().isEqualTo(new Hl7Escapes.Issue(field, rule));
    }

    @Test
    void leavesMshEncodingCharactersAndCountsMshFieldsFromOne() {
        List<Hl7Escapes.Issue> issues = new ArrayList<>();

        String canonical = Hl7Escapes.canonical("MSH|^~\\&|A\\Q\\|B", '|', "^~\\&", StandardCharsets.UTF_8, issues);

        assertThat(canonical).isEqualTo("MSH|^~\\&|A\\E\\Q\\E\\|B");
        assertThat(issues).containsExactly(new Hl7Escapes.Issue(3, "unsupported escape kept literally"));
    }

    @Test
    void honoursDeclaredEscapeCharacter() {
        List<Hl7Escapes.Issue> issues = new ArrayList<>();

        String canonical = Hl7Escapes.canonical("NTE#1##a!.br!b", '#', "$*!@", StandardCharsets.UTF_8, issues);

        assertThat(canonical).isEqualTo("NTE#1##a\nb");
    }
}
