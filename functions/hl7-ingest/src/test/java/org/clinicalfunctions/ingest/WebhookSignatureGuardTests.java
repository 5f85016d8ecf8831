package org.clinicalfunctions.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.clinicalfunctions.http.CloudEventHeaders;
import org.clinicalfunctions.http.RequestGuard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The signature check on its own: what passes, what is refused, and with which code. */
class WebhookSignatureGuardTests {

    static final String SECRET = "0123456789abcdef0123456789abcdef-acme";
    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
    /** A v1 of the right length (32 bytes) that matches nothing. */
    private static final String V1 = "v1=0000000000000000000000000000000000000000000000000000000000000000";
    private static final byte[] BODY = IngestOverHttp.ORU.getBytes(StandardCharsets.UTF_8);

    private final WebhookSignatureGuard guard = guard(true);

    static WebhookSignatureGuard guard(boolean required) {
        SignatureProperties properties = new SignatureProperties(required, Duration.ofMinutes(5),
                List.of(new SignatureProperties.Key("acme-2026", "", "LAB APP", "ACME LAB")),
                Map.of("acme-2026", SECRET));
        return new WebhookSignatureGuard(properties, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void signedBodyPassesWithTheKeysBinding() {
        String header = WebhookSignatureGuard.header("acme-2026", SECRET, NOW.getEpochSecond(), BODY);

        RequestGuard.Verdict verdict = guard.check(headers(header), BODY);

        assertThat(verdict.allowed()).isTrue();
        assertThat(verdict.attributes()).containsEntry(WebhookSignatureGuard.BOUND_APPLICATION, "LAB APP")
                .containsEntry(WebhookSignatureGuard.BOUND_FACILITY, "ACME LAB");
    }

    @Test
    void anyOfSeveralDigestsMayMatchWhileASecretRotates() {
        String stale = WebhookSignatureGuard.header("acme-2026", "another-secret-of-32-characters-xx",
                NOW.getEpochSecond(), BODY);
        String good = WebhookSignatureGuard.header("acme-2026", SECRET, NOW.getEpochSecond(), BODY);

        String both = stale + "," + good.substring(good.indexOf("v1="));

        assertThat(guard.check(headers(both), BODY).allowed()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "tampered body ; 0 ; acme-2026 ; true ; INGEST-405",
        "timestamp 6 minutes old ; -360 ; acme-2026 ; false ; INGEST-404",
        "timestamp 6 minutes ahead ; 360 ; acme-2026 ; false ; INGEST-404",
        "unknown key ; 0 ; other-key ; false ; INGEST-403",
    })
    void refusesWithA401AndAnHl7Reject(String name, long offset, String keyId, boolean tamper, String code) {
        String header = WebhookSignatureGuard.header(keyId, SECRET, NOW.getEpochSecond() + offset, BODY);
        byte[] body = tamper ? IngestOverHttp.ORU.replace("95", "59").getBytes(StandardCharsets.UTF_8) : BODY;

        RequestGuard.Verdict verdict = guard.check(headers(header), body);

        assertThat(verdict.allowed()).isFalse();
        assertThat(verdict.denial().getHeaders().get(CloudEventHeaders.HTTP_STATUS)).isEqualTo(401);
        String ack = new String(verdict.denial().getPayload(), StandardCharsets.UTF_8);
        assertThat(ack).contains("MSA|AR").contains(code);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {"garbage", "t=abc,k=acme-2026,v1=00", "t=1,k=acme-2026,v1=zz",
        "t=1,k=acme-2026", "k=acme-2026,v1=00", "t=99999999999999999,k=acme-2026," + V1,
        "t=9223372036854775807,k=acme-2026," + V1, "t=+1764849600,k=acme-2026," + V1,
        "t=01764849600,k=acme-2026," + V1, "t=-1,k=acme-2026," + V1})
    void malformedHeaderIsRefused(String header) {
        RequestGuard.Verdict verdict = guard.check(headers(header), BODY);

        assertThat(verdict.allowed()).isFalse();
        assertThat(new String(verdict.denial().getPayload(), StandardCharsets.UTF_8)).contains("INGEST-402");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "k named twice ; ,k=other-key",
        "t named twice ; ,t=1764849600",
        "an empty v1 ; ,v1=",
        "a v1 of 31 bytes ; ,v1=00112233445566778899aabbccddeeff00112233445566778899aabbccddee"})
    void validSignatureWithAnAmbiguousOrImpossiblePartIsMalformed(String name, String extra) {
        String header = WebhookSignatureGuard.header("acme-2026", SECRET, NOW.getEpochSecond(), BODY) + extra;

        RequestGuard.Verdict verdict = guard.check(headers(header), BODY);

        assertThat(verdict.allowed()).isFalse();
        assertThat(new String(verdict.denial().getPayload(), StandardCharsets.UTF_8)).contains("INGEST-402");
    }

    @Test
    void uppercaseHexAndSpacesAroundPartsAreRead() {
        String header = WebhookSignatureGuard.header("acme-2026", SECRET, NOW.getEpochSecond(), BODY);
        String relaxed = header.substring(0, header.indexOf("v1=")).replace(",", " , ")
                + header.substring(header.indexOf("v1=")).toUpperCase(java.util.Locale.ROOT).replace("V1=", "v1=");

        assertThat(guard.check(headers(relaxed), BODY).allowed()).isTrue();
    }

    @Test
    void missingSignatureIsRefusedOnlyWhenRequired() {
        assertThat(guard.check(Map.of(), BODY).allowed()).isFalse();
        assertThat(guard(false).check(Map.of(), BODY).allowed()).isTrue();
        assertThat(guard(false).check(headers("t=1,k=acme-2026,v1=00"), BODY).allowed())
                .as("a signature that is sent is checked even when not required").isFalse();
    }

    @Test
    void keyWithoutASecretOfThirtyTwoCharactersIsAConfigurationError() {
        SignatureProperties shortSecret = new SignatureProperties(true, Duration.ofMinutes(5),
                List.of(new SignatureProperties.Key("k", "short", "", "")), Map.of());
        SignatureProperties noSecret = new SignatureProperties(true, Duration.ofMinutes(5),
                List.of(new SignatureProperties.Key("k", "", "", "")), Map.of("other", SECRET));

        for (SignatureProperties properties : List.of(shortSecret, noSecret)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new WebhookSignatureGuard(properties,
                    Clock.systemUTC())).hasMessageContaining("INGEST-011");
        }
    }

    private static Map<String, List<String>> headers(String signature) {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.put("clinical-signature", List.of(signature));
        return headers;
    }
}
