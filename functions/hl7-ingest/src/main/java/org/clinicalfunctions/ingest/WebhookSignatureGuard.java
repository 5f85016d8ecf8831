package org.clinicalfunctions.ingest;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.clinicalfunctions.http.FunctionReply;
import org.clinicalfunctions.http.RequestGuard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.messaging.Message;

/**
 * Checks the {@code Clinical-Signature} header of a webhook: {@code t=<unix seconds>,k=<key id>,v1=<hex>}, where
 * v1 is HMAC-SHA256 under the key's secret of the timestamp, a dot and the body bytes. Several v1 values may be
 * sent while a secret is rotated. A refused request gets 401 and an HL7 AR, so the sender's engine shows why.
 */
public class WebhookSignatureGuard implements RequestGuard {

    /** The request header that carries the signature. */
    public static final String HEADER = "Clinical-Signature";
    /** Message header naming the MSH-3.1 the signing key is bound to; set by this guard only. */
    public static final String BOUND_APPLICATION = "clinical-bound-application";
    /** Message header naming the MSH-4.1 the signing key is bound to; set by this guard only. */
    public static final String BOUND_FACILITY = "clinical-bound-facility";

    private static final Logger log = LoggerFactory.getLogger(WebhookSignatureGuard.class);

    private final SignatureProperties properties;
    private final Map<String, SignatureProperties.Key> keys = new LinkedHashMap<>();
    private final Clock clock;

    public WebhookSignatureGuard(SignatureProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
        for (SignatureProperties.Key key : properties.resolvedKeys()) {
            if (keys.put(key.id(), key) != null) {
                throw new IllegalArgumentException("INGEST-012 signing key id '" + key.id() + "' is used twice");
            }
        }
    }

    @Override
    public Verdict check(Map<String, List<String>> headers, byte[] body) {
        List<String> values = headers.getOrDefault(HEADER, List.of());
        if (values.isEmpty()) {
            return properties.required() ? refuse("INGEST-401", "no " + HEADER + " header")
                    : Verdict.allow(Map.of());
        }
        if (values.size() > 1) {
            return refuse("INGEST-402", "more than one " + HEADER + " header");
        }
        Signature signature = Signature.parse(values.get(0));
        if (signature == null) {
            return refuse("INGEST-402", HEADER + " is not t=<seconds>,k=<key id>,v1=<hex>");
        }
        SignatureProperties.Key key = keys.get(signature.keyId());
        if (key == null) {
            return refuse("INGEST-403", "unknown signing key");
        }
        Duration skew = Duration.between(Instant.ofEpochSecond(signature.timestamp()), clock.instant()).abs();
        if (skew.compareTo(properties.tolerance()) > 0) {
            return refuse("INGEST-404", "signature timestamp is more than " + properties.tolerance().toSeconds()
                    + " s from the server's clock");
        }
        byte[] expected = hmac(key.secret(), signature.timestamp(), body);
        for (byte[] candidate : signature.digests()) {
            if (MessageDigest.isEqual(expected, candidate)) {
                return Verdict.allow(Map.of(BOUND_APPLICATION, key.application(), BOUND_FACILITY, key.facility()));
            }
        }
        return refuse("INGEST-405", "signature does not match the body");
    }

    /** HMAC-SHA256 of {@code <timestamp>.<body>}: what a sender computes, given here for tests and tools. */
    public static byte[] hmac(String secret, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("INGEST-500 HmacSHA256 unavailable", e);
        }
    }

    /** The header value a sender puts on {@code body} at {@code timestamp}. */
    public static String header(String keyId, String secret, long timestamp, byte[] body) {
        return "t=" + timestamp + ",k=" + keyId + ",v1=" + HexFormat.of().formatHex(hmac(secret, timestamp, body));
    }

    /** The reason goes to the sender and the log; neither the key id sent nor any digest is echoed. */
    private static Verdict refuse(String code, String reason) {
        log.atInfo().addKeyValue("outcome", code).log("webhook refused outcome={} reason={}", code, reason);
        Message<byte[]> reply = FunctionReply.http(401, Hl7Acknowledgement.CONTENT_TYPE,
                Hl7Acknowledgement.reject(null, "207", "", code + " " + reason));
        return Verdict.deny(FunctionReply.withResponseHeader(reply, "WWW-Authenticate",
                "Clinical-Signature realm=\"hl7-ingest\""));
    }

    private record Signature(long timestamp, String keyId, List<byte[]> digests) {

        static Signature parse(String header) {
            long timestamp = -1;
            String keyId = null;
            List<byte[]> digests = new ArrayList<>();
            for (String part : header.split(",")) {
                String[] pair = part.trim().split("=", 2);
                if (pair.length != 2) {
                    return null;
                }
                try {
                    switch (pair[0]) {
                        case "t" -> timestamp = seconds(timestamp < 0 ? pair[1] : "");
                        case "k" -> keyId = once(keyId == null, pair[1]);
                        case "v1" -> digests.add(digest(pair[1]));
                        default -> {
                            // later schemes (v2=...) are ignored, as a sender may send several
                        }
                    }
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
            return timestamp < 0 || keyId == null || digests.isEmpty() ? null : new Signature(timestamp, keyId,
                    digests);
        }

        /**
         * A header naming t or k twice is refused: which one counts would otherwise depend on who reads it, this
         * guard (the last) or a proxy or log (often the first).
         */
        private static String once(boolean first, String value) {
            if (!first) {
                throw new IllegalArgumentException("named twice");
            }
            return value;
        }

        /** An HMAC-SHA256 is 32 bytes; an empty or shorter v1 can never match and is a malformed header. */
        private static byte[] digest(String hex) {
            byte[] digest = HexFormat.of().parseHex(hex);
            if (digest.length != 32) {
                throw new IllegalArgumentException("v1 is not an HMAC-SHA256");
            }
            return digest;
        }

        /**
         * Unix seconds in plain digits, as signed: no sign, no leading zero, at most 12 digits. A longer value
         * is past what {@link Instant} holds, and a sign or zeros would be signed as text other than the number.
         */
        private static long seconds(String text) {
            if (!text.matches("[1-9][0-9]{0,11}")) {
                throw new IllegalArgumentException("t is not unix seconds");
            }
            return Long.parseLong(text);
        }
    }
}
