package org.clinicalfunctions.export;

import java.util.Date;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementKind;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.RestfulCapabilityMode;
import org.hl7.fhir.r4.model.Enumerations.FHIRVersion;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /metadata}: a CapabilityStatement that declares the three export operations (IG X02). */
@RestController
public class CapabilityController {

    private static final String IG = "http://hl7.org/fhir/uv/bulkdata/";

    private final String json;

    public CapabilityController(FhirContext fhir) {
        this.json = fhir.newJsonParser().encodeResourceToString(statement());
    }

    @GetMapping("/metadata")
    public ResponseEntity<String> metadata() {
        return ResponseEntity.ok().header(HttpHeaders.CONTENT_TYPE, OperationOutcomes.FHIR_JSON).body(json);
    }

    private static CapabilityStatement statement() {
        CapabilityStatement statement = new CapabilityStatement();
        statement.setStatus(PublicationStatus.ACTIVE)
                .setDate(new Date())
                .setKind(CapabilityStatementKind.INSTANCE)
                .setFhirVersion(FHIRVersion._4_0_1)
                .setPublisher("clinical-functions")
                .setDescription("Bulk Data export of the fhir-store's current resources as NDJSON"
                        + " (application/fhir+ndjson). Files are split at a configurable number of resources or"
                        + " bytes, and served gzip-compressed when Accept-Encoding allows it. Group export takes"
                        + " the Group's current members; _since does not add older resources of members added"
                        + " later. _elements keeps the listed top-level elements with the mandatory and modifier"
                        + " ones and tags the resource SUBSETTED; a type with no listed element is exported whole."
                        + " includeAssociatedData is not supported, so Provenance follows the default rule:"
                        + " every Provenance at system level,"
                        + " at Patient and Group level those with a target in the patients' compartment."
                        + " _typeFilter supports token and reference search parameters and _id.");
        statement.addFormat("application/fhir+json");
        statement.addInstantiates(IG + "CapabilityStatement/bulk-data");
        statement.getSoftware().setName("fhir-export");
        CapabilityStatementRestComponent rest = statement.addRest().setMode(RestfulCapabilityMode.SERVER);
        rest.addOperation().setName("export").setDefinition(IG + "OperationDefinition/export");
        rest.addResource().setType("Patient").addOperation().setName("export")
                .setDefinition(IG + "OperationDefinition/patient-export");
        rest.addResource().setType("Group").addOperation().setName("export")
                .setDefinition(IG + "OperationDefinition/group-export");
        return statement;
    }
}
