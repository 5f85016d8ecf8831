package org.clinicalfunctions.manifests;

import java.util.ArrayList;
import java.util.List;

/**
 * "Kubernetes clusters should be accessible only over HTTPS" (1a5b4dca): its Gatekeeper template reads only
 * Ingress objects (a TLS section and {@code kubernetes.io/ingress.allow-http: "false"}). Knative routes are not
 * Ingresses, so the same promise is checked on the {@code config-network} the overlay sets: certificates for
 * external domains and plain HTTP redirected or refused.
 */
final class HttpsOnly {

    /** The code its violations carry. */
    static final String CODE = "azure.1a5b4dca";

    private HttpsOnly() {
    }

    /** The violations among the rendered objects of one overlay. */
    static List<Violation> check(List<Manifest> objects) {
        List<Violation> out = new ArrayList<>();
        for (Manifest ingress : objects.stream().filter(m -> "Ingress".equals(m.kind())).toList()) {
            String at = "Ingress/" + ingress.name();
            if (ingress.body().at("/spec/tls").size() == 0) {
                out.add(new Violation(CODE, at + ".spec.tls", "an Ingress serves HTTPS"));
            }
            String allowHttp = ingress.body().at("/metadata/annotations/kubernetes.io~1ingress.allow-http").asText();
            if (!"false".equals(allowHttp)) {
                out.add(new Violation(CODE, at + ".metadata.annotations.kubernetes.io/ingress.allow-http",
                        "must be \"false\""));
            }
        }
        KnativeConfig config = KnativeConfig.of(objects);
        if (!"Enabled".equalsIgnoreCase(config.network("external-domain-tls", "Disabled"))) {
            out.add(new Violation(CODE, "config-network.external-domain-tls", "Knative routes get certificates"));
        }
        String http = config.network("http-protocol", "Enabled");
        if (!"Redirected".equalsIgnoreCase(http) && !"Disabled".equalsIgnoreCase(http)) {
            out.add(new Violation(CODE, "config-network.http-protocol", "plain HTTP is redirected or refused"));
        }
        return out;
    }
}
