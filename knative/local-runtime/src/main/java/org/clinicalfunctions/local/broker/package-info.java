/**
 * A Knative Broker in one JVM for running the platform on a laptop and in tests.
 *
 * <p>{@link org.clinicalfunctions.local.broker.LocalBroker} reads the Broker and Trigger manifests of the
 * repository's {@code eventing/} folder with the webhook's admission checks, accepts binary and structured
 * CloudEvents at {@code /<namespace>/<broker>}, and answers 202 only after the event is written to a journal folder.
 * Each matching Trigger gets its own delivery with the Knative MT rules for filters, retries and backoff, replies,
 * the {@code knativebrokerttl} loop guard and dead letters ({@link org.clinicalfunctions.local.broker.BrokerBehaviour}
 * switches the backoff arithmetic and the empty-value rule to the Kafka broker's).
 *
 * <p>Where it differs from Knative on purpose: an event no trigger wants is parked in a folder rather than dropped,
 * an event whose dead-letter sink also fails is kept in the dead-letter store rather than dropped, and dead letters
 * can be replayed. Known limitations: attempt counts restart at 1 after a broker restart; the Kafka ordered
 * delivery mode is not implemented (all delivery is unordered); the journal is not fsynced.
 */
package org.clinicalfunctions.local.broker;
