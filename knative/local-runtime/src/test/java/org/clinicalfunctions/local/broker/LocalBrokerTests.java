package org.clinicalfunctions.local.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.clinicalfunctions.local.broker.RecordingSubscriber.Answer;
import org.clinicalfunctions.local.broker.RecordingSubscriber.Received;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The broker over real HTTP: ingress on a loopback port, subscribers that are JDK HTTP servers in the test, and the
 * journal, parked and dead-letter folders on disk.
 */
class LocalBrokerTests {

    private static final String ORU = "org.clinicalfunctions.hl7v2.ORU_R01";
    private static final String NORMALIZED = "org.clinicalfunctions.lab.result.normalized";
    private static final String HL7 = "x-application/hl7-v2+er7; charset=utf-8";
    private static final String MESSAGE = "MSH|^~\\&|LAB|HOSP|||20250101120000||ORU^R01|MSG00001|P|2.5.1\r";
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<AutoCloseable> running = new ArrayList<>();

    @AfterEach
    void stopEverything() throws Exception {
        Collections.reverse(running);
        for (AutoCloseable closeable : running) {
            closeable.close();
        }
    }

    @Test
    void deliversBinaryEventWithKnativeHeadersOnly() throws Exception {
        RecordingSubscriber lab = subscriber();
        LocalBroker broker = broker(trigger("lab", ORU, lab.uri(), ""));

        int status = post(broker, oruHeaders("evt-1", Map.of("X-Request-Id", "req-7", "X-Correlation-Id", "c-1")),
                MESSAGE).statusCode();

        assertThat(status).isEqualTo(202);
        assertThat(broker.awaitIdle(WAIT)).isTrue();
        Received delivery = lab.received().get(0);
        assertThat(delivery.header("ce-id")).isEqualTo("evt-1");
        assertThat(delivery.header("ce-type")).isEqualTo(ORU);
        assertThat(delivery.header("ce-source")).isEqualTo("/hl7v2/LAB/HOSP");
        assertThat(delivery.header("ce-partitionkey")).isEqualTo("/hl7v2/LAB/HOSP");
        assertThat(delivery.header("content-type")).isEqualTo(HL7);
        assertThat(delivery.header("prefer")).isEqualTo("reply");
        assertThat(delivery.header("kn-namespace")).isEqualTo("clinical");
        assertThat(delivery.header("x-request-id")).isEqualTo("req-7");
        assertThat(delivery.header("x-correlation-id")).isNull();
        assertThat(delivery.header("ce-knativebrokerttl")).isNull();
        assertThat(delivery.header("ce-knativearrivaltime")).isNotBlank();
        assertThat(delivery.text()).isEqualTo(MESSAGE);
        assertThat(broker.stats()).isEqualTo(new BrokerStats(1, 1, 0, 0, 0, 0, 0));
    }

    @Test
    void acceptsStructuredModeAndDeliversItInBinaryMode() throws Exception {
        RecordingSubscriber store = subscriber();
        LocalBroker broker = broker(trigger("store", NORMALIZED, store.uri(), ""));
        String structured = """
                {"specversion":"1.0","id":"evt-s1","source":"/functions/lab-normalizer","type":"%s",
                 "subject":"MSG00001","hl7eventid":"evt-1","datacontenttype":"application/fhir+json",
                 "data":{"resourceType":"Bundle","type":"transaction"}}
                """.formatted(NORMALIZED);

        int status = post(broker, Map.of("Content-Type", "application/cloudevents+json; charset=UTF-8"), structured)
                .statusCode();

        assertThat(status).isEqualTo(202);
        assertThat(broker.awaitIdle(WAIT)).isTrue();
        Received delivery = store.received().get(0);
        assertThat(delivery.header("ce-id")).isEqualTo("evt-s1");
        assertThat(delivery.header("ce-hl7eventid")).isEqualTo("evt-1");
        assertThat(delivery.header("content-type")).isEqualTo("application/fhir+json");
        assertThat(delivery.text()).isEqualTo("{\"resourceType\":\"Bundle\",\"type\":\"transaction\"}");
    }

    @Test
    void keepsPercentEncodedHeaderValuesIntact() throws Exception {
        RecordingSubscriber lab = subscriber();
        LocalBroker broker = broker(trigger("lab", ORU, lab.uri(), ""));

        post(broker, oruHeaders("evt-pct", Map.of("ce-subject", "Z%C3%BCrich%20lab")), MESSAGE);

        assertThat(broker.awaitIdle(WAIT)).isTrue();
        assertThat(lab.received().get(0).header("ce-subject")).isEqualTo("Z%C3%BCrich%20lab");
    }

    @Test
    void deliversABurstWithoutLosingAnyEvent() throws Exception {
        RecordingSubscriber lab = subscriber();
        RecordingSubscriber audit = subscriber();
        LocalBroker broker = broker(trigger("lab", ORU, lab.uri(), "") + trigger("audit", ORU, audit.uri(), ""));

        for (int i = 0; i < 200; i++) {
            post(broker, oruHeaders("evt-burst-" + i, Map.of()), MESSAGE);
        }

        assertThat(broker.awaitIdle(WAIT)).isTrue();
        assertThat(lab.received()).hasSize(200);
        assertThat(audit.received()).hasSize(200);
        assertThat(journalFiles()).isEmpty();
        assertThat(broker.stats()).isEqualTo(new BrokerStats(200, 400, 0, 0, 0, 0, 0));
    }

    @Test
    void sendsStructuredModeWhenDeliveryFormatIsJson() throws Exception {
        RecordingSubscriber lab = subscriber();
        LocalBroker broker = broker(trigger("lab", ORU, lab.uri(), delivery("format: json")));

        post(broker, oruHeaders("evt-2", Map.of()), MESSAGE);

        assertThat(broker.awaitIdle(WAIT)).isTrue();
        Received delivery = lab.received().get(0);
        assertThat(delivery.header("content-type")).isEqualTo("application/cloudevents+json; charset=UTF-8");
        JsonNode event = JSON.readTree(delivery.body());
        assertThat(event.get("id").asText()).isEqualTo("evt-2");
        assertThat(event.get("datacontenttype").asText()).isEqualTo(HL7);
        assertThat(event.get("data_base64").asText()).isEqualTo(base64(MESSAGE));
        assertThat(event.has("knativebrokerttl")).isFalse();
    }

    @Test
    void retriesWithExponentialBackoffOn503ThenDelivers() throws Exception {
        RecordingSubscriber lab = subscriber().answering(Answer.status(503), Answer.status(503), Answer.status(503),
                Answer.status(202));
        LocalBroker broker = broker(trigger("lab", ORU, lab.uri(),
                delivery("retry: 3", "backoffPolicy: exponential", "backoffDelay: PT0.05S")));

        post(broker, oruHeaders("evt-3", Map.of()), MESSAGE);

        assertThat(broker.awaitIdle(WAIT)).isTrue();
        List<Received> attempts = lab.received();
        assertThat(attempts).hasSize(4);
        // MT: the wait before retry k is D*2^(k-1): 50, 100, 200 ms.
        assertThat(gapMillis(attempts, 1)).isBetween(50L, 2_000L);
        assertThat(gapMillis(attempts, 2)).isBetween(100L, 2_000L);
        assertThat(gapMillis(attempts, 3)).isBetween(200L, 2_000L);
        assertThat(gapMillis(attempts, 3)).isGreaterThan(gapMillis(attempts, 2));
        assertThat(broker.stats()).isEqualTo(new BrokerStats(1, 1, 3, 0, 0, 0, 0));
    }

    @Test
    void retriesTheFirstLinearRetryImmediatelyAsKnativeMtDoes() throws Exception {
        RecordingSubscriber lab = subscriber().answering(Answer.status(500), Answer.status(500), Answer.status(202));
        LocalBroker broker = broker(trigger("lab", ORU, lab.uri(),
                delivery("retry: 2", "backoffPolicy: linear", "backoffDelay: PT0.5S")));

        post(broker, oruHeaders("evt-3b", Map.of()), MESSAGE);

        assertThat(broker.awaitIdle(WAIT)).isTrue();
        List<Received> attempts = lab.received();
        assertThat(attempts).hasSize(3);
        // MT linear: D*(k-1), so 0 ms before the first retry and 500 ms before the second.
        assertThat(gapMillis(attempts, 1)).isLessThan(400L);
        assertThat(gapMillis(attempts, 2)).isBetween(500L, 2_500L);
    }

    @Test
    void deadLettersA400WithoutRetryCarryingTheThreeExtensions() throws Exception {
        RecordingSubscriber lab = subscriber().answering(Answer.status(400, "LAB-OBX-5: OBX[2]-5 not numeric"));
        RecordingSubscriber sink = subscriber();
        LocalBroker broker = broker(trigger("lab", ORU, lab.uri(), delivery("retry: 3", "deadLetterSink:",
                "  uri: " + sink.uri())));

        post(broker, oruHeaders("evt-4", Map.of()), MESSAGE);

        assertThat(broker.awaitIdle(WAIT)).isTrue();
        assertThat(lab.received()).hasSize(1);
        Received dead = sink.received().get(0);
        assertThat(dead.header("ce-id")).isEqualTo("evt-4");
        assertThat(dead.header("ce-knativeerrordest")).isEqualTo(lab.uri().toString());
        assertThat(dead.header("ce-knativeerrorcode")).isEqualTo("400");
        assertThat(dead.header("ce-knativeerrordata")).isEqualTo(base64("LAB-OBX-5: OBX[2]-5 not numeric"));
        assertThat(dead.header("ce-knativebrokerttl")).isNull();
        assertThat(dead.text()).isEqualTo(MESSAGE);
        assertThat(broker.deadLetters()).isEmpty();
        assertThat(broker.stats()).isEqualTo(new BrokerStats(1, 0, 0, 1, 0, 0, 0));
    }

    @Test
    void deadLettersATransportErrorLocallyWithCode500() throws Exception {
        URI nobody = URI.create("http://127.0.0.1:" + freePort() + "/");
        LocalBroker broker = broker(trigger("lab", ORU, nobody, delivery("retry: 1")));

        post(broker, oruHeaders("evt-5", Map.of()), MESSAGE);

        assertThat(broker.awaitIdle(WAIT)).isTrue();
        List<DeadLetter> deadLetters = broker.deadLetters();
        assertThat(deadLetters).hasSize(1);
        assertThat(deadLetters.get(0).trigger()).isEqualTo("lab");
        assertThat(deadLetters.get(0).event().getId()).isEqualTo("evt-5");
        assertThat(deadLetters.get(0).event().getExtension("knativeerrorcode")).isEqualTo(500);
        assertThat(deadLetters.get(0).event().getExtension("knativeerrordest")).isEqualTo(nobody.toString());
        assertThat(deadLetters.get(0).event().getExtension("knativeerrordata")).isNull();
        assertThat(broker.stats()).isEqualTo(new BrokerStats(1, 0, 1, 1, 0, 0, 0));
    }

    @Test
    void countsASlowSubscriberAsATransportErrorAfterTheDeliveryTimeout() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        RecordingSubscriber slow = subscriber().holdingUntil(release);
        LocalBroker broker = broker(trigger("slow", ORU, slow.uri(), delivery("retry: 1", "timeout: PT0.2S")));

        post(broker, oruHeaders("evt-slow", Map.of()), MESSAGE);

        boolean idle = broker.awaitIdle(WAIT);
        release.countDown();
        assertThat(idle).isTrue();
        assertThat(slow.received()).hasSize(2);
        assertThat(broker.deadLetters()).extracting(d -> d.event().getExtension("knativeerrorcode"))
                .containsExactly(500);
    }

    @Test
    void reEnqueuesAReplyForTheTriggerOnItsType() throws Exception {
        RecordingSubscriber normalizer = subscriber().answering(replyAnswer("reply-1", NORMALIZED));
        RecordingSubscriber store = subscriber().answering(Answer.status(400, "stop here"));
        LocalBroker broker = broker(trigger("normalizer", ORU, normalizer.uri(), "")
                + trigger("store", NORMALIZED, store.uri(), ""));

        post(broker, oruHeaders("evt-6", Map.of()), MESSAGE);

        assertThat(broker.awaitIdle(WAIT)).isTrue();
        assertThat(normalizer.received()).hasSize(1);
        Received reply = store.received().get(0);
        assertThat(reply.header("ce-id")).isEqualTo("reply-1");
        assertThat(reply.header("ce-type")).isEqualTo(NORMALIZED);
        assertThat(reply.header("ce-knativebrokerttl")).isNull();
        assertThat(reply.text()).isEqualTo("{\"resourceType\":\"Bundle\"}");
        // 255 at ingress, minus one for the event and one for its reply.
        assertThat(broker.deadLetters().get(0).event().getExtension("knativebrokerttl")).isEqualTo(253);
        assertThat(broker.stats().replies()).isEqualTo(1);
    }

    @Test
    void endsAReplyLoopWhenTheTtlRunsOut() throws Exception {
        RecordingSubscriber echo = subscriber().answering(replyAnswer("again", ORU));
        LocalBroker broker = broker(trigger("echo", ORU, echo.uri(), ""));

        post(broker, oruHeaders("evt-7", Map.of("ce-knativebrokerttl", "4")), MESSAGE);

        assertThat(broker.awaitIdle(WAIT)).isTrue();
        assertThat(echo.received()).hasSize(3);
        DeadLetter dead = broker.deadLetters().get(0);
        assertThat(dead.event().getExtension("knativeerrorcode")).isEqualTo(400);
        assertThat(dead.event().getExtension("knativeerrordest")).isEqualTo(broker.ingressUri().toString());
        assertThat(broker.stats().replies()).isEqualTo(2);
    }

    @Test
    void capsAProducersTtlAtTheBrokersMaximum() throws Exception {
        RecordingSubscriber echo = subscriber().answering(replyAnswer("again", ORU));
        LocalBroker broker = broker(trigger("echo", ORU, echo.uri(), ""));

        post(broker, oruHeaders("evt-8", Map.of("ce-knativebrokerttl", "2147483647")), MESSAGE);

        assertThat(broker.awaitIdle(WAIT)).isTrue();
        assertThat(echo.received()).hasSize(254);
        assertThat(broker.deadLetters()).hasSize(1);
    }

    @Test
    void treatsA202CarryingAnEventAsAReplyLikeKnativeMt() throws Exception {
        Answer reply = replyAnswer("reply-2", NORMALIZED);
        RecordingSubscriber normalizer = subscriber().answering(new Answer(202, reply.headers(), reply.body()));
        RecordingSubscriber store = subscriber();
        LocalBroker broker = broker(trigger("normalizer", ORU, normalizer.uri(), "")
                + trigger("store", NORMALIZED, store.uri(), ""));

        post(broker, oruHeaders("evt-6b", Map.of()), MESSAGE);

        assertThat(broker.awaitIdle(WAIT)).isTrue();
        assertThat(store.received()).extracting(r -> r.header("ce-id")).containsExactly("reply-2");
        assertThat(broker.stats()).isEqualTo(new BrokerStats(1, 2, 0, 0, 0, 1, 0));
    }

    @Test
    void retriesThenDeadLettersA2xxWhoseBodyIsNotAnEvent() throws Exception {
        RecordingSubscriber chatty = subscriber().answering(Answer.status(200, "OK"));
        LocalBroker broker = broker(trigger("chatty", ORU, chatty.uri(), delivery("retry: 1")));

        post(broker, oruHeaders("evt-13", Map.of()), MESSAGE);

        assertThat(broker.awaitIdle(WAIT)).isTrue();
        assertThat(chatty.received()).hasSize(2);
        DeadLetter dead = broker.deadLetters().get(0);
        assertThat(dead.event().getExtension("knativeerrorcode")).isEqualTo(502);
        assertThat(dead.event().getExtension("knativeerrordata")).isEqualTo(base64("OK"));
    }

    @Test
    void cutsErrorDataTo1024Base64Characters() throws Exception {
        String longBody = "E".repeat(2_000);
        RecordingSubscriber lab = subscriber().answering(Answer.status(400, longBody));
        LocalBroker broker = broker(trigger("lab", ORU, lab.uri(), ""));

        post(broker, oruHeaders("evt-14", Map.of()), MESSAGE);

        assertThat(broker.awaitIdle(WAIT)).isTrue();
        assertThat(broker.deadLetters().get(0).event().getExtension("knativeerrordata"))
                .isEqualTo(base64(longBody).substring(0, 1024));
    }

    @Test
    void keepsTheDeadLetterWhenTheSinkFailsToo() throws Exception {
        RecordingSubscriber lab = subscriber().answering(Answer.status(400, "no"));
        RecordingSubscriber sink = subscriber().answering(Answer.status(503));
        LocalBroker broker = broker(trigger("lab", ORU, lab.uri(), delivery("retry: 1", "deadLetterSink:",
                "  uri: " + sink.uri())));

        post(broker, oruHeaders("evt-15", Map.of()), MESSAGE);

        assertThat(broker.awaitIdle(WAIT)).isTrue();
        assertThat(sink.received()).hasSize(2);
        assertThat(broker.deadLetters()).extracting(d -> d.event().getExtension("knativeerrorcode"))
                .containsExactly(400);
    }

    @Test
    void resolvesRefsAndFallsBackToTheBrokerDeadLetterSink() throws Exception {
        RecordingSubscriber normalizer = subscriber().answering(Answer.status(400, "no"));
        RecordingSubscriber sink = subscriber();
        DestinationResolver services = (apiVersion, kind, name) -> switch (name) {
            case "lab-normalizer" -> Optional.of(normalizer.uri());
            case "dead-letters" -> Optional.of(sink.uri());
            default -> Optional.empty();
        };
        String brokerDelivery = delivery("retry: 0", "deadLetterSink:", "  ref:",
                "    apiVersion: serving.knative.dev/v1", "    kind: Service", "    name: dead-letters");
        String triggers = trigger("lab", ORU, URI.create("/events"), delivery("retry: 0"))
                .replace("    uri: /events", "    ref: {apiVersion: serving.knative.dev/v1, kind: Service, "
                        + "name: lab-normalizer}\n    uri: /events");
        LocalBroker broker = broker(brokerDelivery, triggers, services);

        post(broker, oruHeaders("evt-16", Map.of()), MESSAGE);

        assertThat(broker.awaitIdle(WAIT)).isTrue();
        assertThat(normalizer.received()).extracting(Received::path).containsExactly("/events");
        Received dead = sink.received().get(0);
        assertThat(dead.header("ce-knativeerrordest")).isEqualTo(normalizer.uri().resolve("/events").toString());
        assertThat(broker.deadLetters()).isEmpty();
    }

    @Test
    void storesTheDeadLetterWhenTheSinkIsNotRunningHere() throws Exception {
        RecordingSubscriber lab = subscriber().answering(Answer.status(400, "no"));
        LocalBroker broker = broker(trigger("lab", ORU, lab.uri(), delivery("deadLetterSink:", "  ref:",
                "    apiVersion: eventing.knative.dev/v1alpha1", "    kind: KafkaSink", "    name: dlq")));

        post(broker, oruHeaders("evt-17", Map.of()), MESSAGE);

        assertThat(broker.awaitIdle(WAIT)).isTrue();
        assertThat(broker.deadLetters()).extracting(DeadLetter::trigger).containsExactly("lab");
    }

    @Test
    void honoursRetryAfterUpToRetryAfterMax() throws Exception {
        RecordingSubscriber busy = subscriber().answering(new Answer(503, Map.of("Retry-After", "5"), new byte[0]),
                Answer.status(202));
        LocalBroker broker = broker(trigger("busy", ORU, busy.uri(), delivery("retry: 1", "retryAfterMax: PT0.3S")));

        post(broker, oruHeaders("evt-18", Map.of()), MESSAGE);

        assertThat(broker.awaitIdle(WAIT)).isTrue();
        List<Received> attempts = busy.received();
        assertThat(attempts).hasSize(2);
        // Retry-After asks for 5 s; retryAfterMax bounds the wait to 300 ms.
        assertThat(gapMillis(attempts, 1)).isBetween(300L, 4_000L);
    }

    @Test
    void keepsAtMostTheConfiguredNumberOfRequestsOpenPerTrigger() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        RecordingSubscriber slow = subscriber().holdingUntil(release);
        LocalBroker broker = broker(delivery("retry: 0"), trigger("slow", ORU, slow.uri(), ""),
                DestinationResolver.urisOnly(), 2, false, DeliveryIdentity.none());
        for (int i = 1; i <= 5; i++) {
            post(broker, oruHeaders("evt-c" + i, Map.of()), MESSAGE);
        }

        int whileHeld = slow.awaitReceived(2, WAIT).size();
        Thread.sleep(200);
        int afterAWhile = slow.received().size();
        release.countDown();

        assertThat(whileHeld).isEqualTo(2);
        assertThat(afterAWhile).isEqualTo(2);
        assertThat(broker.awaitIdle(WAIT)).isTrue();
        assertThat(slow.received()).hasSize(5);
        assertThat(slow.mostOpenAtOnce()).isEqualTo(2);
    }

    @Test
    void deliversOnceToEachMatchingTriggerEvenToTheSameSubscriber() throws Exception {
        RecordingSubscriber lab = subscriber();
        LocalBroker broker = broker(trigger("first", ORU, lab.uri(), "") + trigger("second", ORU, lab.uri(), "")
                + trigger("other", NORMALIZED, lab.uri(), ""));

        post(broker, oruHeaders("evt-8", Map.of()), MESSAGE);

        assertThat(broker.awaitIdle(WAIT)).isTrue();
        assertThat(lab.received()).extracting(r -> r.header("ce-id")).containsExactly("evt-8", "evt-8");
        assertThat(broker.stats()).isEqualTo(new BrokerStats(1, 2, 0, 0, 0, 0, 0));
    }

    @Test
    void parksAnEventNoTriggerWantsAndShowsItInTheAdminApi() throws Exception {
        RecordingSubscriber lab = subscriber();
        LocalBroker broker = broker(trigger("lab", ORU, lab.uri(), ""));
        Map<String, String> headers = new LinkedHashMap<>(oruHeaders("evt-9", Map.of()));
        headers.put("ce-type", "org.clinicalfunctions.hl7v2.ADT_A01");

        int status = post(broker, headers, MESSAGE).statusCode();

        assertThat(status).isEqualTo(202);
        assertThat(broker.awaitIdle(WAIT)).isTrue();
        assertThat(lab.received()).isEmpty();
        assertThat(broker.parked()).extracting(p -> p.event().getType())
                .containsExactly("org.clinicalfunctions.hl7v2.ADT_A01");
        JsonNode listed = JSON.readTree(get(broker.adminUri() + "/parked").body());
        assertThat(listed.get(0).get("event").get("id").asText()).isEqualTo("evt-9");
        assertThat(listed.get(0).get("event").has("data_base64")).isFalse();
        assertThat(listed.get(0).get("event").get("dataBytes").asInt()).isEqualTo(MESSAGE.length());
        JsonNode stats = JSON.readTree(get(broker.adminUri() + "/status").body());
        assertThat(stats.get("accepted").asLong()).isEqualTo(1);
        assertThat(stats.get("parked").asLong()).isEqualTo(1);
    }

    @Test
    void replaysAParkedEventOnceATriggerWantsIt() throws Exception {
        RecordingSubscriber admissions = subscriber();
        String adt = "org.clinicalfunctions.hl7v2.ADT_A01";
        Map<String, String> headers = new LinkedHashMap<>(oruHeaders("evt-9b", Map.of()));
        headers.put("ce-type", adt);
        LocalBroker before = broker("");
        post(before, headers, MESSAGE);
        before.close();
        LocalBroker after = broker(trigger("admissions", adt, admissions.uri(), ""));

        HttpResponse<String> replayed = postAdmin(after.adminUri() + "/parked/replay");

        assertThat(JSON.readTree(replayed.body()).get("replayed").asInt()).isEqualTo(1);
        assertThat(after.awaitIdle(WAIT)).isTrue();
        assertThat(admissions.received()).extracting(r -> r.header("ce-id")).containsExactly("evt-9b");
        assertThat(after.parked()).isEmpty();
    }

    @Test
    void sendsTheTriggersOidcTokenOnlyToASubscriberThatNamesAnAudience() throws Exception {
        RecordingSubscriber checked = subscriber();
        RecordingSubscriber open = subscriber();
        String triggers = trigger("lab", ORU, checked.uri(), "").replace("    uri: " + checked.uri(),
                "    uri: " + checked.uri() + "\n    audience: serving.knative.dev/service/clinical/lab")
                + trigger("open", ORU, open.uri(), "");
        DeliveryIdentity identity = (audience, subject) -> "token-for " + audience + " " + subject;
        LocalBroker broker = broker(delivery("retry: 0"), triggers, DestinationResolver.urisOnly(),
                BrokerConfig.DEFAULT_MAX_CONCURRENT_DELIVERIES, false, identity);

        post(broker, oruHeaders("evt-oidc", Map.of("Authorization", "Bearer from-the-sender")), MESSAGE);

        assertThat(broker.awaitIdle(WAIT)).isTrue();
        assertThat(checked.received().get(0).header("authorization")).isEqualTo("Bearer token-for"
                + " serving.knative.dev/service/clinical/lab"
                + " system:serviceaccount:clinical:lab-oidc-eventing.knative.dev-trigger");
        assertThat(open.received().get(0).header("authorization")).isNull();
    }

    @Test
    void deliversEveryEventTwiceWhenAskedToProveSubscribersDedupe() throws Exception {
        RecordingSubscriber lab = subscriber();
        LocalBroker broker = broker(delivery("retry: 0"), trigger("lab", ORU, lab.uri(), ""),
                DestinationResolver.urisOnly(), BrokerConfig.DEFAULT_MAX_CONCURRENT_DELIVERIES, true,
                DeliveryIdentity.none());

        post(broker, oruHeaders("evt-dup", Map.of()), MESSAGE);

        assertThat(broker.awaitIdle(WAIT)).isTrue();
        assertThat(lab.received()).extracting(r -> r.header("ce-id")).containsExactly("evt-dup", "evt-dup");
    }

    @Test
    void listsAndReplaysADeadLetterThroughTheAdminApi() throws Exception {
        RecordingSubscriber lab = subscriber().answering(Answer.status(422, "invalid"), Answer.status(202));
        LocalBroker broker = broker(trigger("lab", ORU, lab.uri(), ""));
        post(broker, oruHeaders("evt-10", Map.of()), MESSAGE);
        assertThat(broker.awaitIdle(WAIT)).isTrue();

        JsonNode listed = JSON.readTree(get(broker.adminUri() + "/dead-letters").body());
        String id = listed.get(0).get("id").asText();
        HttpResponse<String> replayed = postAdmin(broker.adminUri() + "/dead-letters/" + id + "/replay");

        assertThat(listed.get(0).get("trigger").asText()).isEqualTo("lab");
        assertThat(listed.get(0).get("event").get("knativeerrorcode").asInt()).isEqualTo(422);
        assertThat(replayed.statusCode()).isEqualTo(200);
        assertThat(broker.awaitIdle(WAIT)).isTrue();
        Received again = lab.received().get(1);
        assertThat(again.header("ce-id")).isEqualTo("evt-10");
        assertThat(again.header("ce-knativeerrorcode")).isNull();
        assertThat(again.header("ce-knativeerrordest")).isNull();
        assertThat(again.header("ce-knativeerrordata")).isNull();
        assertThat(broker.deadLetters()).isEmpty();
        assertThat(postAdmin(broker.adminUri() + "/dead-letters/" + id + "/replay").statusCode()).isEqualTo(404);
    }

    @Test
    void concurrentReplaysOfOneDeadLetterReplayItOnce() throws Exception {
        RecordingSubscriber lab = subscriber().answering(Answer.status(422, "invalid"), Answer.status(202));
        LocalBroker broker = broker(trigger("lab", ORU, lab.uri(), ""));
        post(broker, oruHeaders("evt-storm", Map.of()), MESSAGE);
        assertThat(broker.awaitIdle(WAIT)).isTrue();
        String id = broker.deadLetters().get(0).id();

        List<Integer> statuses = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Thread> storm = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            storm.add(Thread.ofVirtual().start(() -> {
                try {
                    statuses.add(postAdmin(broker.adminUri() + "/dead-letters/" + id + "/replay").statusCode());
                } catch (Exception e) {
                    statuses.add(-1);
                }
            }));
        }
        for (Thread thread : storm) {
            thread.join();
        }

        assertThat(broker.awaitIdle(WAIT)).isTrue();
        assertThat(statuses).hasSize(16).containsOnlyOnce(200).containsOnly(200, 404);
        assertThat(lab.received()).extracting(r -> r.header("ce-id")).containsExactly("evt-storm", "evt-storm");
        assertThat(broker.deadLetters()).isEmpty();
    }

    @Test
    void deliversAnEventAcceptedWhileTheSubscriberWasDown() throws Exception {
        int port = freePort();
        LocalBroker broker = broker(trigger("lab", ORU, URI.create("http://127.0.0.1:" + port + "/"),
                delivery("retry: 10", "backoffPolicy: linear", "backoffDelay: PT0.1S")));

        int status = post(broker, oruHeaders("evt-11", Map.of()), MESSAGE).statusCode();
        Thread.sleep(300);
        RecordingSubscriber lab = subscriberOn(port);

        assertThat(status).isEqualTo(202);
        assertThat(broker.awaitIdle(WAIT)).isTrue();
        assertThat(lab.received()).extracting(r -> r.header("ce-id")).containsExactly("evt-11");
        assertThat(broker.deadLetters()).isEmpty();
        assertThat(broker.stats().retried()).isPositive();
    }

    @Test
    void aRestartedBrokerRedeliversWhatTheJournalHolds() throws Exception {
        int port = freePort();
        String triggers = trigger("lab", ORU, URI.create("http://127.0.0.1:" + port + "/"),
                delivery("retry: 2", "backoffPolicy: linear", "backoffDelay: PT30S"));
        LocalBroker first = broker(triggers);
        post(first, oruHeaders("evt-12", Map.of()), MESSAGE);
        awaitRetries(first, 2);
        first.close();
        assertThat(journalFiles()).hasSize(1);

        RecordingSubscriber lab = subscriberOn(port);
        LocalBroker second = broker(triggers);

        assertThat(second.awaitIdle(WAIT)).isTrue();
        assertThat(lab.received()).extracting(r -> r.header("ce-id")).containsExactly("evt-12");
        assertThat(journalFiles()).isEmpty();
    }

    static Stream<Arguments> invalidEvents() {
        Map<String, String> valid = Map.of("ce-id", "e1", "ce-source", "/s", "ce-type", "t", "ce-specversion", "1.0",
                "Content-Type", "text/plain");
        return Stream.of(
                Arguments.of("missing id", without(valid, "ce-id"), "x", "CE-REQUIRED: id is required"),
                Arguments.of("missing source", without(valid, "ce-source"), "x", "CE-REQUIRED: source is required"),
                Arguments.of("missing type", without(valid, "ce-type"), "x", "CE-REQUIRED: type is required"),
                Arguments.of("missing specversion", without(valid, "ce-specversion"), "x",
                        "CE-SPECVERSION: specversion is required"),
                Arguments.of("specversion 0.3", with(valid, "ce-specversion", "0.3"), "x",
                        "CE-SPECVERSION: specversion must be 1.0"),
                Arguments.of("source not a URI-reference", with(valid, "ce-source", "not%20a%20uri"), "x",
                        "CE-URI: source must be a URI-reference"),
                Arguments.of("TTL exhausted", with(valid, "ce-knativebrokerttl", "1"), "x",
                        "KN-TTL-EXHAUSTED: knativebrokerttl reached 0, event dropped"),
                Arguments.of("structured without source", Map.of("Content-Type", "application/cloudevents+json"),
                        "{\"specversion\":\"1.0\",\"id\":\"e1\",\"type\":\"t\"}", "CE-REQUIRED: source is required"),
                Arguments.of("structured not JSON", Map.of("Content-Type", "application/cloudevents+json"), "{",
                        "CE-JSON: structured event is not valid JSON"),
                Arguments.of("batch", Map.of("Content-Type", "application/cloudevents-batch+json"), "[]",
                        "CE-BATCH: batched mode is not accepted by a broker"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidEvents")
    void rejectsAnInvalidEventWith400(String name, Map<String, String> headers, String body, String error)
            throws Exception {
        RecordingSubscriber everything = subscriber();
        LocalBroker broker = broker(trigger("all", ORU, everything.uri(), "").replace(
                "filters: [{exact: {type: " + ORU + "}}]", "filters: []"));

        HttpResponse<String> response = post(broker, headers, body);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).isEqualTo(error);
        assertThat(broker.stats()).isEqualTo(new BrokerStats(0, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void answersOptionsAndRefusesOtherMethodsLikeKnativeIngress() throws Exception {
        LocalBroker broker = broker("");

        int options = send(HttpRequest.newBuilder(broker.ingressUri())
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())).statusCode();
        int get = send(HttpRequest.newBuilder(broker.ingressUri()).GET()).statusCode();
        int put = send(HttpRequest.newBuilder(broker.ingressUri()).PUT(HttpRequest.BodyPublishers.ofString("x")))
                .statusCode();

        assertThat(options).isEqualTo(200);
        assertThat(get).isEqualTo(405);
        assertThat(put).isEqualTo(405);
    }

    private RecordingSubscriber subscriber() throws IOException {
        RecordingSubscriber subscriber = RecordingSubscriber.start();
        running.add(subscriber);
        return subscriber;
    }

    private RecordingSubscriber subscriberOn(int port) throws IOException {
        RecordingSubscriber subscriber = RecordingSubscriber.startOn(port);
        running.add(subscriber);
        return subscriber;
    }

    private LocalBroker broker(String triggers) throws IOException {
        return broker(delivery("retry: 0"), triggers, DestinationResolver.urisOnly());
    }

    private LocalBroker broker(String brokerDelivery, String triggers, DestinationResolver resolver)
            throws IOException {
        return broker(brokerDelivery, triggers, resolver, BrokerConfig.DEFAULT_MAX_CONCURRENT_DELIVERIES, false,
                DeliveryIdentity.none());
    }

    private LocalBroker broker(String brokerDelivery, String triggers, DestinationResolver resolver,
            int maxConcurrent, boolean duplicates, DeliveryIdentity identity) throws IOException {
        Path eventing = Files.createDirectories(root.resolve("eventing"));
        Files.writeString(eventing.resolve("10-broker.yaml"), """
                apiVersion: eventing.knative.dev/v1
                kind: Broker
                metadata:
                  name: default
                  namespace: clinical
                spec:
                """ + brokerDelivery + triggers);
        LocalBroker broker = LocalBroker.start(BrokerConfig.of(eventing, root.resolve("data")).withResolver(resolver)
                .withMaxConcurrentDeliveries(maxConcurrent).withDuplicateDeliveries(duplicates).withIdentity(identity));
        running.add(broker);
        return broker;
    }

    private static String trigger(String name, String type, URI subscriber, String delivery) {
        return """
                ---
                apiVersion: eventing.knative.dev/v1
                kind: Trigger
                metadata:
                  name: %s
                  namespace: clinical
                spec:
                  broker: default
                  filters: [{exact: {type: %s}}]
                  subscriber:
                    uri: %s
                """.formatted(name, type, subscriber) + delivery;
    }

    private static String delivery(String... lines) {
        StringBuilder yaml = new StringBuilder("  delivery:\n");
        for (String line : lines) {
            yaml.append("    ").append(line).append('\n');
        }
        return yaml.toString();
    }

    private static Map<String, String> oruHeaders(String id, Map<String, String> extra) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("ce-specversion", "1.0");
        headers.put("ce-id", id);
        headers.put("ce-source", "/hl7v2/LAB/HOSP");
        headers.put("ce-type", ORU);
        headers.put("ce-subject", "MSG00001");
        headers.put("ce-partitionkey", "/hl7v2/LAB/HOSP");
        headers.put("Content-Type", HL7);
        headers.putAll(extra);
        return headers;
    }

    private static Answer replyAnswer(String id, String type) {
        return new Answer(200, Map.of("ce-specversion", "1.0", "ce-id", id, "ce-type", type,
                "ce-source", "/functions/lab-normalizer", "Content-Type", "application/fhir+json"),
                "{\"resourceType\":\"Bundle\"}".getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> post(LocalBroker broker, Map<String, String> headers, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(broker.ingressUri())
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return send(request);
    }

    private HttpResponse<String> get(String uri) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(uri)).GET());
    }

    private HttpResponse<String> postAdmin(String uri) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(uri)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitRetries(LocalBroker broker, long retries) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (broker.stats().retried() < retries && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(broker.stats().retried()).isEqualTo(retries);
    }

    private List<Path> journalFiles() throws IOException {
        try (Stream<Path> files = Files.list(root.resolve("data").resolve("journal"))) {
            return files.filter(f -> f.toString().endsWith(".json")).toList();
        }
    }

    private static long gapMillis(List<Received> attempts, int retry) {
        return (attempts.get(retry).receivedNanos() - attempts.get(retry - 1).receivedNanos()) / 1_000_000;
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Map<String, String> without(Map<String, String> headers, String name) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.remove(name);
        return copy;
    }

    private static Map<String, String> with(Map<String, String> headers, String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return copy;
    }
}
