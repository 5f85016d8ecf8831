package org.clinicalfunctions.booking;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Slot;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The booking path writes a stored slot as JSON without parsing it into the FHIR model: these pin its bytes to what
 * HAPI writes for the same slot rendered the model's way, for a bare slot and for one using every element, with
 * extensions on the resource, on {@code start} and on {@code status}, and a decimal that must keep its zero.
 */
class SlotJsonTests extends BookingTestBase {

    private static final Instant UPDATED = Instant.parse("2026-11-01T05:59:59.123Z");

    @Autowired
    SlotResources resources;

    @Autowired
    FhirJson fhir;

    @Test
    void bareSlotIsWrittenAsHapiWritesIt() {
        Slot slot = new Slot().setSchedule(new Reference("Schedule/s1"))
                .setStartElement(new InstantType("2026-11-01T01:30:00-04:00"))
                .setEndElement(new InstantType("2026-11-01T01:00:00-05:00"));

        assertSameAsHapi(slot, "busy", "2026-11-01T01:30:00-04:00", "2026-11-01T01:00:00-05:00");
    }

    @Test
    void everyElementAndExtensionKeepsItsPlaceAndText() {
        Slot slot = new Slot();
        slot.addExtension(new Extension("https://example.org/fhir/StructureDefinition/weight",
                new DecimalType(new BigDecimal("1.50"))));
        slot.addIdentifier().setSystem("urn:oid:2.16.840.1.113883.19.5").setValue("slot \"7\"");
        slot.addServiceCategory(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/service-category",
                "17", "General Practice")));
        slot.addServiceType(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/service-type", "124",
                null)));
        slot.addSpecialty().setText("Médecine générale");
        slot.setAppointmentType(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v2-0276",
                "ROUTINE", null)));
        slot.setSchedule(new Reference("Schedule/s2"));
        slot.getStatusElement().addExtension(new Extension("https://example.org/fhir/StructureDefinition/source",
                new StringType("template")));
        slot.setStartElement(new InstantType("2026-03-29T01:30:00+01:00"));
        slot.getStartElement().addExtension(new Extension("https://example.org/fhir/StructureDefinition/note",
                new StringType("<before the change>")));
        slot.setEndElement(new InstantType("2026-03-29T03:00:00+02:00"));
        slot.setOverbooked(false);
        slot.setComment("Bring the referral\nand the card");

        assertSameAsHapi(slot, "free", "2026-03-29T01:30:00+01:00", "2026-03-29T03:00:00+02:00");
    }

    private void assertSameAsHapi(Slot slot, String status, String start, String end) {
        slot.setId("slot-x");
        SlotRecord record = new SlotRecord("slot-x", "s1", status, slot.getStart().toInstant(),
                slot.getEnd().toInstant(), 3, UPDATED, resources.storedText(slot));

        SlotJson json = resources.json(record);

        assertThat(json.text()).isEqualTo(fhir.encode(resources.render(record)));
        assertThat(List.of(json.id(), json.start(), json.end())).containsExactly("slot-x", start, end);
        R4Validator.assertValid(json.text());
    }
}
