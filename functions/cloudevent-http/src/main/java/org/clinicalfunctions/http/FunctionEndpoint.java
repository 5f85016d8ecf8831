package org.clinicalfunctions.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.message.MessageReader;
import io.cloudevents.http.HttpMessageFactory;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.util.InvalidMimeTypeException;
import org.springframework.util.MimeTypeUtils;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves the application's single function at {@code POST /}, the address Knative routes to. The request may be a
 * plain HTTP body, a binary-mode CloudEvent or a structured-mode CloudEvent; the function always sees a
 * {@code Message<byte[]>} whose CloudEvent attributes are {@code ce-*} headers.
 *
 * <p>Only the headers of the function's own answer reach the response. Spring Cloud Function's web module echoes
 * request headers into the response, which a broker reads as a reply event with the input's type: an endless loop
 * (spring-cloud-function #1091). Building the response here keeps that from happening.
 */
@RestController
public class FunctionEndpoint {

    private static final Logger log = LoggerFactory.getLogger(FunctionEndpoint.class);

    private final Function<Message<byte[]>, Message<byte[]>> function;
    private final String functionName;
    private final FunctionHttpProperties properties;
    private final PayloadTooLargeReply tooLarge;
    private final InvalidEventReply invalidEvent;
    private final RequestGuard guard;
    private final DeliveryTokenVerifier deliveries;
    private final DeliveryRefusalReply refusedDelivery;

    public FunctionEndpoint(FunctionCatalog catalog, FunctionHttpProperties properties,
            PayloadTooLargeReply tooLarge, InvalidEventReply invalidEvent, ObjectProvider<RequestGuard> guard,
            DeliveryTokenVerifier deliveries, DeliveryRefusalReply refusedDelivery,
            @Value("${spring.cloud.function.definition}") String functionName) {
        this.functionName = functionName;
        this.function = catalog.lookup(functionName);
        if (function == null) {
            throw new IllegalStateException("CF-HTTP-001 no function bean named '" + functionName + "'");
        }
        this.properties = properties;
        this.tooLarge = tooLarge;
        this.invalidEvent = invalidEvent;
        this.guard = guard.getIfUnique(() -> (headers, body) -> RequestGuard.Verdict.allow(Map.of()));
        this.deliveries = deliveries;
        this.refusedDelivery = refusedDelivery;
    }

    @PostMapping("/")
    public void invoke(HttpServletRequest request, HttpServletResponse response) throws IOException {
        long started = System.nanoTime();
        byte[] body = readBounded(request);
        if (body == null) {
            write(response, tooLarge.reply(properties.maxBodyBytes()), null);
            logOutcome(null, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, started);
            return;
        }

        Map<String, List<String>> headers = headersOf(request);
        Message<byte[]> refused = refuseDelivery(headers, request.getContentType());
        if (refused != null) {
            write(response, refused, null);
            logOutcome(null, statusOf(refused), started);
            return;
        }

        RequestGuard.Verdict verdict = guard.check(headers, body);
        if (!verdict.allowed()) {
            write(response, verdict.denial(), null);
            logOutcome(null, statusOf(verdict.denial()), started);
            return;
        }

        Message<byte[]> input;
        try {
            input = withAttributes(toMessage(headers, request.getContentType(), body), verdict.attributes());
        } catch (RuntimeException e) {
            // Malformed JSON, a missing required attribute or a bad spec version: the sender must fix it.
            write(response, invalidEvent.reply(), null);
            logOutcome(null, 400, started);
            return;
        }

        Message<byte[]> output = function.apply(input);
        write(response, output, input);
        logOutcome(input, statusOf(output), started);
    }

    /**
     * A CloudEvent is a broker delivery (or claims to be one) and must carry the broker's token; the guard, for
     * plain HTTP callers and signed webhooks, runs after. Answers null when the request may go on.
     */
    private Message<byte[]> refuseDelivery(Map<String, List<String>> headers, String contentType) {
        if (!deliveries.enforced() || !CloudEventHeaders.isCloudEventRequest(headers, contentType)) {
            return null;
        }
        List<String> authorization = headers.get("Authorization");
        try {
            deliveries.verifyHeader(authorization == null || authorization.isEmpty() ? null : authorization.get(0));
            return null;
        } catch (DeliveryTokenRefusal refusal) {
            return refusedDelivery.reply(refusal);
        }
    }

    private byte[] readBounded(HttpServletRequest request) throws IOException {
        long limit = properties.maxBodyBytes();
        if (request.getContentLengthLong() > limit) {
            return null;
        }
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes((int) limit + 1);
            return body.length > limit ? null : body;
        }
    }

    private static Map<String, List<String>> headersOf(HttpServletRequest request) {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String name : Collections.list(request.getHeaderNames())) {
            headers.put(name, Collections.list(request.getHeaders(name)));
        }
        return Collections.unmodifiableMap(headers);
    }

    private static Message<byte[]> withAttributes(Message<byte[]> input, Map<String, String> attributes) {
        return attributes.isEmpty() ? input : MessageBuilder.fromMessage(input).copyHeaders(attributes).build();
    }

    static Message<byte[]> toMessage(Map<String, List<String>> headers, String contentType, byte[] body) {
        if (!CloudEventHeaders.isCloudEventRequest(headers, contentType)) {
            return MessageBuilder.withPayload(body)
                    .setHeader(CloudEventHeaders.CONTENT_TYPE, readableContentType(contentType)).build();
        }
        MessageReader reader = HttpMessageFactory.createReaderFromMultimap(headers, body);
        Message<byte[]> event = CloudEventMessages.toMessage(reader.toEvent());
        Object dataContentType = event.getHeaders().get(CloudEventHeaders.CONTENT_TYPE);
        if (dataContentType == null) {
            return event;
        }
        String readable = readableContentType(dataContentType.toString());
        return MessageBuilder.fromMessage(event).setHeader(CloudEventHeaders.CONTENT_TYPE, readable)
                .setHeader(CloudEventHeaders.PREFIX + "datacontenttype", readable).build();
    }

    /**
     * Spring Cloud Function parses {@code contentType} before the function runs and fails with a 500 on a value it
     * cannot read (an unknown charset, a malformed parameter), which senders and brokers retry forever. Such a
     * value goes to the function without its parameters, or not at all, so the function answers in its own terms
     * (an unknown charset is as good as none, as {@code Hl7Text} already treats it).
     */
    static String readableContentType(String contentType) {
        if (contentType == null || isReadable(contentType)) {
            return contentType;
        }
        String bare = contentType.split(";", 2)[0].trim();
        return isReadable(bare) ? bare : null;
    }

    private static boolean isReadable(String contentType) {
        try {
            MimeTypeUtils.parseMimeType(contentType);
            return true;
        } catch (InvalidMimeTypeException unreadable) {
            return false;
        }
    }

    private static void write(HttpServletResponse response, Message<byte[]> output, Message<byte[]> input)
            throws IOException {
        response.setStatus(statusOf(output));
        if (CloudEventHeaders.isCloudEvent(output)) {
            CloudEvent event = CloudEventMessages.toEvent(output);
            refuseEcho(event, input);
            writeBinaryHeaders(response, event);
            if (event.getData() != null) {
                response.getOutputStream().write(event.getData().toBytes());
            }
            return;
        }
        Object contentType = output.getHeaders().get(CloudEventHeaders.CONTENT_TYPE);
        if (contentType != null) {
            response.setContentType(contentType.toString());
        }
        output.getHeaders().forEach((name, value) -> {
            if (name.startsWith(FunctionReply.RESPONSE_HEADER_PREFIX)) {
                response.setHeader(name.substring(FunctionReply.RESPONSE_HEADER_PREFIX.length()), value.toString());
            }
        });
        response.getOutputStream().write(output.getPayload());
    }

    /** CloudEvents HTTP binding 3.1.3: every attribute but datacontenttype is a percent-encoded ce- header. */
    private static void writeBinaryHeaders(HttpServletResponse response, CloudEvent event) {
        for (String name : event.getAttributeNames()) {
            Object value = event.getAttribute(name);
            if (value == null) {
                continue;
            }
            if ("datacontenttype".equals(name)) {
                response.setContentType(value.toString());
            } else {
                response.setHeader(CloudEventHeaders.PREFIX + name,
                        CloudEventHeaders.percentEncode(attributeText(value)));
            }
        }
        for (String name : event.getExtensionNames()) {
            Object value = event.getExtension(name);
            response.setHeader(CloudEventHeaders.PREFIX + name, CloudEventHeaders.percentEncode(attributeText(value)));
        }
    }

    private static String attributeText(Object value) {
        if (value instanceof java.time.OffsetDateTime time) {
            return java.time.format.DateTimeFormatter.ISO_INSTANT.format(time);
        }
        return value.toString();
    }

    /** A reply with the input's own id and type would be re-delivered to the same trigger forever. */
    private static void refuseEcho(CloudEvent reply, Message<byte[]> input) {
        if (input != null && CloudEventHeaders.isCloudEvent(input)
                && reply.getId().equals(CloudEventHeaders.attribute(input, "id"))
                && reply.getType().equals(CloudEventHeaders.attribute(input, "type"))) {
            throw new IllegalStateException("CF-HTTP-002 reply repeats the input event's id and type");
        }
    }

    private static int statusOf(Message<byte[]> output) {
        Object status = output.getHeaders().get(CloudEventHeaders.HTTP_STATUS);
        return status == null ? 200 : Integer.parseInt(status.toString());
    }

    private void logOutcome(Message<byte[]> input, int status, long started) {
        long micros = (System.nanoTime() - started) / 1_000;
        String id = input == null ? null : CloudEventHeaders.attribute(input, "id");
        String type = input == null ? null : CloudEventHeaders.attribute(input, "type");
        log.atInfo()
                .addKeyValue("function", functionName)
                .addKeyValue("ceId", id)
                .addKeyValue("ceType", type)
                .addKeyValue("status", status)
                .addKeyValue("durationMs", micros / 1000.0)
                .log("function={} ceId={} ceType={} status={} durationMs={}", functionName, id, type, status,
                        micros / 1000.0);
    }
}
