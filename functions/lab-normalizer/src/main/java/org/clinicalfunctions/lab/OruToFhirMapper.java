package org.clinicalfunctions.lab;

import java.time.ZoneId;

import ca.uhn.hl7v2.HL7Exception;
import org.clinicalfunctions.hl7.MessageHeader;
import org.hl7.fhir.r4.model.Bundle;

/**
 * Maps a parsed ORU^R01 to a FHIR R4 transaction Bundle: one Patient per PID, one DiagnosticReport per OBR, one
 * Observation per OBX and one Specimen per SPM, each with a deterministic id and a {@code PUT} request, so that a
 * re-delivered message updates what it wrote before. Thread-safe; each call maps one message.
 */
final class OruToFhirMapper {

    private final LabNormalizerProperties properties;
    private final UcumUnits ucum = new UcumUnits();

    /** @param properties the default zone and the per-sender zones and code maps */
    OruToFhirMapper(LabNormalizerProperties properties) {
        this.properties = properties;
    }

    /**
     * The transaction Bundle for one message.
     *
     * @param warnings collects what is not mapped; they end up as an OperationOutcome entry of the Bundle
     * @throws LabMappingException when a required part is missing or a value cannot be read as its type says
     */
    Bundle map(OruParser.ParsedOru parsed, MessageHeader header, MappingWarnings warnings)
            throws LabMappingException {
        try {
            LabNormalizerProperties.Sender sender =
                    properties.senderOf(header.sendingApplication(), header.sendingFacility());
            ZoneId zone = sender == null || sender.zone() == null ? properties.defaultZone() : sender.zone();
            LocalCodeMap codes = sender == null ? LocalCodeMap.NONE : new LocalCodeMap(sender.codes());
            Hl7DateTimes times = new Hl7DateTimes(header.dateTime(), zone);
            return new MessageMapping(header, times, ucum, codes, parsed.observations(), warnings)
                    .map(parsed.message());
        } catch (HL7Exception e) {
            throw new LabMappingException("LAB-200", "", "message structure could not be read");
        }
    }
}
