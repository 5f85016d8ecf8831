package org.clinicalfunctions.local.broker;

import java.nio.file.Path;

/**
 * How to start a {@link LocalBroker}.
 *
 * @param manifests folder with the Broker and Trigger YAML (the repository's {@code eventing/})
 * @param dataDirectory where the journal, parked events and dead letters are kept; reuse it to survive restarts
 * @param namespace Kubernetes namespace of the broker; default {@code clinical}
 * @param brokerName the Broker's name; default {@code default}
 * @param port loopback port for ingress; default 0 (any free port)
 * @param behaviour which Knative data plane to imitate; default {@link BrokerBehaviour#MT}
 * @param resolver turns subscriber and dead-letter {@code ref}s into URLs; default: only absolute {@code uri}s
 * @param maxConcurrentDeliveries open requests per trigger at most, the rest wait their turn; default
 *     {@value #DEFAULT_MAX_CONCURRENT_DELIVERIES}
 * @param duplicateDeliveries deliver every event twice to each matching trigger, to prove subscribers dedupe on
 *     source and id (Knative promises at-least-once); default false
 * @param identity mints the OIDC token of a delivery to a subscriber that names an audience; default none
 */
public record BrokerConfig(Path manifests, Path dataDirectory, String namespace, String brokerName, int port,
        BrokerBehaviour behaviour, DestinationResolver resolver, int maxConcurrentDeliveries,
        boolean duplicateDeliveries, DeliveryIdentity identity) {

    /** Namespace of the platform's broker. */
    public static final String DEFAULT_NAMESPACE = "clinical";

    /** Name of the platform's broker. */
    public static final String DEFAULT_BROKER = "default";

    /** Enough to keep a function busy, few enough not to exhaust a laptop's sockets in a burst. */
    public static final int DEFAULT_MAX_CONCURRENT_DELIVERIES = 32;

    public BrokerConfig {
        if (maxConcurrentDeliveries < 1) {
            throw new IllegalArgumentException("BRK-CONFIG-1: maxConcurrentDeliveries must be at least 1");
        }
    }

    /** The platform broker {@code clinical/default} on any free port, MT behaviour, absolute URIs only. */
    public static BrokerConfig of(Path manifests, Path dataDirectory) {
        return new BrokerConfig(manifests, dataDirectory, DEFAULT_NAMESPACE, DEFAULT_BROKER, 0, BrokerBehaviour.MT,
                DestinationResolver.urisOnly(), DEFAULT_MAX_CONCURRENT_DELIVERIES, false,
                DeliveryIdentity.none());
    }

    public BrokerConfig withPort(int newPort) {
        return new BrokerConfig(manifests, dataDirectory, namespace, brokerName, newPort, behaviour, resolver,
                maxConcurrentDeliveries, duplicateDeliveries, identity);
    }

    public BrokerConfig withBehaviour(BrokerBehaviour newBehaviour) {
        return new BrokerConfig(manifests, dataDirectory, namespace, brokerName, port, newBehaviour, resolver,
                maxConcurrentDeliveries, duplicateDeliveries, identity);
    }

    public BrokerConfig withResolver(DestinationResolver newResolver) {
        return new BrokerConfig(manifests, dataDirectory, namespace, brokerName, port, behaviour, newResolver,
                maxConcurrentDeliveries, duplicateDeliveries, identity);
    }

    public BrokerConfig withBroker(String newNamespace, String newBrokerName) {
        return new BrokerConfig(manifests, dataDirectory, newNamespace, newBrokerName, port, behaviour, resolver,
                maxConcurrentDeliveries, duplicateDeliveries, identity);
    }

    public BrokerConfig withMaxConcurrentDeliveries(int newMax) {
        return new BrokerConfig(manifests, dataDirectory, namespace, brokerName, port, behaviour, resolver, newMax,
                duplicateDeliveries, identity);
    }

    public BrokerConfig withDuplicateDeliveries(boolean duplicate) {
        return new BrokerConfig(manifests, dataDirectory, namespace, brokerName, port, behaviour, resolver,
                maxConcurrentDeliveries, duplicate, identity);
    }

    public BrokerConfig withIdentity(DeliveryIdentity newIdentity) {
        return new BrokerConfig(manifests, dataDirectory, namespace, brokerName, port, behaviour, resolver,
                maxConcurrentDeliveries, duplicateDeliveries, newIdentity);
    }

    /** The ingress path Knative uses for a broker: {@code /<namespace>/<broker>}. */
    public String ingressPath() {
        return "/" + namespace + "/" + brokerName;
    }
}
