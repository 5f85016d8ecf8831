package org.clinicalfunctions.local.broker;

/**
 * Counters since the broker started.
 *
 * @param accepted events acknowledged at ingress with 202
 * @param delivered deliveries a subscriber acknowledged with 2xx
 * @param retried retry attempts scheduled
 * @param deadLettered deliveries that ended in a dead-letter sink or the dead-letter store
 * @param parked accepted events (or replies) that matched no trigger
 * @param replies reply events re-enqueued into the broker
 * @param inFlight deliveries not yet finished (still in the journal)
 */
public record BrokerStats(long accepted, long delivered, long retried, long deadLettered, long parked, long replies,
        long inFlight) {
}
