package org.clinicalfunctions.booking;

import java.util.List;

import org.clinicalfunctions.auth.Caller;
import org.clinicalfunctions.auth.Interaction;
import org.hl7.fhir.r4.model.Slot;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** FHIR Slot read and search. Slots are no patient's data: a patient/Slot scope reads them all. */
@RestController
public class SlotController {

    private final SlotRecords records;
    private final SlotResources resources;
    private final FhirJson fhir;
    private final BookingProperties properties;

    public SlotController(SlotRecords records, SlotResources resources, FhirJson fhir, BookingProperties properties) {
        this.records = records;
        this.resources = resources;
        this.fhir = fhir;
        this.properties = properties;
    }

    @GetMapping("/Slot/{id}")
    public ResponseEntity<String> read(Caller caller, @PathVariable String id) {
        caller.require("Slot", Interaction.READ);
        Slot slot = resources.render(records.find(id).orElseThrow(() -> BookingProblem.notFound("Slot")));
        return FhirHttp.resource(ResponseEntity.ok(), slot).body(fhir.encode(slot));
    }

    /**
     * {@code schedule}, {@code status} (free when absent; comma separated), {@code start} (repeatable, with
     * prefixes), {@code service-type} ({@code code} or {@code system|code}), {@code _count}, {@code _offset}.
     */
    @GetMapping("/Slot")
    public ResponseEntity<String> search(Caller caller, @RequestParam(required = false) String schedule,
            @RequestParam(required = false) List<String> status, @RequestParam(required = false) List<String> start,
            @RequestParam(name = "service-type", required = false) String serviceType,
            @RequestParam(name = "_count", required = false) Integer count,
            @RequestParam(name = "_offset", required = false) Integer offset) {
        caller.require("Slot", Interaction.SEARCH);
        SlotQuery query = new SlotQuery(schedule == null ? null : schedule.replaceFirst("^Schedule/", ""),
                status == null ? List.of("free") : status, serviceType, InstantConditions.parse("start", start));
        SearchPage page = SearchPage.of(count, offset, properties.pageSize());

        List<Slot> rows = records.search(query, page.offset(), page.limit()).stream().map(resources::render).toList();
        return ResponseEntity.ok().header("Content-Type", FhirJson.CONTENT_TYPE).body(fhir.encode(page.bundle(rows)));
    }
}
