package org.clinicalfunctions.booking;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Schedule;
import org.hl7.fhir.r4.model.Slot;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes a transaction Bundle of Schedules and Slots ({@code PUT Schedule/<id>}, {@code PUT Slot/<id>}) in one
 * database transaction. A Schedule's time zone is the IANA code of the {@code timezone} extension; a Slot that
 * carries an appointment cannot be changed by a new availability Bundle.
 */
@Component
public class AvailabilityWriter {

    /** The core extension for a resource's IANA time zone (R5, usable in R4). */
    public static final String TIME_ZONE_EXTENSION = "http://hl7.org/fhir/StructureDefinition/timezone";

    private final SlotRecords records;
    private final SlotResources resources;
    private final BookingProperties properties;

    public AvailabilityWriter(SlotRecords records, SlotResources resources, BookingProperties properties) {
        this.records = records;
        this.resources = resources;
        this.properties = properties;
    }

    /** The entries' outcomes in order: true when the resource was created, false when it was updated. */
    @Transactional
    public List<Boolean> write(Bundle bundle) {
        if (bundle.getType() != BundleType.TRANSACTION) {
            throw BookingProblem.invalid("BK-150", "Bundle.type", "availability comes as a transaction Bundle");
        }
        Map<String, String> zones = new HashMap<>();
        List<Boolean> created = new ArrayList<>();
        for (int i = 0; i < bundle.getEntry().size(); i++) {
            if (bundle.getEntry().get(i).getResource() instanceof Schedule schedule) {
                created.add(null);
                String path = "Bundle.entry[" + i + "]";
                checkPut(bundle.getEntry().get(i), path);
                String zone = timeZone(schedule, path + ".resource.extension");
                zones.put(schedule.getIdElement().getIdPart(), zone);
                created.set(i, records.putSchedule(schedule.getIdElement().getIdPart(), zone,
                        resources.storedText(schedule)));
            } else {
                created.add(null);
            }
        }
        for (int i = 0; i < bundle.getEntry().size(); i++) {
            BundleEntryComponent entry = bundle.getEntry().get(i);
            if (entry.getResource() instanceof Slot slot) {
                created.set(i, putSlot(entry, slot, "Bundle.entry[" + i + "]", zones));
            } else if (!(entry.getResource() instanceof Schedule)) {
                throw BookingProblem.invalid("BK-151", "Bundle.entry[" + i + "].resource",
                        "availability Bundles hold Schedule and Slot resources only");
            }
        }
        return created;
    }

    private boolean putSlot(BundleEntryComponent entry, Slot slot, String path, Map<String, String> zones) {
        checkPut(entry, path);
        String scheduleId = slot.getSchedule().getReferenceElement().getIdPart();
        boolean known = FhirIds.isValid(scheduleId)
                && (zones.containsKey(scheduleId) || records.scheduleTimeZone(scheduleId).isPresent());
        if (!known) {
            throw BookingProblem.unprocessable("BK-152", path + ".resource.schedule",
                    "the Slot's Schedule is neither in this Bundle nor stored");
        }
        if (!slot.hasStatus() || !slot.hasStart() || !slot.hasEnd()) {
            String missing = !slot.hasStatus() ? "status" : !slot.hasStart() ? "start" : "end";
            throw BookingProblem.invalid("BK-153", path + ".resource." + missing, "a Slot needs status, start and end");
        }
        if (!slot.getEnd().after(slot.getStart())) {
            throw BookingProblem.invalid("BK-112", path + ".resource.end", "end must be after start");
        }
        SlotRecord record = new SlotRecord(slot.getIdElement().getIdPart(), scheduleId, slot.getStatus().toCode(),
                slot.getStart().toInstant(), slot.getEnd().toInstant(), 1, null, resources.storedText(slot));
        Optional<SlotRecord> existing = records.lock(record.id());
        if (existing.isEmpty()) {
            records.insertSlot(record, serviceTypes(slot));
            return true;
        }
        if ("busy".equals(existing.get().status()) && !sameAs(existing.get(), record)) {
            throw BookingProblem.conflict("BK-203", path + ".resource",
                    "the Slot is booked; cancel or move its appointment first");
        }
        records.replaceSlot(record, serviceTypes(slot));
        return false;
    }

    private static boolean sameAs(SlotRecord stored, SlotRecord incoming) {
        return stored.status().equals(incoming.status()) && stored.start().equals(incoming.start())
                && stored.end().equals(incoming.end()) && stored.resource().equals(incoming.resource());
    }

    private static void checkPut(BundleEntryComponent entry, String path) {
        Resource resource = entry.getResource();
        String expected = resource.fhirType() + "/" + resource.getIdElement().getIdPart();
        if (entry.getRequest().getMethod() != HTTPVerb.PUT || !resource.getIdElement().hasIdPart()) {
            throw BookingProblem.invalid("BK-154", path + ".request.method", "entries are PUT Type/id");
        }
        if (!expected.equals(entry.getRequest().getUrl())) {
            throw BookingProblem.invalid("BK-155", path + ".request.url", "request.url must be Type/id");
        }
        if (!FhirIds.isValid(resource.getIdElement().getIdPart())) {
            throw BookingProblem.invalid("BK-157", path + ".resource.id",
                    "id must be 1 to 64 letters, digits, '-' or '.' (FHIR id)");
        }
    }

    private String timeZone(Schedule schedule, String path) {
        Extension extension = schedule.getExtensionByUrl(TIME_ZONE_EXTENSION);
        String zone = extension == null ? properties.defaultTimeZone() : extension.getValue().primitiveValue();
        try {
            return ZoneId.of(zone).getId();
        } catch (DateTimeException | NullPointerException e) {
            throw BookingProblem.unprocessable("BK-156", path, "the timezone extension needs an IANA zone code");
        }
    }

    /** What {@code service-type} searches match: each coding's code, and system|code. */
    static List<String> serviceTypes(Slot slot) {
        List<String> values = new ArrayList<>();
        for (CodeableConcept concept : slot.getServiceType()) {
            for (Coding coding : concept.getCoding()) {
                if (coding.hasCode()) {
                    values.add(coding.getCode());
                    if (coding.hasSystem()) {
                        values.add(coding.getSystem() + "|" + coding.getCode());
                    }
                }
            }
        }
        return values;
    }
}
