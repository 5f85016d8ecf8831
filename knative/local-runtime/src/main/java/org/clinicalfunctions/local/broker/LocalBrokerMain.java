package org.clinicalfunctions.local.broker;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the broker alone for manual tests: {@code LocalBrokerMain <eventing folder> <data folder> [port]}. Only
 * absolute subscriber {@code uri}s resolve; the platform launcher supplies a resolver for {@code ref}s.
 */
public final class LocalBrokerMain {

    private LocalBrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: LocalBrokerMain <eventing folder> <data folder> [port]");
            System.exit(2);
        }
        int port = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        LocalBroker broker = LocalBroker.start(BrokerConfig.of(Path.of(args[0]), Path.of(args[1])).withPort(port));
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close));
        System.out.println("ingress " + broker.ingressUri() + "  admin " + broker.adminUri());
        new CountDownLatch(1).await();
    }
}
