package org.clinicalfunctions.local.broker;

import java.time.Instant;

import io.cloudevents.CloudEvent;

/** An accepted event that matched no trigger. Knative drops these silently; the local broker keeps them visible. */
public record ParkedEvent(String id, Instant parkedAt, CloudEvent event) {
}
