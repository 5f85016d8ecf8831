package org.clinicalfunctions.local.broker;

import io.cloudevents.CloudEvent;

/**
 * How a dispatch ended after all its attempts.
 *
 * @param status last HTTP status; 500 for a transport error (as Knative MT records it)
 * @param body last response body (for {@code knativeerrordata}); empty on success
 * @param reply the reply event of a successful delivery, or null
 * @param target the URL tried last, or the destination's description when it did not resolve
 */
record DispatchResult(boolean succeeded, int status, byte[] body, CloudEvent reply, String target, int attempts) {
}
