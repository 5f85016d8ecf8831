package org.clinicalfunctions.http;

import org.springframework.messaging.Message;

/**
 * The answer to a body over {@code clinical.http.max-body-bytes}, in the caller's own terms: a function declares
 * a bean of this type to answer with an HL7 ACK or a FHIR OperationOutcome instead of the default problem JSON.
 */
@FunctionalInterface
public interface PayloadTooLargeReply {

    Message<byte[]> reply(long limitBytes);
}
