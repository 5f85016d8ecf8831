package org.clinicalfunctions.local.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;

/**
 * CloudEvents HTTP binding v1.0.2 for the broker: reads binary and structured (JSON) mode, writes either, and keeps
 * events in files as structured JSON with {@code data_base64} so the bytes come back unchanged.
 */
final class CloudEventCodec {

    static final String STRUCTURED_CONTENT_TYPE = "application/cloudevents+json; charset=UTF-8";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ATTRIBUTE_NAME = Pattern.compile("^[a-z0-9]+$");
    private static final String HEADER_PREFIX = "ce-";
    private static final List<String> CORE = List.of("specversion", "id", "source", "type", "subject", "time",
            "dataschema", "datacontenttype");

    private CloudEventCodec() {
    }

    /** True when an HTTP message carries a CloudEvent: a {@code ce-specversion} header or a structured type. */
    static boolean isCloudEvent(Map<String, List<String>> headers) {
        Map<String, String> flat = flatten(headers);
        String contentType = flat.getOrDefault("content-type", "").toLowerCase(Locale.ROOT);
        return flat.containsKey("ce-specversion")
                || (contentType.startsWith("application/cloudevents") && !isBatch(contentType));
    }

    /** Reads one event in binary or structured mode; batches are refused as Knative ingress does. */
    static CloudEvent read(Map<String, List<String>> headers, byte[] body) throws InvalidEventException {
        Map<String, String> flat = flatten(headers);
        String contentType = flat.get("content-type");
        String lower = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (isBatch(lower)) {
            throw new InvalidEventException("CE-BATCH", "batched mode is not accepted by a broker");
        }
        if (lower.startsWith("application/cloudevents")) {
            return fromJson(parse(body));
        }
        return fromBinary(flat, contentType, body);
    }

    /** Binary mode: data as the body, {@code Content-Type} as datacontenttype, every other attribute a header. */
    static EncodedEvent binary(CloudEvent event) {
        Map<String, String> headers = new LinkedHashMap<>();
        attributes(event).forEach((name, value) -> {
            if ("datacontenttype".equals(name)) {
                headers.put("Content-Type", value.toString());
            } else {
                headers.put(HEADER_PREFIX + name, percentEncode(value.toString()));
            }
        });
        return new EncodedEvent(headers, data(event));
    }

    /** Structured mode: the whole event as one JSON object. */
    static EncodedEvent structured(CloudEvent event) {
        ObjectNode json = toJson(event, false);
        try {
            return new EncodedEvent(Map.of("Content-Type", STRUCTURED_CONTENT_TYPE), JSON.writeValueAsBytes(json));
        } catch (IOException impossible) {
            throw new IllegalStateException("CE-JSON-1: event cannot be written", impossible);
        }
    }

    /**
     * The event as structured JSON. With {@code base64} the data is always {@code data_base64} (exact bytes, for
     * files); otherwise JSON data is inlined and textual data written as a string.
     */
    static ObjectNode toJson(CloudEvent event, boolean base64) {
        ObjectNode json = JSON.createObjectNode();
        // Integer and boolean extensions keep their JSON type; every other attribute is written as its string form.
        attributes(event).forEach((name, value) -> json.set(name, JSON.valueToTree(
                value instanceof Integer || value instanceof Boolean ? value : value.toString())));
        byte[] data = event.getData() == null ? null : event.getData().toBytes();
        if (data != null) {
            writeData(json, event.getDataContentType(), data, base64);
        }
        return json;
    }

    /** Reads structured JSON written by {@link #toJson} or by any producer. */
    static CloudEvent fromJson(JsonNode json) throws InvalidEventException {
        if (json == null || !json.isObject()) {
            throw new InvalidEventException("CE-JSON", "structured event must be a JSON object");
        }
        Map<String, Object> attributes = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!"data".equals(field.getKey()) && !"data_base64".equals(field.getKey())) {
                attributes.put(field.getKey(), scalar(field.getKey(), field.getValue()));
            }
        }
        return build(attributes, structuredData(json, (String) attributes.get("datacontenttype")));
    }

    private static Object scalar(String name, JsonNode value) throws InvalidEventException {
        if (value.isInt()) {
            return value.asInt();
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        if (!value.isValueNode() || value.isNull()) {
            throw new InvalidEventException("CE-ATTRIBUTE-TYPE", "attribute " + name
                    + " must be a string, integer or boolean");
        }
        return value.asText();
    }

    private static byte[] structuredData(JsonNode json, String contentType) throws InvalidEventException {
        if (json.has("data") && json.has("data_base64")) {
            throw new InvalidEventException("CE-DATA", "data and data_base64 are mutually exclusive");
        }
        try {
            if (json.has("data_base64")) {
                return Base64.getDecoder().decode(json.get("data_base64").asText());
            }
            if (!json.has("data") || json.get("data").isNull()) {
                return null;
            }
            JsonNode data = json.get("data");
            if (data.isTextual() && !isJson(contentType)) {
                return data.asText().getBytes(StandardCharsets.UTF_8);
            }
            return JSON.writeValueAsBytes(data);
        } catch (IllegalArgumentException | IOException invalid) {
            throw new InvalidEventException("CE-DATA", "data_base64 is not valid base64");
        }
    }

    private static CloudEvent fromBinary(Map<String, String> headers, String contentType, byte[] body)
            throws InvalidEventException {
        Map<String, Object> attributes = new LinkedHashMap<>();
        for (Map.Entry<String, String> header : headers.entrySet()) {
            String name = header.getKey();
            if (name.startsWith(HEADER_PREFIX) && !"ce-datacontenttype".equals(name)) {
                attributes.put(name.substring(HEADER_PREFIX.length()), percentDecode(header.getValue(), name));
            }
        }
        if (contentType != null) {
            attributes.put("datacontenttype", contentType);
        }
        return build(attributes, body == null || body.length == 0 ? null : body);
    }

    private static CloudEvent build(Map<String, Object> attributes, byte[] data) throws InvalidEventException {
        validate(attributes);
        CloudEventBuilder builder = CloudEventBuilder.v1()
                .withId(text(attributes, "id"))
                .withSource(URI.create(text(attributes, "source")))
                .withType(text(attributes, "type"));
        if (attributes.containsKey("subject")) {
            builder.withSubject(text(attributes, "subject"));
        }
        if (attributes.containsKey("time")) {
            builder.withTime(OffsetDateTime.parse(text(attributes, "time")));
        }
        if (attributes.containsKey("dataschema")) {
            builder.withDataSchema(URI.create(text(attributes, "dataschema")));
        }
        if (data != null) {
            builder.withData(text(attributes, "datacontenttype"), data);
        } else if (attributes.containsKey("datacontenttype")) {
            builder.withDataContentType(text(attributes, "datacontenttype"));
        }
        attributes.forEach((name, value) -> extension(builder, name, value));
        return builder.build();
    }

    private static void extension(CloudEventBuilder builder, String name, Object value) {
        if (CORE.contains(name)) {
            return;
        }
        if (value instanceof Integer number) {
            builder.withExtension(name, number);
        } else if (value instanceof Boolean flag) {
            builder.withExtension(name, flag);
        } else {
            builder.withExtension(name, value.toString());
        }
    }

    private static void validate(Map<String, Object> attributes) throws InvalidEventException {
        if (!"1.0".equals(text(attributes, "specversion"))) {
            throw new InvalidEventException("CE-SPECVERSION", attributes.containsKey("specversion")
                    ? "specversion must be 1.0" : "specversion is required");
        }
        for (String required : List.of("id", "source", "type")) {
            String value = text(attributes, required);
            if (value == null || value.isEmpty()) {
                throw new InvalidEventException("CE-REQUIRED", required + " is required");
            }
        }
        for (String name : attributes.keySet()) {
            if (!ATTRIBUTE_NAME.matcher(name).matches()) {
                throw new InvalidEventException("CE-ATTRIBUTE-NAME", "attribute " + name
                        + " must be lower-case letters and digits");
            }
        }
        checkUri(text(attributes, "source"), "source", false);
        checkUri(text(attributes, "dataschema"), "dataschema", true);
        if (attributes.containsKey("subject") && text(attributes, "subject").isEmpty()) {
            throw new InvalidEventException("CE-SUBJECT", "subject must not be empty when present");
        }
        checkTime(text(attributes, "time"));
    }

    private static void checkUri(String value, String name, boolean absolute) throws InvalidEventException {
        if (value == null) {
            return;
        }
        try {
            URI uri = new URI(value);
            if (absolute && !uri.isAbsolute()) {
                throw new InvalidEventException("CE-URI", name + " must be an absolute URI");
            }
        } catch (URISyntaxException invalid) {
            throw new InvalidEventException("CE-URI", name + " must be a URI-reference");
        }
    }

    private static void checkTime(String value) throws InvalidEventException {
        if (value == null) {
            return;
        }
        try {
            OffsetDateTime.parse(value);
        } catch (DateTimeParseException invalid) {
            throw new InvalidEventException("CE-TIME", "time must be RFC 3339");
        }
    }

    private static String text(Map<String, Object> attributes, String name) {
        Object value = attributes.get(name);
        return value == null ? null : value.toString();
    }

    private static Map<String, Object> attributes(CloudEvent event) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("specversion", event.getSpecVersion().toString());
        attributes.put("id", event.getId());
        attributes.put("source", event.getSource().toString());
        attributes.put("type", event.getType());
        putIfPresent(attributes, "subject", event.getSubject());
        if (event.getTime() != null) {
            attributes.put("time", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(event.getTime()));
        }
        putIfPresent(attributes, "dataschema", event.getDataSchema());
        putIfPresent(attributes, "datacontenttype", event.getDataContentType());
        for (String name : event.getExtensionNames()) {
            attributes.put(name, event.getExtension(name));
        }
        return attributes;
    }

    private static void putIfPresent(Map<String, Object> attributes, String name, Object value) {
        if (value != null) {
            attributes.put(name, value);
        }
    }

    private static byte[] data(CloudEvent event) {
        return event.getData() == null ? new byte[0] : event.getData().toBytes();
    }

    private static void writeData(ObjectNode json, String contentType, byte[] data, boolean base64) {
        if (!base64 && isJson(contentType)) {
            try {
                json.set("data", JSON.readTree(data));
                return;
            } catch (IOException notJson) {
                // Data that claims to be JSON but is not goes as data_base64 below, so nothing is lost.
                json.remove("data");
            }
        }
        if (!base64 && contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("text/")) {
            json.put("data", new String(data, StandardCharsets.UTF_8));
            return;
        }
        json.put("data_base64", Base64.getEncoder().encodeToString(data));
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return true;
        }
        String lower = contentType.toLowerCase(Locale.ROOT);
        return lower.startsWith("application/json") || lower.contains("+json");
    }

    private static boolean isBatch(String lowerContentType) {
        return lowerContentType.startsWith("application/cloudevents-batch");
    }

    private static JsonNode parse(byte[] body) throws InvalidEventException {
        try {
            return JSON.readTree(body);
        } catch (IOException invalid) {
            throw new InvalidEventException("CE-JSON", "structured event is not valid JSON");
        }
    }

    private static Map<String, String> flatten(Map<String, List<String>> headers) {
        Map<String, String> flat = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> {
            if (name != null && values != null && !values.isEmpty()) {
                flat.put(name.toLowerCase(Locale.ROOT), values.get(0));
            }
        });
        return flat;
    }

    /** CE HTTP binding: outside printable ASCII, plus space, {@code "} and {@code %}, is percent-encoded UTF-8. */
    static String percentEncode(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if (c > 0x20 && c < 0x7F && c != '"' && c != '%') {
                out.append((char) c);
            } else {
                out.append('%').append(String.format(Locale.ROOT, "%02X", c));
            }
        }
        return out.toString();
    }

    private static String percentDecode(String raw, String header) throws InvalidEventException {
        String value = raw.length() >= 2 && raw.startsWith("\"") && raw.endsWith("\"")
                ? raw.substring(1, raw.length() - 1) : raw;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%' && isHex(value, i + 1) && isHex(value, i + 2)) {
                bytes.write(Integer.parseInt(value.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException invalid) {
            throw new InvalidEventException("CE-HEADER-ENCODING", "header " + header + " is not valid UTF-8");
        }
    }

    private static boolean isHex(String value, int index) {
        return index < value.length() && Character.digit(value.charAt(index), 16) >= 0;
    }
}
