package org.clinicalfunctions.http;

import org.springframework.messaging.Message;

/**
 * The answer to a request that claims to be a CloudEvent but is not one (malformed structured JSON, a missing
 * required attribute, an unknown spec version), in the caller's own terms: a function declares a bean of this
 * type to answer with an HL7 ACK or a FHIR OperationOutcome instead of the default problem JSON. The status must
 * stay 400: Knative does not retry it, so the broken event goes to the dead letters at once.
 */
@FunctionalInterface
public interface InvalidEventReply {

    Message<byte[]> reply();
}
