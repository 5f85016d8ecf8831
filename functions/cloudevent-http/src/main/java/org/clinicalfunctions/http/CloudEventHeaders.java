package org.clinicalfunctions.http;

/**
 * Message header names shared by every function. CloudEvent attributes travel as {@code ce-<name>} headers, as in
 * the CloudEvents HTTP binary mode; the HTTP status of a reply travels in {@link #HTTP_STATUS}.
 */
public final class CloudEventHeaders {

    public static final String PREFIX = "ce-";
    public static final String ID = "ce-id";
    public static final String SOURCE = "ce-source";
    public static final String TYPE = "ce-type";
    public static final String SPEC_VERSION = "ce-specversion";
    public static final String SUBJECT = "ce-subject";
    public static final String TIME = "ce-time";

    /** Integer HTTP status the endpoint answers with; 200 when absent. */
    public static final String HTTP_STATUS = "http-status";

    /** Content type of the payload; for a CloudEvent this is its {@code datacontenttype}. */
    public static final String CONTENT_TYPE = "contentType";

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private CloudEventHeaders() {
    }

    /**
     * True when an HTTP request is a CloudEvent: binary mode (a {@code ce-specversion} header) or structured mode
     * (an {@code application/cloudevents} content type). The one rule the endpoint and request guards share.
     *
     * @param headers the request's headers, names case-insensitive
     */
    public static boolean isCloudEventRequest(java.util.Map<String, java.util.List<String>> headers,
            String contentType) {
        return isCloudEventRequest(headers.containsKey(SPEC_VERSION), contentType);
    }

    /** The same test on a servlet request, for a filter that runs before the function endpoint reads it. */
    public static boolean isCloudEventRequest(jakarta.servlet.http.HttpServletRequest request) {
        return isCloudEventRequest(request.getHeader(SPEC_VERSION) != null, request.getContentType());
    }

    private static boolean isCloudEventRequest(boolean hasSpecVersion, String contentType) {
        return hasSpecVersion || contentType != null && contentType.startsWith("application/cloudevents");
    }

    /** True when the message carries a CloudEvent (it has a spec version, as Knative's ingress requires). */
    public static boolean isCloudEvent(org.springframework.messaging.Message<?> message) {
        return message.getHeaders().containsKey(SPEC_VERSION);
    }

    /**
     * A header value as the CloudEvents HTTP binding (3.1.3.2) requires it: printable ASCII passes; space, double
     * quote, percent and everything else go as percent-encoded UTF-8 bytes.
     */
    public static String percentEncode(String value) {
        StringBuilder encoded = new StringBuilder(value.length());
        for (byte b : value.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c > 0x20 && c < 0x7f && c != '"' && c != '%') {
                encoded.append((char) c);
            } else {
                encoded.append('%').append(HEX[c >> 4]).append(HEX[c & 0x0f]);
            }
        }
        return encoded.toString();
    }

    /** The value of a CloudEvent attribute, or null. */
    public static String attribute(org.springframework.messaging.Message<?> message, String name) {
        Object value = message.getHeaders().get(PREFIX + name);
        return value == null ? null : value.toString();
    }
}
