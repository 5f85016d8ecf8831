package org.clinicalfunctions.local.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How a Trigger's {@code ref} and {@code uri} become the URL the broker posts to. */
class DestinationResolverTests {

    private static final ResourceRef NORMALIZER = new ResourceRef("serving.knative.dev/v1", "Service",
            "lab-normalizer");

    @ParameterizedTest(name = "{0} + {1} = {2}")
    @CsvSource({
        "http://lab-normalizer.clinical.svc.cluster.local, /events/hire, "
                + "http://lab-normalizer.clinical.svc.cluster.local/events/hire",
        "http://127.0.0.1:8080/lab-normalizer/, /events, http://127.0.0.1:8080/lab-normalizer/events",
        "http://127.0.0.1:8080/lab-normalizer, events?x=1, http://127.0.0.1:8080/lab-normalizer/events?x=1",
        "http://127.0.0.1:8080/, http://127.0.0.1:9/other, http://127.0.0.1:9/other"
    })
    void joinsARelativeUriToTheRefAddress(String address, String uri, String expected) {
        DestinationResolver resolver = (apiVersion, kind, name) -> Optional.of(URI.create(address));

        Optional<URI> resolved = resolver.resolve(new Destination(NORMALIZER, uri));

        assertThat(resolved).contains(URI.create(expected));
    }

    @Test
    void leavesAnUnknownRefUnresolved() {
        DestinationResolver resolver = DestinationResolver.urisOnly();

        Optional<URI> resolved = resolver.resolve(new Destination(NORMALIZER, "/events"));

        assertThat(resolved).isEmpty();
    }

    @Test
    void takesAnAbsoluteUriWithoutARef() {
        DestinationResolver resolver = DestinationResolver.urisOnly();

        Optional<URI> resolved = resolver.resolve(new Destination(null, "http://127.0.0.1:8181/hook"));

        assertThat(resolved).contains(URI.create("http://127.0.0.1:8181/hook"));
    }
}
