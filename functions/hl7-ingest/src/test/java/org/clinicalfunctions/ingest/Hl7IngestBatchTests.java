package org.clinicalfunctions.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.clinicalfunctions.ingest.RecordingBroker.ReceivedEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * hl7-ingest against the sample corpus (src/test/resources/hl7v2, see its SOURCES.md) and against batches: every
 * sample is taken with AA under its message structure, and a batch yields one event and one ACK per message.
 */
class Hl7IngestBatchTests extends IngestOverHttp {

    private static final String MSG_1 = ORU;
    private static final String MSG_3 = ORU.replace("MSG-0001", "MSG-0003");
    private static final String MSG_3_ID = "90f38f63-e852-3a59-a429-037e1dc3e54a";
    private static final String NO_CONTROL_ID = ORU.replace("MSG-0001", "");
    private static final String FHS = "FHS|^~\\&|LAB APP|ACME LAB\r";
    private static final String BHS = "BHS|^~\\&|LAB APP|ACME LAB\r";

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "adt_a01-v2.3-cdc-ti-newborn.hl7, org.clinicalfunctions.hl7v2.ADT_A01",
        "adt_a01-v2.3-hits-example.hl7, org.clinicalfunctions.hl7v2.ADT_A01",
        "adt_a01-v2.3-ms.hl7, org.clinicalfunctions.hl7v2.ADT_A01",
        "adt_a01-v2.5.1-ms.hl7, org.clinicalfunctions.hl7v2.ADT_A01",
        "adt_a01-v2.6-lfh-malformed-msh2-crlf-blank-lines.hl7, org.clinicalfunctions.hl7v2.ADT_A01",
        "adt_a01-v2.6-lfh-malformed-msh2-double-backslash-lf.hl7, org.clinicalfunctions.hl7v2.ADT_A01",
        "adt_a01-v2.8-cdc-ti-other.hl7, org.clinicalfunctions.hl7v2.ADT_A01",
        "adt_a01-v2.8-ms-01.hl7, org.clinicalfunctions.hl7v2.ADT_A01",
        "adt_a01-v2.8-ms-02.hl7, org.clinicalfunctions.hl7v2.ADT_A01",
        "adt_a04-v2.3-ms-02.hl7, org.clinicalfunctions.hl7v2.ADT_A04",
        "adt_a04-v2.3-ms-03.hl7, org.clinicalfunctions.hl7v2.ADT_A04",
        "adt_a04-v2.3-ms.hl7, org.clinicalfunctions.hl7v2.ADT_A04",
        "adt_a04-v2.8-ms-01.hl7, org.clinicalfunctions.hl7v2.ADT_A04",
        "adt_a04-v2.8-ms-02.hl7, org.clinicalfunctions.hl7v2.ADT_A04",
        "adt_a08-v2.8-ms-01.hl7, org.clinicalfunctions.hl7v2.ADT_A08",
        "adt_a08-v2.8-ms-02.hl7, org.clinicalfunctions.hl7v2.ADT_A08",
        "adt_a60-v2.8-ms-allergy-update.hl7, org.clinicalfunctions.hl7v2.ADT_A60",
        "oru_r01-v2.4-ms-glucose-sn-refrange-underscore.hl7, org.clinicalfunctions.hl7v2.ORU_R01",
        "oru_r01-v2.5-ms-lab-cbc-two-obr-pending-results.hl7, org.clinicalfunctions.hl7v2.ORU_R01",
        "oru_r01-v2.5-ms-lab-cbc-variant.hl7, org.clinicalfunctions.hl7v2.ORU_R01",
        "oru_r01-v2.5.1-athena-lri-amylase-tq1.hl7, org.clinicalfunctions.hl7v2.ORU_R01",
        "oru_r01-v2.5.1-batch-fhs-bhs-cdc-ti-newborn-screen.hl7, org.clinicalfunctions.hl7v2.ORU_R01",
        "oru_r01-v2.5.1-cdc-ti-local-and-loinc.hl7, org.clinicalfunctions.hl7v2.ORU_R01",
        "oru_r01-v2.5.1-cdc-ti-nm-leading-zero.hl7, org.clinicalfunctions.hl7v2.ORU_R01",
        "oru_r01-v2.5.1-cdc-ti-nm-no-leading-zero.hl7, org.clinicalfunctions.hl7v2.ORU_R01",
        "oru_r01-v2.5.1-cdc-ti-plt.hl7, org.clinicalfunctions.hl7v2.ORU_R01",
        "oru_r01-v2.5.1-cdc-ti-short.hl7, org.clinicalfunctions.hl7v2.ORU_R01",
        "oru_r01-v2.5.1-cdc-ti-utf8-micro-unit.hl7, org.clinicalfunctions.hl7v2.ORU_R01",
        "oru_r01-v2.5.1-cerner-elr-bordetella.hl7, org.clinicalfunctions.hl7v2.ORU_R01",
        "oru_r01-v2.5.1-cerner-elr-en.hl7, org.clinicalfunctions.hl7v2.ORU_R01",
        "oru_r01-v2.5.1-cerner-elr-lead-range-caret.hl7, org.clinicalfunctions.hl7v2.ORU_R01",
        "oru_r01-v2.5.1-cerner-elr-sequential.hl7, org.clinicalfunctions.hl7v2.ORU_R01",
        "oru_r01-v2.5.1-hl7-elr-animal-rabies.hl7, org.clinicalfunctions.hl7v2.ORU_R01",
        "oru_r01-v2.5.1-hl7-elr-campylobacter-culture.hl7, org.clinicalfunctions.hl7v2.ORU_R01",
        "oru_r01-v2.5.1-hl7-elr-cj-bad-loinc.hl7, org.clinicalfunctions.hl7v2.ORU_R01",
        "oru_r01-v2.5.1-hl7-elr-cj-joeslab.hl7, org.clinicalfunctions.hl7v2.ORU_R01",
        "oru_r01-v2.5.1-hl7-elr-cj.hl7, org.clinicalfunctions.hl7v2.ORU_R01",
        "oru_r01-v2.5.1-hl7-elr-hcv-sn-gt-flag-repeat.hl7, org.clinicalfunctions.hl7v2.ORU_R01",
        "oru_r01-v2.5.1-ms-iphims-full-segment-coverage.hl7, org.clinicalfunctions.hl7v2.ORU_R01",
        "oru_r01-v2.5.1-nist-elr-tc1-lead-textual-range.hl7, org.clinicalfunctions.hl7v2.ORU_R01",
        "oru_r01-v2.5.1-nist-elr-tc2.hl7, org.clinicalfunctions.hl7v2.ORU_R01",
        "oru_r01-v2.5.1-nist-elr-tc3.hl7, org.clinicalfunctions.hl7v2.ORU_R01",
        "oru_r01-v2.5.1-nist-elr-tc4.hl7, org.clinicalfunctions.hl7v2.ORU_R01",
        "oru_r01-v2.5.1-nist-elr-tc5.hl7, org.clinicalfunctions.hl7v2.ORU_R01",
        "oru_r01-v2.5.1-nist-elr-tc6.hl7, org.clinicalfunctions.hl7v2.ORU_R01",
        "oru_r01-v2.5.1-nist-lri-cbc-28-obx.hl7, org.clinicalfunctions.hl7v2.ORU_R01",
        "oru_r01-v2.6-lfh-mixed-st-tx-lines.hl7, org.clinicalfunctions.hl7v2.ORU_R01",
        "oru_r01-v2.6-lfh-tx-report-lines-no-obx3.hl7, org.clinicalfunctions.hl7v2.ORU_R01",
        "oul_r22-ms-specimen-oriented-results.hl7, org.clinicalfunctions.hl7v2.OUL_R22",
        "siu_s12-v2.8-ms-01.hl7, org.clinicalfunctions.hl7v2.SIU_S12",
        "siu_s12-v2.8-ms-02.hl7, org.clinicalfunctions.hl7v2.SIU_S12",
        "siu_s12-v2.8-ms-03.hl7, org.clinicalfunctions.hl7v2.SIU_S12",
        "siu_s14-v2.3-corepoint-example.hl7, org.clinicalfunctions.hl7v2.SIU_S14"
    })
    void acceptsEverySampleUnderItsMessageStructure(String file, String expectedType) throws Exception {
        byte[] body = sample(file);

        HttpResponse<String> response = post(body);

        assertThat(response.statusCode()).isEqualTo(200);
        Ack ack = Ack.single(response.body());
        assertThat(ack.code()).isEqualTo("AA");
        assertThat(BROKER.events()).singleElement().satisfies(event -> {
            assertThat(event.header("ce-type")).isEqualTo(expectedType);
            assertThat(event.attribute("subject")).isEqualTo(ack.field("MSA", 2));
            assertThat(event.text()).startsWith("MSH");
        });
    }

    @Test
    void sampleTableAboveCoversEveryCopiedSample() throws Exception {
        Path folder = Path.of(Hl7IngestBatchTests.class.getResource("/hl7v2").toURI());

        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files.filter(file -> file.toString().endsWith(".hl7")).count()).isEqualTo(53);
        }
    }

    @Test
    void sampleBatchWithoutTrailersYieldsItsOneMessage() throws Exception {
        byte[] body = sample("oru_r01-v2.5.1-batch-fhs-bhs-cdc-ti-newborn-screen.hl7");

        HttpResponse<String> response = post(body);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Ack.all(response.body())).extracting(Ack::code).containsExactly("AA");
        assertThat(BROKER.events()).singleElement().satisfies(event -> {
            assertThat(event.header("ce-subject")).isEqualTo("858625");
            assertThat(event.text()).startsWith("MSH|").doesNotContain("FHS|", "BHS|");
        });
    }

    @Test
    void batchYieldsOneEventAndOneAckPerMessageInOrder() throws Exception {
        String batch = FHS + BHS + MSG_1 + MSG_3 + "BTS|2\rFTS|1\r";

        HttpResponse<String> response = post(batch.getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).isEqualTo(200);
        List<Ack> acks = Ack.all(response.body());
        assertThat(acks).extracting(Ack::code).containsExactly("AA", "AA");
        assertThat(acks).extracting(ack -> ack.field("MSA", 2)).containsExactly("MSG-0001", "MSG-0003");
        assertThat(BROKER.events()).extracting(e -> e.header("ce-id"))
                .containsExactly(ORU_EVENT_ID, MSG_3_ID);
        assertThat(BROKER.events()).extracting(ReceivedEvent::text).containsExactly(MSG_1, MSG_3);
    }

    @Test
    void rejectsBatchWhoseCountDiffersFromItsMessages() throws Exception {
        String batch = FHS + BHS + MSG_1 + MSG_3 + "BTS|3\rFTS|1\r";

        HttpResponse<String> response = post(batch.getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).isEqualTo(400);
        Ack ack = Ack.single(response.body());
        assertThat(ack.code()).isEqualTo("AR");
        assertThat(ack.segment("ERR")).isEqualTo("ERR||BTS^1^1|100^Segment sequence error^HL70357|E||||BTS-1: batch"
                + " declares a message count that differs from the MSH segments found (2)");
        assertThat(BROKER.events()).isEmpty();
    }

    @Test
    void batchWithOneBadMessageIsAnswered400AndPublishesTheGoodOnes() throws Exception {
        String batch = BHS + MSG_1 + NO_CONTROL_ID + MSG_3 + "BTS|3\r";

        HttpResponse<String> response = post(batch.getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(Ack.all(response.body())).extracting(Ack::code).containsExactly("AA", "AR", "AA");
        assertThat(Ack.all(response.body()).get(1).field("ERR", 2)).isEqualTo("MSH^1^10");
        assertThat(BROKER.events()).extracting(e -> e.header("ce-subject")).containsExactly("MSG-0001", "MSG-0003");
    }

    @Test
    void batchStopsPublishingOnceTheBrokerIsUnavailable() throws Exception {
        BROKER.answer(503);
        String batch = BHS + MSG_1 + MSG_3 + "BTS|2\r";

        HttpResponse<String> response = post(batch.getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(Ack.all(response.body())).extracting(Ack::code).containsExactly("AE", "AE");
        assertThat(BROKER.events()).extracting(e -> e.header("ce-subject")).containsExactly("MSG-0001");
    }

    private static byte[] sample(String file) throws IOException {
        try (InputStream in = Hl7IngestBatchTests.class.getResourceAsStream("/hl7v2/" + file)) {
            assertThat(in).as(file).isNotNull();
            return in.readAllBytes();
        }
    }

    private HttpResponse<String> post(byte[] body) throws IOException, InterruptedException {
        return post(body, HL7);
    }
}
