package org.clinicalfunctions.lab;

import java.util.List;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;

/**
 * A sender's local test codes and the LOINC codes they stand for: a mapped code keeps the local coding as sent and
 * gains a LOINC coding, so the receiver sees both what the lab sent and what it means.
 */
final class LocalCodeMap {

    static final LocalCodeMap NONE = new LocalCodeMap(List.of());

    private final List<LabNormalizerProperties.LocalCode> codes;

    LocalCodeMap(List<LabNormalizerProperties.LocalCode> codes) {
        this.codes = codes;
    }

    /** Adds the LOINC coding of the first mapped local coding of the concept, unless it is there already. */
    CodeableConcept addLoinc(CodeableConcept concept) {
        if (concept == null || codes.isEmpty()) {
            return concept;
        }
        for (Coding coding : List.copyOf(concept.getCoding())) {
            LabNormalizerProperties.LocalCode mapped = mappingOf(coding);
            if (mapped != null) {
                addIfAbsent(concept, mapped);
                return concept;
            }
        }
        return concept;
    }

    private LabNormalizerProperties.LocalCode mappingOf(Coding coding) {
        for (LabNormalizerProperties.LocalCode local : codes) {
            if (local.code() != null && local.loinc() != null && local.code().equals(coding.getCode())
                    && Codings.systemOf(local.system()).equals(coding.getSystem())) {
                return local;
            }
        }
        return null;
    }

    private static void addIfAbsent(CodeableConcept concept, LabNormalizerProperties.LocalCode mapped) {
        for (Coding coding : concept.getCoding()) {
            if (Codings.LOINC.equals(coding.getSystem()) && mapped.loinc().equals(coding.getCode())) {
                return;
            }
        }
        Coding loinc = concept.addCoding().setSystem(Codings.LOINC).setCode(mapped.loinc());
        if (mapped.display() != null && !mapped.display().isEmpty()) {
            loinc.setDisplay(mapped.display());
        }
    }
}
