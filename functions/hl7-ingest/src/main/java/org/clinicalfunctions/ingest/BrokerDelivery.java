package org.clinicalfunctions.ingest;

/**
 * What became of one event posted to the broker, and what that means for the sender of the HL7 message.
 */
public enum BrokerDelivery {

    /** The broker answered 2xx: the event is its responsibility now. */
    ACCEPTED(200, true),
    /** Unreachable, timed out, or an answer Knative itself retries (5xx, 404, 408, 409, 429): resend later. */
    UNAVAILABLE(503, false),
    /** No broker URL configured: nothing can be published, so the sender must keep the message. */
    NO_SINK(503, false),
    /** An earlier message of the same batch found the broker unavailable; this one was not tried. */
    NOT_TRIED(503, false),
    /** The broker refused the event (400 or another final 4xx): our fault, a resend will not help by itself. */
    REFUSED(500, false);

    private final int httpStatus;
    private final boolean accepted;

    BrokerDelivery(int httpStatus, boolean accepted) {
        this.httpStatus = httpStatus;
        this.accepted = accepted;
    }

    /** The HTTP status the sender gets for a message with this outcome. */
    public int httpStatus() {
        return httpStatus;
    }

    /** True only when the broker took the event. */
    public boolean accepted() {
        return accepted;
    }

    /** True when the sender should resend the message later. */
    public boolean retryable() {
        return httpStatus == 503;
    }

    /** The delivery outcome for a broker's HTTP status, following Knative's retry rules. */
    public static BrokerDelivery forStatus(int status) {
        if (status >= 200 && status < 300) {
            return ACCEPTED;
        }
        // Knative delivery: 404, 408, 409, 429 and every 5xx are retried; other statuses are final.
        if (status >= 500 || status == 404 || status == 408 || status == 409 || status == 429) {
            return UNAVAILABLE;
        }
        return REFUSED;
    }
}
