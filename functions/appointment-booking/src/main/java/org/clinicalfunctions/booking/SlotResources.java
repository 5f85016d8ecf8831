package org.clinicalfunctions.booking;

import java.util.Date;

import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Slot;
import org.hl7.fhir.r4.model.Slot.SlotStatus;
import org.springframework.stereotype.Component;

/** A stored slot as the FHIR Slot callers see: its text plus the status and version the columns hold. */
@Component
public class SlotResources {

    private final FhirJson fhir;

    public SlotResources(FhirJson fhir) {
        this.fhir = fhir;
    }

    Slot render(SlotRecord record) {
        Slot slot = fhir.parse(Slot.class, record.resource());
        slot.setId(record.id());
        slot.setStatus(SlotStatus.fromCode(record.status()));
        slot.getMeta().setVersionId(Integer.toString(record.version()))
                .setLastUpdated(Date.from(record.updatedAt()));
        return slot;
    }

    /** The text kept for a Slot or Schedule: without meta (and a Slot without status), which columns hold. */
    String storedText(Resource resource) {
        Resource copy = resource.copy();
        copy.setMeta(null);
        if (copy instanceof Slot slot) {
            slot.setStatus(null);
        }
        return fhir.encode(copy);
    }
}
