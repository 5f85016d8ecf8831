package org.clinicalfunctions.http;

import java.net.URI;
import java.time.OffsetDateTime;
import java.util.Map;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

/** Converts between CloudEvents and {@code Message<byte[]>} with {@code ce-*} headers. */
public final class CloudEventMessages {

    private static final String PREFIX = CloudEventHeaders.PREFIX;

    private CloudEventMessages() {
    }

    public static Message<byte[]> toMessage(CloudEvent event) {
        byte[] data = event.getData() == null ? new byte[0] : event.getData().toBytes();
        MessageBuilder<byte[]> builder = MessageBuilder.withPayload(data)
                .setHeader(CloudEventHeaders.SPEC_VERSION, event.getSpecVersion().toString())
                .setHeader(CloudEventHeaders.ID, event.getId())
                .setHeader(CloudEventHeaders.SOURCE, event.getSource().toString())
                .setHeader(CloudEventHeaders.TYPE, event.getType());
        setIfPresent(builder, "subject", event.getSubject());
        setIfPresent(builder, "time", event.getTime());
        setIfPresent(builder, "dataschema", event.getDataSchema());
        setIfPresent(builder, "datacontenttype", event.getDataContentType());
        setIfPresent(builder, CloudEventHeaders.CONTENT_TYPE, event.getDataContentType(), "");
        for (String name : event.getExtensionNames()) {
            setIfPresent(builder, name, event.getExtension(name));
        }
        return builder.build();
    }

    public static CloudEvent toEvent(Message<byte[]> message) {
        Map<String, Object> headers = message.getHeaders();
        CloudEventBuilder builder = CloudEventBuilder.v1()
                .withId(text(headers.get(CloudEventHeaders.ID)))
                .withSource(URI.create(text(headers.get(CloudEventHeaders.SOURCE))))
                .withType(text(headers.get(CloudEventHeaders.TYPE)));
        Object contentType = headers.get(CloudEventHeaders.CONTENT_TYPE);
        if (message.getPayload().length > 0 || contentType != null) {
            builder.withData(contentType == null ? null : contentType.toString(), message.getPayload());
        }
        headers.forEach((name, value) -> {
            if (!name.startsWith(PREFIX) || value == null) {
                return;
            }
            String attribute = name.substring(PREFIX.length());
            switch (attribute) {
                case "id", "source", "type", "specversion", "datacontenttype" -> { }
                case "subject" -> builder.withSubject(value.toString());
                case "time" -> builder.withTime(OffsetDateTime.parse(value.toString()));
                case "dataschema" -> builder.withDataSchema(URI.create(value.toString()));
                default -> builder.withExtension(attribute, value.toString());
            }
        });
        return builder.build();
    }

    private static void setIfPresent(MessageBuilder<byte[]> builder, String attribute, Object value) {
        setIfPresent(builder, attribute, value, PREFIX);
    }

    private static void setIfPresent(MessageBuilder<byte[]> builder, String name, Object value, String prefix) {
        if (value != null) {
            builder.setHeader(prefix + name, value.toString());
        }
    }

    private static String text(Object value) {
        if (value == null) {
            throw new IllegalArgumentException("CF-HTTP-003 reply event lacks a required attribute");
        }
        return value.toString();
    }
}
