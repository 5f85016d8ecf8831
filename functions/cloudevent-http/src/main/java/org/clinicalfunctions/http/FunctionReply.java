package org.clinicalfunctions.http;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

/**
 * Builds the messages a function returns: a plain HTTP answer with a status, or a reply CloudEvent that a Knative
 * broker re-enqueues. Nothing from the request is copied, so a reply never echoes the input event's attributes.
 */
public final class FunctionReply {

    private FunctionReply() {
    }

    /** A plain HTTP answer. */
    public static Message<byte[]> http(int status, String contentType, byte[] body) {
        return MessageBuilder.withPayload(body)
                .setHeader(CloudEventHeaders.HTTP_STATUS, status)
                .setHeader(CloudEventHeaders.CONTENT_TYPE, contentType)
                .build();
    }

    /** Message header prefix of an extra HTTP response header on a plain answer, such as WWW-Authenticate. */
    public static final String RESPONSE_HEADER_PREFIX = "http-response-header-";

    /** The plain answer with one more HTTP response header, for example a 401's {@code WWW-Authenticate}. */
    public static Message<byte[]> withResponseHeader(Message<byte[]> reply, String name, String value) {
        return MessageBuilder.fromMessage(reply).setHeader(RESPONSE_HEADER_PREFIX + name, value).build();
    }

    /** A plain HTTP answer with a UTF-8 text body. */
    public static Message<byte[]> http(int status, String contentType, String body) {
        return http(status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    /** A 2xx with no body: for a broker this means "done, no reply event". */
    public static Message<byte[]> accepted(int status) {
        return MessageBuilder.withPayload(new byte[0]).setHeader(CloudEventHeaders.HTTP_STATUS, status).build();
    }

    /**
     * A reply CloudEvent (answered with HTTP 200 in binary mode).
     *
     * @param extensions extra attributes; names must be lower-case letters and digits
     */
    public static Message<byte[]> event(String id, URI source, String type, String subject, String contentType,
            byte[] data, Map<String, String> extensions) {
        MessageBuilder<byte[]> builder = MessageBuilder.withPayload(data)
                .setHeader(CloudEventHeaders.HTTP_STATUS, 200)
                .setHeader(CloudEventHeaders.SPEC_VERSION, "1.0")
                .setHeader(CloudEventHeaders.ID, id)
                .setHeader(CloudEventHeaders.SOURCE, source.toString())
                .setHeader(CloudEventHeaders.TYPE, type)
                .setHeader(CloudEventHeaders.TIME, Instant.now().toString())
                .setHeader(CloudEventHeaders.CONTENT_TYPE, contentType);
        if (subject != null && !subject.isEmpty()) {
            builder.setHeader(CloudEventHeaders.SUBJECT, subject);
        }
        extensions.forEach((name, value) -> builder.setHeader(CloudEventHeaders.PREFIX + name, value));
        return builder.build();
    }
}
