package org.clinicalfunctions.booking;

import java.util.List;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
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
    private final boolean enabled;
    private final String baseUrl;

    public AppointmentEvents(AppointmentRecords records, BookingProperties properties) {
        this.records = records;
        this.enabled = properties.hasSink();
        this.baseUrl = properties.fhirBaseUrl().replaceAll("/+$", "");
        if (!enabled) {
            log.warn("no broker sink configured (clinical.booking.sink / K_SINK): appointment events are not sent");
        }
    }

    /** Writes the event of a change into the outbox; nothing when no sink is configured. */
    void record(String change, AppointmentRecord record, List<SlotJson> slots) {
        AppointmentEvent event = of(change, record, slots);
        if (event != null) {
            records.addEvent(event);
        }
    }

    /**
     * The event of a change, for the caller to write with it; {@code null} when no sink is configured. Its data
     * is a transaction Bundle that PUTs the appointment, as stored, and the slots the change touched. The Bundle
     * is written around the appointment's stored JSON rather than encoded whole: encoding the appointment a
     * second time was the largest cost of a booking.
     */
    AppointmentEvent of(String change, AppointmentRecord record, List<SlotJson> slots) {
        if (!enabled) {
            return null;
        }
        StringBuilder data = new StringBuilder(record.resource().length() * 2 + 256)
                .append("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[");
        put(data, "Appointment/" + record.id(), record.resource());
        for (SlotJson slot : slots) {
            data.append(',');
            put(data, "Slot/" + slot.id(), slot.text());
        }
        data.append("]}");
        return new AppointmentEvent(record.id() + "-v" + record.version(),
                AppointmentEvent.TYPE_PREFIX + change, "Appointment/" + record.id(), data.toString());
    }

    /** fhir-store takes PUT Type/id entries whose resource carries the same id. */
    private void put(StringBuilder data, String url, String resource) {
        data.append("{\"fullUrl\":");
        quote(data, baseUrl + "/" + url);
        data.append(",\"resource\":").append(resource).append(",\"request\":{\"method\":\"PUT\",\"url\":");
        quote(data, url);
        data.append("}}");
    }

    private static void quote(StringBuilder data, String text) {
        data.append('"');
        JsonStringEncoder.getInstance().quoteAsString(text, data);
        data.append('"');
    }
}
