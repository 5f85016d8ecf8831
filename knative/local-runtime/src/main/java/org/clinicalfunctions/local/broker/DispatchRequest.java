package org.clinicalfunctions.local.broker;

import java.util.Map;

import io.cloudevents.CloudEvent;

/**
 * One event to send to one destination with a delivery spec.
 *
 * @param label the trigger name (or {@code <trigger>/dead-letter-sink}) for logs
 * @param headers extra HTTP headers: {@code Kn-Namespace} and the pass-through headers
 * @param acceptsReply false for a dead-letter sink, whose 2xx is success whatever the body
 */
record DispatchRequest(String label, Destination destination, CloudEvent event, Map<String, String> headers,
        DeliverySpec delivery, boolean acceptsReply) {
}
