package org.clinicalfunctions.local.broker;

/**
 * An admitted Broker.
 *
 * @param delivery the broker's delivery section, or {@link DeliverySpec#CLUSTER_DEFAULT} when it had none
 */
public record BrokerSpec(String name, String namespace, DeliverySpec delivery, String file) {
}
