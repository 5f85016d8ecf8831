package org.clinicalfunctions.booking;

import java.util.List;

import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Slot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Writes one event per booking, cancellation and move into the outbox, in the change's own transaction: the
 * broker sees every committed change, and none that was rolled back.
 */
@Component
public class AppointmentEvents {

    private static final Logger log = LoggerFactory.getLogger(AppointmentEvents.class);

    private final AppointmentRecords records;
    private final FhirJson fhir;
    private final boolean enabled;
    private final String baseUrl;

    public AppointmentEvents(AppointmentRecords records, FhirJson fhir, BookingProperties properties) {
        this.records = records;
        this.fhir = fhir;
        this.enabled = properties.hasSink();
        this.baseUrl = properties.fhirBaseUrl().replaceAll("/+$", "");
        if (!enabled) {
            log.warn("no broker sink configured (clinical.booking.sink / K_SINK): appointment events are not sent");
        }
    }

    void record(String change, AppointmentRecord record, Appointment appointment, List<Slot> slots) {
        if (!enabled) {
            return;
        }
        Bundle bundle = new Bundle().setType(BundleType.TRANSACTION);
        put(bundle, appointment);
        slots.forEach(slot -> put(bundle, slot));
        bundle.getEntry().forEach(entry -> entry.setFullUrl(baseUrl + "/" + entry.getRequest().getUrl()));
        records.addEvent(new AppointmentEvent(record.id() + "-v" + record.version(),
                AppointmentEvent.TYPE_PREFIX + change, "Appointment/" + record.id(), fhir.encode(bundle)));
    }

    /** fhir-store takes PUT Type/id entries whose resource carries the same id. */
    private static void put(Bundle bundle, Resource resource) {
        String type = resource.fhirType();
        String id = resource.getIdElement().getIdPart();
        Resource copy = resource.copy();
        copy.setId(id);
        bundle.addEntry().setResource(copy)
                .getRequest().setMethod(HTTPVerb.PUT).setUrl(type + "/" + id);
    }
}
