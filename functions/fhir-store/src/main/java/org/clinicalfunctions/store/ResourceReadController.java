package org.clinicalfunctions.store;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.clinicalfunctions.auth.Caller;
import org.clinicalfunctions.auth.Grant;
import org.clinicalfunctions.auth.Interaction;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.SearchEntryMode;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.TransactionException;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The store's query face: FHIR read, vread and search, answered in FHIR JSON. Writes go through the function at
 * {@code POST /} only. Every request needs a bearer token with a SMART scope for the type: {@code r} to read,
 * {@code s} to search. A {@code patient/} grant reaches only its patient's compartment (a Patient resource is its
 * own), so resources that belong to no patient are out of its reach.
 */
@RestController
public class ResourceReadController {

    private static final Logger log = LoggerFactory.getLogger(ResourceReadController.class);
    private static final String TYPE = "/{type:[A-Z][A-Za-z]+}";

    private final ResourceReads reads;
    private final FhirJson fhir;
    private final OperationOutcomes outcomes;
    private final FhirStoreProperties properties;

    public ResourceReadController(ResourceReads reads, FhirJson fhir, OperationOutcomes outcomes,
            FhirStoreProperties properties) {
        this.reads = reads;
        this.fhir = fhir;
        this.outcomes = outcomes;
        this.properties = properties;
    }

    @GetMapping(TYPE + "/{id}")
    public ResponseEntity<String> read(Caller caller, @PathVariable String type, @PathVariable String id) {
        requireKnownType(type);
        Grant grant = caller.require(type, Interaction.READ);

        return reads.current(type, id).map(stored -> resource(stored, grant)).orElseGet(() -> notFound(type));
    }

    @GetMapping(TYPE + "/{id}/_history/{versionId:[0-9]{1,18}}")
    public ResponseEntity<String> vread(Caller caller, @PathVariable String type, @PathVariable String id,
            @PathVariable long versionId) {
        requireKnownType(type);
        Grant grant = caller.require(type, Interaction.READ);

        return reads.version(type, id, versionId).map(stored -> resource(stored, grant))
                .orElseGet(() -> notFound(type));
    }

    @GetMapping(TYPE)
    public ResponseEntity<String> search(Caller caller, @PathVariable String type,
            @RequestParam MultiValueMap<String, String> parameters) {
        requireKnownType(type);
        Grant grant = caller.require(type, Interaction.SEARCH);
        SearchQuery query = withinReach(SearchQuery.parse(type, parameters, properties), grant);

        SearchPage page = reads.search(query);

        Bundle bundle = new Bundle().setType(BundleType.SEARCHSET);
        bundle.setId(UUID.randomUUID().toString());
        bundle.getMeta().setLastUpdatedElement(FhirJson.utcInstant(Instant.now()));
        bundle.setTotal((int) Math.min(Integer.MAX_VALUE, page.total()));
        addEntries(bundle, page.matches());
        return fhirJson(HttpStatus.OK, new HttpHeaders(), fhir.encode(bundle));
    }

    @ExceptionHandler(StoreRejection.class)
    ResponseEntity<String> rejected(StoreRejection rejection) {
        HttpStatus status = rejection.problem() == StoreProblem.UNKNOWN_RESOURCE_TYPE
                ? HttpStatus.NOT_FOUND : HttpStatus.BAD_REQUEST;
        return fhirJson(status, new HttpHeaders(), outcomes.json(rejection.problem(), rejection.location()));
    }

    @ExceptionHandler({DataAccessException.class, TransactionException.class})
    ResponseEntity<String> unavailable(RuntimeException e) {
        log.atWarn().addKeyValue("error", e.getClass().getSimpleName())
                .log("fhirStore read failed, database unavailable error={}", e.getClass().getSimpleName());
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, "5");
        return fhirJson(HttpStatus.SERVICE_UNAVAILABLE, headers,
                outcomes.json(StoreProblem.DATABASE_UNAVAILABLE, "Bundle"));
    }

    private void addEntries(Bundle bundle, List<StoredResource> matches) {
        String base = ServletUriComponentsBuilder.fromCurrentContextPath().toUriString();
        for (StoredResource match : matches) {
            Resource resource = fhir.parse(match.json());
            bundle.addEntry()
                    .setFullUrl(base + "/" + resource.fhirType() + "/" + resource.getIdElement().getIdPart())
                    .setResource(resource)
                    .getSearch().setMode(SearchEntryMode.MATCH);
        }
    }

    private void requireKnownType(String type) {
        if (!fhir.isResourceType(type)) {
            throw new StoreRejection(StoreProblem.UNKNOWN_RESOURCE_TYPE, "type");
        }
    }

    /**
     * A patient-bound grant searches its own patient's compartment only: without {@code patient=} the search is
     * narrowed to it, and naming any other patient is refused rather than silently answered with nothing.
     */
    private static SearchQuery withinReach(SearchQuery query, Grant grant) {
        if (grant.boundPatient().isEmpty()) {
            return query;
        }
        if (query.patientIds().isEmpty()) {
            return query.forPatients(List.of(grant.boundPatient().get()));
        }
        query.patientIds().forEach(grant::requirePatient);
        return query;
    }

    private ResponseEntity<String> notFound(String type) {
        return fhirJson(HttpStatus.NOT_FOUND, new HttpHeaders(), outcomes.json(StoreProblem.NOT_FOUND, type + ".id"));
    }

    /**
     * Re-encoded rather than passed through: jsonb keeps no key order, and FHIR readers expect resourceType first.
     * The compartment is taken from the version being answered, so a vread is judged by that version's patient.
     */
    private ResponseEntity<String> resource(StoredResource stored, Grant grant) {
        Resource resource = fhir.parse(stored.json());
        grant.requirePatient(fhir.patientId(resource));

        HttpHeaders headers = new HttpHeaders();
        headers.setETag("W/\"" + stored.versionId() + "\"");
        headers.setLastModified(stored.lastUpdated());
        return fhirJson(HttpStatus.OK, headers, fhir.encode(resource));
    }

    private static ResponseEntity<String> fhirJson(HttpStatus status, HttpHeaders headers, String body) {
        headers.set(HttpHeaders.CONTENT_TYPE, OperationOutcomes.FHIR_JSON);
        return new ResponseEntity<>(body, headers, status);
    }
}
