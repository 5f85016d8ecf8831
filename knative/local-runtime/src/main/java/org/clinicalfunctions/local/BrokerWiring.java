package org.clinicalfunctions.local;

import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import java.util.Map;

import org.clinicalfunctions.local.broker.BrokerConfig;
import org.clinicalfunctions.local.broker.DestinationResolver;
import org.clinicalfunctions.local.broker.LocalBroker;

/**
 * Starts the broker over the repository's {@code eventing/} manifests and puts it behind the ingress port: the
 * broker's ingress at {@code /<namespace>/<broker>} as Knative's broker-ingress serves it, its admin API at
 * {@code /_broker}. A Trigger's subscriber {@code ref} to a Knative Service resolves to that function's own port,
 * which it keeps across restarts: while it is down the broker sees a refused connection and retries.
 */
final class BrokerWiring {

    private BrokerWiring() {
    }

    /**
     * The platform broker's settings.
     *
     * @param functions function addresses by Knative Service name; read at delivery time, so the launcher may
     *     fill it after this call
     * @param port the broker's own loopback port, chosen before start so functions can be given {@code K_SINK}
     */
    static BrokerConfig config(PlatformLayout layout, Map<String, URI> functions, int port) {
        DestinationResolver resolver = (apiVersion, kind, name) ->
                "Service".equals(kind) && apiVersion.startsWith("serving.knative.dev/")
                        ? Optional.ofNullable(functions.get(name))
                        : Optional.empty();
        return BrokerConfig.of(layout.eventing(), layout.state().resolve("broker"))
                .withResolver(resolver)
                .withPort(port);
    }

    /** Where a SinkBinding would point: the broker's ingress, {@code /<namespace>/<broker>}. */
    static URI sinkOf(BrokerConfig config) {
        return URI.create("http://127.0.0.1:" + config.port() + config.ingressPath());
    }

    static LocalBroker start(BrokerConfig config, IngressRouter ingress) throws IOException {
        LocalBroker broker = LocalBroker.start(config);
        ingress.mount(config.namespace(), broker.ingressHandler());
        ingress.mount("_broker", broker.adminHandler("/_broker"));
        return broker;
    }
}
