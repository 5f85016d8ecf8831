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
     * @param functions function addresses by Knative Service name; read at delivery time, so the launcher may
     *     fill it after the broker started
     */
    static LocalBroker start(PlatformLayout layout, Map<String, URI> functions, IngressRouter ingress)
            throws IOException {
        DestinationResolver resolver = (apiVersion, kind, name) ->
                "Service".equals(kind) && apiVersion.startsWith("serving.knative.dev/")
                        ? Optional.ofNullable(functions.get(name))
                        : Optional.empty();
        BrokerConfig config = BrokerConfig.of(layout.eventing(), layout.state().resolve("broker"))
                .withResolver(resolver);
        LocalBroker broker = LocalBroker.start(config);
        ingress.mount(config.namespace(), broker.ingressHandler());
        ingress.mount("_broker", broker.adminHandler("/_broker"));
        return broker;
    }
}
