package org.clinicalfunctions.local.broker;

/**
 * An admitted Trigger: which events it wants and where they go.
 *
 * @param delivery the trigger's own delivery section, or null to use the broker's
 */
public record TriggerSpec(String name, String namespace, String broker, EventFilter filter, Destination subscriber,
        DeliverySpec delivery, String file) {
}
