package org.clinicalfunctions.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.stream.Stream;

import org.clinicalfunctions.hl7.Hl7Text;
import org.clinicalfunctions.ingest.RecordingBroker.ReceivedEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * hl7-ingest over real HTTP, publishing to a loopback broker that records what it gets: what a sender sees in the
 * ACK, and what the broker sees on the wire.
 */
class Hl7IngestTests extends IngestOverHttp {

    @Test
    void acceptsOruAndPublishesOneEventWithContractAttributes() throws Exception {
        byte[] body = ORU.getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> response = post(body, HL7);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("x-application/hl7-v2+er7;charset=utf-8");
        assertThat(BROKER.events()).hasSize(1);
        ReceivedEvent event = BROKER.events().get(0);
        assertThat(event.method()).isEqualTo("POST");
        assertThat(event.path()).isEqualTo("/clinical/default");
        assertThat(event.header("ce-specversion")).isEqualTo("1.0");
        assertThat(event.header("ce-id")).isEqualTo(ORU_EVENT_ID);
        assertThat(event.header("ce-source")).isEqualTo("/hl7v2/LAB%2520APP/ACME%2520LAB");
        assertThat(event.attribute("source")).isEqualTo("/hl7v2/LAB%20APP/ACME%20LAB");
        assertThat(event.header("ce-type")).isEqualTo("org.clinicalfunctions.hl7v2.ORU_R01");
        assertThat(event.header("ce-subject")).isEqualTo("MSG-0001");
        assertThat(event.attribute("partitionkey")).isEqualTo("LAB%20APP/ACME%20LAB");
        assertThat(event.header("ce-time")).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");
        assertThat(OffsetDateTime.parse(event.header("ce-time"))).isAfter(OffsetDateTime.now().minusMinutes(1));
        assertThat(event.header("Content-Type")).isEqualTo("x-application/hl7-v2+er7; charset=utf-8");
        assertThat(event.header("ce-datacontenttype")).isNull();
        assertThat(event.body()).isEqualTo(body);
    }

    @Test
    void acknowledgesWithSwappedSenderAndTheMessageControlId() throws Exception {
        HttpResponse<String> response = post(ORU.getBytes(StandardCharsets.UTF_8), HL7);

        Ack ack = Ack.single(response.body());
        assertThat(ack.field("MSH", 2)).isEqualTo("^~\\&");
        assertThat(ack.field("MSH", 3)).isEqualTo("EHR");
        assertThat(ack.field("MSH", 4)).isEqualTo("CLINIC");
        assertThat(ack.field("MSH", 5)).isEqualTo("LAB APP");
        assertThat(ack.field("MSH", 6)).isEqualTo("ACME LAB");
        assertThat(ack.field("MSH", 7)).matches("\\d{14}\\+0000");
        assertThat(ack.field("MSH", 9)).isEqualTo("ACK^R01^ACK");
        assertThat(ack.field("MSH", 10)).matches("A[0-9A-Z]{1,13}").isNotEqualTo("MSG-0001");
        assertThat(ack.field("MSH", 11)).isEqualTo("P");
        assertThat(ack.field("MSH", 12)).isEqualTo("2.5.1");
        assertThat(ack.segment("MSA")).isEqualTo("MSA|AA|MSG-0001");
        assertThat(ack.segment("ERR")).isNull();
    }

    @Test
    void acceptsTheMessageAsDataOfABinaryCloudEvent() throws Exception {
        HttpRequest request = request(ORU.getBytes(StandardCharsets.UTF_8), HL7)
                .header("ce-specversion", "1.0")
                .header("ce-id", "upstream-1")
                .header("ce-source", "/mllp-adapter")
                .header("ce-type", "org.example.hl7v2.received")
                .build();

        HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("ce-id")).isEmpty();
        assertThat(Ack.single(response.body()).code()).isEqualTo("AA");
        assertThat(BROKER.events()).extracting(e -> e.header("ce-id")).containsExactly(ORU_EVENT_ID);
    }

    @Test
    void acceptsTheMessageAsDataOfAStructuredCloudEvent() throws Exception {
        String json = "{\"specversion\":\"1.0\",\"id\":\"upstream-2\",\"source\":\"/mllp-adapter\","
                + "\"type\":\"org.example.hl7v2.received\",\"datacontenttype\":\"x-application/hl7-v2+er7\","
                + "\"data\":\"" + ORU.replace("\\", "\\\\").replace("\r", "\\r") + "\"}";

        HttpResponse<String> response = post(json.getBytes(StandardCharsets.UTF_8),
                "application/cloudevents+json; charset=utf-8");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Ack.single(response.body()).code()).isEqualTo("AA");
        assertThat(BROKER.events()).singleElement().satisfies(event -> {
            assertThat(event.header("ce-id")).isEqualTo(ORU_EVENT_ID);
            assertThat(event.text()).isEqualTo(ORU);
        });
    }

    @Test
    void answersABrokenCloudEventWithAnArAck() throws Exception {
        String json = "{\"specversion\":\"0.9\",\"id\":\"upstream-3\",\"source\":\"/mllp-adapter\"}";

        HttpResponse<String> response = post(json.getBytes(StandardCharsets.UTF_8), "application/cloudevents+json");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(Ack.single(response.body()).code()).isEqualTo("AR");
        assertThat(response.body()).contains("not a valid CloudEvent");
        assertThat(BROKER.events()).isEmpty();
    }

    @Test
    void sendsNonAsciiSenderNamesPercentEncodedTwiceAsUrlAndAsHeader() throws Exception {
        String fromMuller = ORU.replace("LAB APP|ACME LAB", "LABOR MÜLLER|ACME LAB");

        post(fromMuller.getBytes(StandardCharsets.UTF_8), HL7);

        assertThat(BROKER.events()).singleElement().satisfies(event -> {
            assertThat(event.header("ce-source")).isEqualTo("/hl7v2/LABOR%2520M%25C3%259CLLER/ACME%2520LAB");
            assertThat(event.attribute("source")).isEqualTo("/hl7v2/LABOR%20M%C3%9CLLER/ACME%20LAB");
            assertThat(URI.create(event.attribute("source")).getPath()).isEqualTo("/hl7v2/LABOR MÜLLER/ACME LAB");
        });
    }

    @Test
    void sameMessagePostedTwiceKeepsItsEventId() throws Exception {
        byte[] body = ORU.getBytes(StandardCharsets.UTF_8);

        post(body, HL7);
        post(body, "text/plain");

        assertThat(BROKER.events()).extracting(e -> e.header("ce-id")).containsExactly(ORU_EVENT_ID, ORU_EVENT_ID);
    }

    static Stream<Arguments> framings() {
        String lf = ORU.replace("\r", "\n");
        String crlf = ORU.replace("\r", "\r\n");
        return Stream.of(
                Arguments.of("CR", ORU),
                Arguments.of("LF", lf),
                Arguments.of("CRLF", crlf),
                Arguments.of("BOM and CR", "\uFEFF" + ORU),
                Arguments.of("BOM and LF", "\uFEFF" + lf),
                Arguments.of("MLLP", "\u000b" + ORU + "\u001c\r"),
                Arguments.of("MLLP, BOM and CRLF", "\u000b\uFEFF" + crlf + "\u001c\r"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("framings")
    void framingVariantsYieldTheSameEvent(String framing, String posted) throws Exception {
        byte[] body = posted.getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> response = post(body, "application/hl7-v2");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Ack.single(response.body()).code()).isEqualTo("AA");
        assertThat(BROKER.events()).singleElement().satisfies(event -> {
            assertThat(event.header("ce-id")).isEqualTo(ORU_EVENT_ID);
            assertThat(event.text()).startsWith("MSH|").contains("OBX|1|NM|2345-7");
        });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', textBlock = """
            empty body;               '';                                                      MSH^1;    100
            not HL7;                  '{"resourceType":"Patient"}';                            MSH^1;    100
            no MSH;                   'PID|1||PAT-1\\rOBX|1|NM\\r';                              PID^1;    100
            MSH without MSH-10;       'MSH|^~\\&|LAB|ACME|EHR|CLINIC|2024||ORU^R01||P|2.5.1\\rPID|1\\r';   MSH^1^10; 101
            truncated inside MSH;     'MSH|^~\\&|LAB APP|ACME LAB|EH';                           MSH^1^9;  101
            no message type;          'MSH|^~\\&|LAB|ACME|EHR|CLINIC|2024|||MSG-1|P|2.5.1\\r';   MSH^1^9;  101
            two encoding characters;  'MSH|^~|LAB|ACME|EHR|CLINIC|2024||ORU^R01|MSG-1|P|2.5\\r'; MSH^1^2;  102
            """)
    void rejectsInputThatCanNeverBeProcessed(String name, String posted, String location, String condition)
            throws Exception {
        byte[] body = posted.replace("\\r", "\r").getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> response = post(body, HL7);

        assertThat(response.statusCode()).isEqualTo(400);
        Ack ack = Ack.single(response.body());
        assertThat(ack.code()).isEqualTo("AR");
        assertThat(ack.field("ERR", 2)).isEqualTo(location);
        assertThat(ack.field("ERR", 3)).startsWith(condition + "^").endsWith("^HL70357");
        assertThat(ack.field("ERR", 4)).isEqualTo("E");
        assertThat(ack.field("ERR", 8)).contains(location.startsWith("MSH^1^") ? "MSH-" : "");
        assertThat(ack.field("ERR", 8)).doesNotContain("Patient", "PAT-1", "LAB APP", "2024");
        assertThat(BROKER.events()).isEmpty();
        assertThat(post(ORU.getBytes(StandardCharsets.UTF_8), HL7).statusCode()).isEqualTo(200);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', textBlock = """
            MSH-3;  'MSH|^~\\&|#|ACME|EHR|CLINIC|2024||ORU^R01|MSG-1|P|2.5.1\\rPID|1\\r';  MSH^1^3
            MSH-4;  'MSH|^~\\&|LAB|#|EHR|CLINIC|2024||ORU^R01|MSG-1|P|2.5.1\\rPID|1\\r';  MSH^1^4
            MSH-9;  'MSH|^~\\&|LAB|ACME|EHR|CLINIC|2024||ORU^R01^#|MSG-1|P|2.5.1\\rPID|1\\r'; MSH^1^9
            MSH-10; 'MSH|^~\\&|LAB|ACME|EHR|CLINIC|2024||ORU^R01|#|P|2.5.1\\rPID|1\\r';  MSH^1^10
            """)
    void rejectsAHeaderFieldTooLongToTravelAsAnEventHeader(String field, String template, String location)
            throws Exception {
        String posted = template.replace("\\r", "\r").replace("#", "C".repeat(Hl7Ingest.MAX_HEADER_FIELD + 1));

        HttpResponse<String> response = post(posted.getBytes(StandardCharsets.UTF_8), HL7);

        assertThat(response.statusCode()).isEqualTo(400);
        Ack ack = Ack.single(response.body());
        assertThat(ack.code()).isEqualTo("AR");
        assertThat(ack.field("ERR", 2)).isEqualTo(location);
        assertThat(ack.field("ERR", 3)).startsWith("102^");
        assertThat(ack.field("ERR", 8)).startsWith(field + " ").doesNotContain("CCC");
        assertThat(BROKER.events()).isEmpty();
        String longest = template.replace("\\r", "\r").replace("#", "C".repeat(Hl7Ingest.MAX_HEADER_FIELD));
        assertThat(post(longest.getBytes(StandardCharsets.UTF_8), HL7).statusCode()).isEqualTo(200);
    }

    @Test
    void rejectsBodyOverTheSizeLimitWith413AndAnAr() throws Exception {
        byte[] body = new byte[10 * 1024 * 1024];
        byte[] msh = ORU.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(msh, 0, body, 0, msh.length);
        java.util.Arrays.fill(body, msh.length, body.length, (byte) 'X');

        HttpResponse<String> response = post(body, HL7);

        assertThat(response.statusCode()).isEqualTo(413);
        Ack ack = Ack.single(response.body());
        assertThat(ack.code()).isEqualTo("AR");
        assertThat(ack.field("ERR", 3)).isEqualTo("207^Application internal error^HL70357");
        assertThat(ack.field("ERR", 8)).isEqualTo("message body larger than 4194304 bytes; split it or send it by"
                + " other means");
        assertThat(BROKER.events()).isEmpty();
        assertThat(post(ORU.getBytes(StandardCharsets.UTF_8), HL7).statusCode()).isEqualTo(200);
    }

    @ParameterizedTest(name = "broker {0} -> {1} {2}")
    @CsvSource({
        "202, 200, AA",
        "200, 200, AA",
        "503, 503, AE",
        "500, 503, AE",
        "429, 503, AE",
        "404, 503, AE",
        "408, 503, AE",
        "409, 503, AE",
        "400, 500, AE",
        "403, 500, AE"})
    void answersWhatTheBrokerDidWithTheEvent(int brokerStatus, int expectedStatus, String expectedCode)
            throws Exception {
        BROKER.answer(brokerStatus);

        HttpResponse<String> response = post(ORU.getBytes(StandardCharsets.UTF_8), HL7);

        assertThat(response.statusCode()).isEqualTo(expectedStatus);
        Ack ack = Ack.single(response.body());
        assertThat(ack.code()).isEqualTo(expectedCode);
        assertThat(ack.field("MSA", 2)).isEqualTo("MSG-0001");
        String expectedErr = "AA".equals(expectedCode) ? null : "207^Application internal error^HL70357";
        assertThat(ack.field("ERR", 3)).isEqualTo(expectedErr);
        assertThat(BROKER.events()).hasSize(1);
    }

    @Test
    void brokerTimeoutIsAnsweredAe503() throws Exception {
        BROKER.answerAfter(Duration.ofSeconds(3));

        HttpResponse<String> response = post(ORU.getBytes(StandardCharsets.UTF_8), HL7);

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(Ack.single(response.body()).code()).isEqualTo("AE");
    }

    @Test
    void publishesUnroutedMessageTypesUnderTheirOwnType() throws Exception {
        String zzz = ORU.replace("ORU^R01^ORU_R01|MSG-0001", "ZZZ^Z99|MSG-0002");

        HttpResponse<String> response = post(zzz.getBytes(StandardCharsets.UTF_8), HL7);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Ack.single(response.body()).field("MSH", 9)).isEqualTo("ACK^Z99^ACK");
        assertThat(BROKER.events()).singleElement().satisfies(event -> {
            assertThat(event.header("ce-type")).isEqualTo("org.clinicalfunctions.hl7v2.ZZZ_Z99");
            assertThat(event.header("ce-id")).isEqualTo("b5a01845-d34c-39bb-b618-3baa9f4a0030");
        });
    }

    @Test
    void decodesLatin1MessagesAndPublishesThemAsUtf8() throws Exception {
        String latin1 = ORU.replace("|P|2.5.1\r", "|P|2.5.1||||||8859/1\r").replace("TEST^PATIENT", "TÉST^MÜLLER");

        HttpResponse<String> response = post(latin1.getBytes(StandardCharsets.ISO_8859_1), HL7);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(BROKER.events()).singleElement().satisfies(event -> {
            assertThat(event.text()).isEqualTo(latin1);
            assertThat(Hl7Text.decode(event.body(), event.header("Content-Type"))).contains("TÉST^MÜLLER");
        });
    }
}
