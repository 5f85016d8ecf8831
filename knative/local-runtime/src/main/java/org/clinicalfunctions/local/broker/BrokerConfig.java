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
 */
public record BrokerConfig(Path manifests, Path dataDirectory, String namespace, String brokerName, int port,
        BrokerBehaviour behaviour, DestinationResolver resolver) {

    /** Namespace of the platform's broker. */
    public static final String DEFAULT_NAMESPACE = "clinical";

    /** Name of the platform's broker. */
    public static final String DEFAULT_BROKER = "default";

    /** The platform broker {@code clinical/default} on any free port, MT behaviour, absolute URIs only. */
    public static BrokerConfig of(Path manifests, Path dataDirectory) {
        return new BrokerConfig(manifests, dataDirectory, DEFAULT_NAMESPACE, DEFAULT_BROKER, 0, BrokerBehaviour.MT,
                DestinationResolver.urisOnly());
    }

    public BrokerConfig withPort(int newPort) {
        return new BrokerConfig(manifests, dataDirectory, namespace, brokerName, newPort, behaviour, resolver);
    }

    public BrokerConfig withBehaviour(BrokerBehaviour newBehaviour) {
        return new BrokerConfig(manifests, dataDirectory, namespace, brokerName, port, newBehaviour, resolver);
    }

    public BrokerConfig withResolver(DestinationResolver newResolver) {
        return new BrokerConfig(manifests, dataDirectory, namespace, brokerName, port, behaviour, newResolver);
    }

    public BrokerConfig withBroker(String newNamespace, String newBrokerName) {
        return new BrokerConfig(manifests, dataDirectory, newNamespace, newBrokerName, port, behaviour, resolver);
    }

    /** The ingress path Knative uses for a broker: {@code /<namespace>/<broker>}. */
    public String ingressPath() {
        return "/" + namespace + "/" + brokerName;
    }
}
