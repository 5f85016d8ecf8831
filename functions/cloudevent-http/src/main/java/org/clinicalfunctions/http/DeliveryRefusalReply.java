package org.clinicalfunctions.http;

import org.springframework.messaging.Message;

/**
 * The answer to a broker delivery whose token was refused, in the function's own terms. The default is an RFC 9457
 * problem; a FHIR function declares a bean answering with {@link DeliveryTokenRefusal#operationOutcome()}.
 */
@FunctionalInterface
public interface DeliveryRefusalReply {

    /** Use {@link DeliveryTokenRefusal#reply(String, String)} to keep the status and challenge header. */
    Message<byte[]> reply(DeliveryTokenRefusal refusal);
}
