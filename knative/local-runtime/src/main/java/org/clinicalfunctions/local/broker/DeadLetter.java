package org.clinicalfunctions.local.broker;

import java.time.Instant;

import io.cloudevents.CloudEvent;

/**
 * An event kept in the broker's dead-letter store: the original event plus {@code knativeerrordest},
 * {@code knativeerrorcode} and {@code knativeerrordata}.
 *
 * @param trigger the trigger whose delivery failed; a replay goes to that trigger only
 */
public record DeadLetter(String id, String trigger, Instant deadLetteredAt, CloudEvent event) {
}
