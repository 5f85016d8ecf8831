package org.clinicalfunctions.local.broker;

import java.net.URI;
import java.util.Optional;

/**
 * Turns a {@code ref} into the URL where that object listens on this machine. The launcher supplies it because only
 * it knows which local port each function process got.
 */
@FunctionalInterface
public interface DestinationResolver {

    /** The address of the named object, or empty when it is not running here (e.g. a KafkaSink that lives on AKS). */
    Optional<URI> resolve(String apiVersion, String kind, String name);

    /** A resolver for setups where every destination is a plain {@code uri}. */
    static DestinationResolver urisOnly() {
        return (apiVersion, kind, name) -> Optional.empty();
    }

    /**
     * Resolves a whole destination. Knative: a relative {@code uri} is joined to the ref's address; without a ref
     * the uri must be absolute.
     */
    default Optional<URI> resolve(Destination destination) {
        if (destination == null) {
            return Optional.empty();
        }
        if (destination.ref() == null) {
            URI uri = URI.create(destination.uri());
            return uri.isAbsolute() ? Optional.of(uri) : Optional.empty();
        }

        ResourceRef ref = destination.ref();
        Optional<URI> base = resolve(ref.apiVersion(), ref.kind(), ref.name());
        if (destination.uri() == null) {
            return base;
        }
        return base.map(address -> join(address, destination.uri()));
    }

    /**
     * Appends a subscriber's relative {@code uri} to a ref's address. Knative resolves it as an RFC 3986 reference
     * against a Service address that has no path, which gives the same URL; appending also keeps a path prefix a
     * local launcher puts in front of each function (e.g. {@code /lab-normalizer/}).
     */
    static URI join(URI address, String uri) {
        URI reference = URI.create(uri);
        if (reference.isAbsolute()) {
            return reference;
        }
        String basePath = address.getRawPath() == null ? "" : address.getRawPath();
        String prefix = basePath.endsWith("/") ? basePath.substring(0, basePath.length() - 1) : basePath;
        String path = reference.getRawPath() == null ? "" : reference.getRawPath();
        String joined = prefix + (path.isEmpty() || path.startsWith("/") ? path : "/" + path);
        String query = reference.getRawQuery() == null ? "" : "?" + reference.getRawQuery();
        return URI.create(address.getScheme() + "://" + address.getRawAuthority() + joined + query);
    }
}
