package org.clinicalfunctions.local;

import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import java.util.Set;

import org.clinicalfunctions.local.broker.BrokerConfig;
import org.clinicalfunctions.local.broker.DestinationResolver;
import org.clinicalfunctions.local.broker.LocalBroker;

/**
 * Starts the broker over the repository's {@code eventing/} manifests and puts it behind the ingress port: the
 * broker's ingress at {@code /<namespace>/<broker>} as Knative's broker-ingress serves it, its admin API at
 * {@code /_broker}. A Trigger's subscriber {@code ref} to a Knative Service resolves to that function through the
 * ingress, so a function that is down or restarting answers 503 and the broker retries.
 */
final class BrokerWiring {

    private BrokerWiring() {
    }

    static LocalBroker start(PlatformLayout layout, Set<String> functions, IngressRouter ingress)
            throws IOException {
        URI base = URI.create("http://127.0.0.1:" + ingress.port() + "/");
        DestinationResolver resolver = (apiVersion, kind, name) ->
                "Service".equals(kind) && apiVersion.startsWith("serving.knative.dev/") && functions.contains(name)
                        ? Optional.of(base.resolve("/" + name + "/"))
                        : Optional.empty();
        BrokerConfig config = BrokerConfig.of(layout.eventing(), layout.state().resolve("broker"))
                .withResolver(resolver);
        LocalBroker broker = LocalBroker.start(config);
        ingress.mount(config.namespace(), broker.ingressHandler());
        ingress.mount("_broker", broker.adminHandler("/_broker"));
        return broker;
    }
}
