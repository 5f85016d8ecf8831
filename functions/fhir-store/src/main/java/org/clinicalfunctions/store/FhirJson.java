package org.clinicalfunctions.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.stereotype.Component;

/**
 * FHIR R4 JSON as the store reads and writes it. Parsing is strict: a value HAPI would only warn about (and log,
 * with the value) is a rejected entry here.
 */
@Component
public class FhirJson {

    private static final List<String> PATIENT_ELEMENTS = List.of("subject", "patient");

    private final FhirContext context;
    private final Set<String> resourceTypes;

    public FhirJson() {
        context = FhirContext.forR4();
        // Stored content must round-trip unchanged: keep versioned references as the sender wrote them.
        context.getParserOptions().setStripVersionsFromReferences(false);
        context.getParserOptions().setOverrideResourceIdWithBundleEntryFullUrl(false);
        context.setParserErrorHandler(new StrictErrorHandler());
        resourceTypes = context.getResourceTypes();
    }

    public boolean isResourceType(String name) {
        return resourceTypes.contains(name);
    }

    /** Parses one resource; throws HAPI's {@code DataFormatException}, whose message may quote the input. */
    public Resource parse(String json) {
        return (Resource) parser().parseResource(json);
    }

    public String encode(IBaseResource resource) {
        return parser().encodeResourceToString(resource);
    }

    /** SHA-256 of the resource without its meta: two PUTs with the same hash carry the same clinical content. */
    public String contentHash(Resource resource) {
        Resource copy = resource.copy();
        // HAPI keeps a parsed meta.versionId in the resource id too, and writes it back out from there.
        copy.setId(resource.getIdElement().getIdPart());
        copy.setMeta(null);
        byte[] json = encode(copy).getBytes(StandardCharsets.UTF_8);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM provides SHA-256", e);
        }
    }

    /**
     * The patient a resource belongs to, for the {@code patient} search: a Patient's own id, else the Patient its
     * {@code subject} or {@code patient} element references; null when there is none.
     */
    public String patientId(Resource resource) {
        if (resource instanceof Patient) {
            return resource.getIdElement().getIdPart();
        }
        for (String element : PATIENT_ELEMENTS) {
            BaseRuntimeChildDefinition child = context.getResourceDefinition(resource).getChildByName(element);
            if (child == null) {
                continue;
            }
            for (IBase value : child.getAccessor().getValues(resource)) {
                String id = value instanceof Reference reference ? patientIdOf(reference) : null;
                if (id != null) {
                    return id;
                }
            }
        }
        return null;
    }

    /** An instant as FHIR writes it in UTC: millisecond precision and a {@code Z}. */
    public static InstantType utcInstant(Instant instant) {
        InstantType value = new InstantType(Date.from(instant), TemporalPrecisionEnum.MILLI);
        value.setTimeZoneZulu(true);
        return value;
    }

    private static String patientIdOf(Reference reference) {
        IIdType target = reference.getReferenceElement();
        return "Patient".equals(target.getResourceType()) && target.hasIdPart() ? target.getIdPart() : null;
    }

    private IParser parser() {
        return context.newJsonParser();
    }
}
