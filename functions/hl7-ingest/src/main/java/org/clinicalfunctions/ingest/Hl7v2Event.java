package org.clinicalfunctions.ingest;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.clinicalfunctions.hl7.MessageHeader;

/**
 * The CloudEvent attributes of one HL7 v2 message, as the platform contract fixes them: a name-based id from
 * sender and MSH-10 so a resent message keeps its id, the sender as source and partition key, MSH-10 as subject.
 *
 * @param id name-based UUID of {@code MSH-3.1|MSH-4.1|MSH-10}
 * @param source {@code /hl7v2/<MSH-3.1>/<MSH-4.1>}, each percent-encoded
 * @param type {@code org.clinicalfunctions.hl7v2.<MessageStructure>}
 * @param subject MSH-10
 * @param partitionKey the sender part of the source, so one sender's messages stay in order on a Kafka broker
 */
public record Hl7v2Event(String id, String source, String type, String subject, String partitionKey) {

    /** Type prefix of every event hl7-ingest publishes. */
    public static final String TYPE_PREFIX = "org.clinicalfunctions.hl7v2.";

    /** Content type of the event data: the message text in UTF-8. */
    public static final String DATA_CONTENT_TYPE = "x-application/hl7-v2+er7; charset=utf-8";

    /** The event attributes for a message with this header. */
    public static Hl7v2Event of(MessageHeader header) {
        String sender = pathSegment(header.sendingApplication()) + "/" + pathSegment(header.sendingFacility());
        String name = header.sendingApplication() + "|" + header.sendingFacility() + "|" + header.controlId();
        UUID id = UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
        return new Hl7v2Event(id.toString(), "/hl7v2/" + sender, TYPE_PREFIX + header.messageStructure(),
                header.controlId(), sender);
    }

    /** URL encoding with {@code %20} for a space, which is how a URI path spells it. */
    private static String pathSegment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
