package org.clinicalfunctions.store;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The CloudEvent types the store keeps. A forged or misrouted event of any other type is refused with 400 before
 * its data is read, so it goes to the dead letters instead of into the record.
 *
 * @param typePrefixes accepted {@code type} prefixes. Default: normalized lab results and appointment changes, the
 *     two kinds of event the Triggers in {@code eventing/} route here
 */
@ConfigurationProperties("clinical.fhir-store.events")
public record AcceptedEvents(
        @DefaultValue({"org.clinicalfunctions.lab.result.", "org.clinicalfunctions.appointment."})
        List<String> typePrefixes) {

    boolean accepts(String type) {
        return type != null && typePrefixes.stream().anyMatch(type::startsWith);
    }
}
