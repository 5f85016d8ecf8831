package org.clinicalfunctions.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.clinicalfunctions.hl7.Hl7Batch;
import org.clinicalfunctions.hl7.Hl7FormatException;
import org.clinicalfunctions.hl7.Hl7Text;
import org.clinicalfunctions.hl7.MessageHeader;
import org.clinicalfunctions.http.FunctionReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.messaging.Message;

/**
 * The webhook lab and EHR systems post HL7 v2 to: one message or one batch per request. Each message becomes one
 * CloudEvent on the broker, and the sender gets an HL7 ACK per message: AA only once the broker took the event,
 * AE when it should resend, AR when the message can never be processed.
 */
public class Hl7Ingest implements Function<Message<byte[]>, Message<byte[]>> {

    private static final Logger log = LoggerFactory.getLogger(Hl7Ingest.class);

    /** Longest MSH-3.1, MSH-4.1, MSH-9 structure and MSH-10 accepted (the HL7 v2.7 length of MSH-10). */
    static final int MAX_HEADER_FIELD = 199;

    private final BrokerPublisher publisher;

    public Hl7Ingest(BrokerPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public Message<byte[]> apply(Message<byte[]> input) {
        long started = System.nanoTime();
        String text = Hl7Text.decode(input.getPayload());
        Binding binding = Binding.of(input);
        List<String> messages;
        try {
            messages = Hl7Batch.messages(text);
        } catch (Hl7FormatException e) {
            return reply(List.of(rejected(firstSegment(text), e, started)));
        }

        // A lone message is published as posted, less framing; batch members as split, CR-terminated.
        boolean single = messages.size() == 1 && text.startsWith("MSH");
        String lone = single ? terminated(text) : null;
        List<Handled> handled = new ArrayList<>(messages.size());
        boolean brokerDown = false;
        // Limitation: once the broker fails, the rest of a batch is not tried; the sender resends the batch.
        for (String message : messages) {
            Handled result = handle(single ? lone : message, brokerDown, binding);
            brokerDown = brokerDown || result.status() == 503;
            handled.add(result);
        }
        return reply(handled);
    }

    private Handled handle(String messageText, boolean brokerDown, Binding binding) {
        long started = System.nanoTime();
        String msh = Hl7Text.segments(messageText).get(0);
        MessageHeader header;
        try {
            header = MessageHeader.parse(msh);
            checkLengths(header);
        } catch (Hl7FormatException e) {
            return rejected(msh, e, started);
        }
        if (!binding.allows(header)) {
            Handled refused = rejected(msh, new Hl7FormatException("207", "MSH-3",
                    "MSH-3/MSH-4 sender is not the one the signing key belongs to"), started);
            return new Handled(refused.ack(), 403);
        }

        Hl7v2Event event = Hl7v2Event.of(header);
        BrokerDelivery delivery = brokerDown ? BrokerDelivery.NOT_TRIED : publisher.publish(event, messageText);

        String ack = delivery.accepted()
                ? Hl7Acknowledgement.accept(msh)
                : Hl7Acknowledgement.error(msh, userMessage(delivery));
        String outcome = delivery.accepted() ? "AA" : "AE";
        log.atInfo()
                .addKeyValue("ceId", event.id())
                .addKeyValue("ceType", event.type())
                .addKeyValue("sender", header.sender())
                .addKeyValue("outcome", outcome)
                .addKeyValue("delivery", delivery)
                .addKeyValue("durationMs", millisSince(started))
                .log("hl7 message ceId={} ceType={} sender={} outcome={} delivery={} durationMs={}", event.id(),
                        event.type(), header.sender(), outcome, delivery, millisSince(started));
        return new Handled(ack, delivery.httpStatus());
    }

    /**
     * MSH-3, MSH-4, MSH-9 and MSH-10 travel as ce- headers, and the functions' HTTP servers take about 8 KB of
     * headers in all: a longer value would be accepted here and refused by every consumer, so it is an AR now.
     */
    static void checkLengths(MessageHeader header) throws Hl7FormatException {
        checkLength(header.sendingApplication(), "MSH-3", "sending application");
        checkLength(header.sendingFacility(), "MSH-4", "sending facility");
        checkLength(header.messageStructure(), "MSH-9", "message structure");
        checkLength(header.controlId(), "MSH-10", "message control id");
    }

    private static void checkLength(String value, String location, String name) throws Hl7FormatException {
        if (value != null && value.length() > MAX_HEADER_FIELD) {
            throw new Hl7FormatException("102", location, location + " " + name + " is longer than "
                    + MAX_HEADER_FIELD + " characters");
        }
    }

    private static Handled rejected(String msh, Hl7FormatException e, long started) {
        log.atInfo()
                .addKeyValue("outcome", "AR")
                .addKeyValue("errorCode", e.errorCode())
                .addKeyValue("location", e.location())
                .addKeyValue("durationMs", millisSince(started))
                .log("hl7 message outcome=AR errorCode={} location={} durationMs={}", e.errorCode(), e.location(),
                        millisSince(started));
        String userMessage = e.getMessage().contains(e.location()) ? e.getMessage()
                : e.location() + ": " + e.getMessage();
        return new Handled(Hl7Acknowledgement.reject(msh, e.errorCode(), e.location(), userMessage), 400);
    }

    /** The ACK text says why a resend is needed; it names no host or status detail. */
    private static String userMessage(BrokerDelivery delivery) {
        return switch (delivery) {
            case REFUSED -> "event broker refused the event; the message was not published";
            case NO_SINK -> "no event broker configured; the message was not published, resend later";
            default -> "event broker unavailable; the message was not published, resend later";
        };
    }

    /**
     * Status of the whole answer: a message from a sender the signing key is not bound to wins (403), then any AR
     * (a resend cannot help), then any retryable AE, then other AE.
     * Limitation: an AR in a batch makes it 400, so the batch's AE messages are not resent by the sender.
     */
    private static Message<byte[]> reply(List<Handled> handled) {
        int status = 200;
        StringBuilder acks = new StringBuilder();
        for (Handled result : handled) {
            status = worse(status, result.status());
            acks.append(result.ack());
        }
        return FunctionReply.http(status, Hl7Acknowledgement.CONTENT_TYPE, acks.toString());
    }

    private static int worse(int current, int candidate) {
        return rank(candidate) > rank(current) ? candidate : current;
    }

    private static int rank(int status) {
        return switch (status) {
            case 403 -> 4;
            case 400 -> 3;
            case 503 -> 2;
            case 500 -> 1;
            default -> 0;
        };
    }

    /** Framing removal also takes the last segment terminator; HL7 ends every segment, the last one too. */
    private static String terminated(String text) {
        return text + (text.indexOf('\r') >= 0 ? "\r" : "\n");
    }

    private static String firstSegment(String text) {
        List<String> segments = Hl7Text.segments(text);
        return segments.isEmpty() ? null : segments.get(0);
    }

    private static double millisSince(long started) {
        return (System.nanoTime() - started) / 1_000L / 1000.0;
    }

    private record Handled(String ack, int status) {
    }

    /** The MSH-3.1 and MSH-4.1 a verified signing key is bound to; empty values bind nothing. */
    private record Binding(String application, String facility) {

        static Binding of(Message<byte[]> input) {
            Object application = input.getHeaders().get(WebhookSignatureGuard.BOUND_APPLICATION);
            Object facility = input.getHeaders().get(WebhookSignatureGuard.BOUND_FACILITY);
            return new Binding(application == null ? "" : application.toString(),
                    facility == null ? "" : facility.toString());
        }

        boolean allows(MessageHeader header) {
            return (application.isEmpty() || application.equals(header.sendingApplication()))
                    && (facility.isEmpty() || facility.equals(header.sendingFacility()));
        }
    }
}
