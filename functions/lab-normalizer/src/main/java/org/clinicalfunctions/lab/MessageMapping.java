package org.clinicalfunctions.lab;

import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Type;
import ca.uhn.hl7v2.model.v251.datatype.CX;
import ca.uhn.hl7v2.model.v251.datatype.XPN;
import ca.uhn.hl7v2.model.v251.group.ORU_R01_OBSERVATION;
import ca.uhn.hl7v2.model.v251.group.ORU_R01_ORDER_OBSERVATION;
import ca.uhn.hl7v2.model.v251.group.ORU_R01_PATIENT_RESULT;
import ca.uhn.hl7v2.model.v251.group.ORU_R01_SPECIMEN;
import ca.uhn.hl7v2.model.v251.message.ORU_R01;
import ca.uhn.hl7v2.model.v251.segment.OBR;
import ca.uhn.hl7v2.model.v251.segment.OBX;
import ca.uhn.hl7v2.model.v251.segment.ORC;
import ca.uhn.hl7v2.model.v251.segment.PID;
import ca.uhn.hl7v2.model.v251.segment.SPM;
import org.clinicalfunctions.hl7.MessageHeader;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.HumanName.NameUse;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestIntent;
import org.hl7.fhir.r4.model.Specimen;

/** The mapping of one message: holds the Bundle being built and the counters that make ids and locations. */
final class MessageMapping {

    static final String DATA_ABSENT_REASON = "http://hl7.org/fhir/StructureDefinition/data-absent-reason";
    private static final String DIAGNOSTIC_SERVICE = "http://terminology.hl7.org/CodeSystem/v2-0074";

    private final MessageHeader header;
    private final Hl7DateTimes times;
    private final ObservationMapping observations;
    private final Bundle bundle = new Bundle().setType(BundleType.TRANSACTION);
    private final Set<String> reportKeys = new HashSet<>();
    /** The Organization id of each performing lab already in the Bundle, by its key. */
    private final Map<String, String> organizations = new HashMap<>();
    private final MappingWarnings warnings;
    private final LocalCodeMap localCodes;
    private int obrCount;
    private int spmCount;

    MessageMapping(MessageHeader header, Hl7DateTimes times, UcumUnits ucum, LocalCodeMap localCodes,
            List<ObxText> obxTexts, MappingWarnings warnings) {
        this.header = header;
        this.localCodes = localCodes;
        this.times = times;
        this.warnings = warnings;
        this.observations = new ObservationMapping(this, times, ucum, header, obxTexts, warnings);
    }

    Bundle map(ORU_R01 message) throws HL7Exception, LabMappingException {
        for (ORU_R01_PATIENT_RESULT result : message.getPATIENT_RESULTAll()) {
            Reference patient = mapPatient(result.getPATIENT().getPID());
            for (ORU_R01_ORDER_OBSERVATION order : result.getORDER_OBSERVATIONAll()) {
                mapOrder(order, patient);
            }
        }
        if (obrCount == 0) {
            throw new LabMappingException("LAB-201", "OBR", "message holds no OBR segment");
        }
        observations.checkAllMapped();
        OperationOutcome outcome = warnings.outcome();
        if (outcome != null) {
            // A PUT like every other entry, so fhir-store keeps it beside the results it speaks about.
            add(outcome, ResourceKeys.idOf("OperationOutcome", header.sender(), header.controlId()));
        }
        return bundle;
    }

    /** Adds a resource as a PUT entry under its deterministic id and returns the reference to it. */
    Reference add(Resource resource, String id) {
        String type = resource.fhirType();
        resource.setId(id);
        bundle.addEntry().setFullUrl("urn:uuid:" + id).setResource(resource)
                .getRequest().setMethod(HTTPVerb.PUT).setUrl(type + "/" + id);
        return new Reference(type + "/" + id);
    }

    private Reference mapPatient(PID pid) throws HL7Exception, LabMappingException {
        if (pid.isEmpty()) {
            return null;
        }
        Patient patient = new Patient();
        String key = null;
        for (CX cx : pid.getPid3_PatientIdentifierList()) {
            Identifier identifier = identifier(cx);
            if (identifier != null) {
                patient.addIdentifier(identifier);
                key = key != null ? key : identifier.getValue() + "|" + V2Fields.text(cx, 4) + "&"
                        + V2Fields.text(cx, 4, 2);
            }
        }
        for (XPN xpn : pid.getPid5_PatientName()) {
            addName(patient, xpn);
        }
        patient.setBirthDateElement(birthDate(V2Fields.text(pid.getPid7_DateTimeOfBirth())));
        patient.setGender(ResultStatuses.gender(V2Fields.text(pid.getPid8_AdministrativeSex())));
        PatientContacts.map(pid, patient);
        setDeceased(patient, pid);
        // The same patient across messages of one sender gets one id; without PID-3 only this message knows them.
        String id = key != null ? ResourceKeys.idOf("Patient", header.sender(), key)
                : ResourceKeys.idOf("Patient", header.sender(), header.controlId(), "PID");
        return add(patient, id);
    }

    /** PID-29 as deceasedDateTime, else PID-30 Y/N; an unreadable PID-29 is reported, not a reason to refuse. */
    private void setDeceased(Patient patient, PID pid) {
        String death = null;
        try {
            death = times.dateTime(V2Fields.text(pid.getPid29_PatientDeathDateAndTime()));
        } catch (DateTimeException | IllegalArgumentException e) {
            warnings.leftOut(MappingWarnings.FIELD_NOT_MAPPED, "PID-29", "date/time value is not a valid HL7 DTM");
        }
        if (death != null) {
            patient.setDeceased(new DateTimeType(death));
        } else {
            patient.setDeceased(PatientContacts.deceased(pid));
        }
    }

    private static Identifier identifier(Type cx) {
        String value = V2Fields.text(cx, 1);
        if (value.isEmpty()) {
            return null;
        }
        Identifier identifier = new Identifier().setValue(value);
        identifier.setSystem(Codings.identifierSystem(V2Fields.text(cx, 4, 1), V2Fields.text(cx, 4, 2),
                V2Fields.text(cx, 4, 3)));
        String type = V2Fields.text(cx, 5);
        if (!type.isEmpty()) {
            identifier.setType(new CodeableConcept().setText(type));
        }
        return identifier;
    }

    private static void addName(Patient patient, XPN xpn) {
        HumanName name = new HumanName();
        String family = V2Fields.text(xpn, 1);
        if (!family.isEmpty()) {
            name.setFamily(family);
        }
        for (int component : new int[] {2, 3}) {
            String given = V2Fields.text(xpn, component);
            if (!given.isEmpty()) {
                name.addGiven(given);
            }
        }
        if (!V2Fields.text(xpn, 4).isEmpty()) {
            name.addSuffix(V2Fields.text(xpn, 4));
        }
        if (!V2Fields.text(xpn, 5).isEmpty()) {
            name.addPrefix(V2Fields.text(xpn, 5));
        }
        name.setUse(switch (V2Fields.text(xpn, 7)) {
            case "L" -> NameUse.OFFICIAL;
            case "M" -> NameUse.MAIDEN;
            case "N" -> NameUse.NICKNAME;
            default -> null;
        });
        if (!name.isEmpty()) {
            patient.addName(name);
        }
    }

    /** FHIR birthDate is a date: a birth time's hours are not carried (the patient-birthTime extension would). */
    private DateType birthDate(String dtm) throws LabMappingException {
        try {
            String dateTime = times.dateTime(dtm);
            if (dateTime == null) {
                return null;
            }
            return new DateType(dateTime.length() > 10 ? dateTime.substring(0, 10) : dateTime);
        } catch (DateTimeException | IllegalArgumentException e) {
            throw new LabMappingException("LAB-203", "PID-7", "birth date is not a valid HL7 DTM");
        }
    }

    private void mapOrder(ORU_R01_ORDER_OBSERVATION order, Reference patient)
            throws HL7Exception, LabMappingException {
        OBR obr = order.getOBR();
        if (obr.isEmpty()) {
            return;
        }
        obrCount++;
        String location = "OBR[" + obrCount + "]";
        String reportKey = reportKey(order, obr);
        DiagnosticReport report = report(obr, location, patient);
        Type fillerNumber = V2Fields.text(obr.getObr3_FillerOrderNumber()).isEmpty()
                ? order.getORC().getOrc3_FillerOrderNumber() : obr.getObr3_FillerOrderNumber();
        Identifier filler = orderIdentifier(fillerNumber, "FILL");
        if (filler != null) {
            report.addIdentifier(filler);
        }
        Reference request = mapRequest(order, reportKey, patient, location);
        if (request != null) {
            report.addBasedOn(request);
        }
        add(report, ResourceKeys.idOf("DiagnosticReport", reportKey));

        List<Reference> specimens = new ArrayList<>();
        Map<ORU_R01_SPECIMEN, Reference> groups = new LinkedHashMap<>();
        for (ORU_R01_SPECIMEN group : order.getSPECIMENAll()) {
            Reference specimen = mapSpecimen(group.getSPM(), reportKey, patient);
            groups.put(group, specimen);
            if (specimen != null) {
                specimens.add(specimen);
                report.addSpecimen(specimen);
            }
        }
        // An OBX outside a specimen group belongs to the order's specimen only when there is exactly one.
        Reference orderSpecimen = specimens.size() == 1 ? specimens.get(0) : null;
        ObservationMapping.Order context = new ObservationMapping.Order(reportKey, report, patient,
                report.hasEffectiveDateTimeType() ? report.getEffectiveDateTimeType() : null, request);
        for (ORU_R01_OBSERVATION observation : order.getOBSERVATIONAll()) {
            observations.map(observation.getOBX(), observation.getNTEAll(), context, orderSpecimen);
        }
        for (Map.Entry<ORU_R01_SPECIMEN, Reference> group : groups.entrySet()) {
            for (OBX obx : group.getKey().getOBXAll()) {
                observations.map(obx, List.of(), context, group.getValue() != null ? group.getValue() : orderSpecimen);
            }
        }
    }

    /**
     * The order ORC/OBR describe, as the ServiceRequest the report and its observations are based on (v2-to-FHIR IG
     * {@code ORC[ServiceRequest]}, {@code OBR[ServiceRequest]}), carrying the notes that follow the OBR.
     */
    private Reference mapRequest(ORU_R01_ORDER_OBSERVATION order, String reportKey, Reference patient,
            String location) throws HL7Exception {
        OBR obr = order.getOBR();
        ORC orc = order.getORC();
        if (patient == null) {
            // ServiceRequest.subject is required: without a PID there is no request to hold the order's notes.
            if (!OrderNotes.annotations(order.getNTEAll()).isEmpty()) {
                warnings.leftOut(MappingWarnings.NOTE_NOT_MAPPED, location,
                        "order note has no ServiceRequest without a patient");
            }
            return null;
        }
        ServiceRequest request = new ServiceRequest()
                .setStatus(ResultStatuses.requestStatus(V2Fields.text(orc.getOrc5_OrderStatus()),
                        V2Fields.text(obr.getObr25_ResultStatus())))
                .setIntent(ServiceRequestIntent.ORDER)
                .setSubject(patient);
        CodeableConcept code = localCodes.addLoinc(Codings.concept(obr.getObr4_UniversalServiceIdentifier()));
        if (code != null) {
            request.setCode(code);
        }
        Type placer = V2Fields.text(obr.getObr2_PlacerOrderNumber()).isEmpty()
                ? orc.getOrc2_PlacerOrderNumber() : obr.getObr2_PlacerOrderNumber();
        Type filler = V2Fields.text(obr.getObr3_FillerOrderNumber()).isEmpty()
                ? orc.getOrc3_FillerOrderNumber() : obr.getObr3_FillerOrderNumber();
        for (Identifier identifier : new Identifier[] {orderIdentifier(placer, "PLAC"),
            orderIdentifier(filler, "FILL")}) {
            if (identifier != null) {
                request.addIdentifier(identifier);
            }
        }
        for (Type reason : obr.getObr31_ReasonForStudy()) {
            CodeableConcept concept = Codings.concept(reason);
            if (concept != null) {
                request.addReasonCode(concept);
            }
        }
        OrderNotes.annotations(order.getNTEAll()).forEach(request::addNote);
        return add(request, ResourceKeys.idOf("ServiceRequest", reportKey));
    }

    /**
     * The lab that performed an OBX: OBX-23 (v2.5+ performing organization), else OBX-15 (producer's id), as one
     * Organization per message however many results name it; null when neither is sent.
     */
    Reference performingLab(OBX obx) {
        Type xon = obx.getObx23_PerformingOrganizationName();
        boolean named = !V2Fields.text(xon, 1).isEmpty() || !V2Fields.text(xon, 10).isEmpty();
        Type producer = obx.getObx15_ProducerSReference();
        if (!named && V2Fields.text(producer, 1).isEmpty() && V2Fields.text(producer, 2).isEmpty()) {
            return null;
        }
        String key = named ? "OBX-23|" + V2Fields.text(xon, 10) + "|" + V2Fields.text(xon, 1)
                : "OBX-15|" + V2Fields.text(producer, 1) + "|" + V2Fields.text(producer, 3) + "|"
                        + V2Fields.text(producer, 2);
        // Every OBX of a report usually names the same lab: its resource is built and hashed once per message
        // (a transaction may not PUT the same resource twice anyway).
        String id = organizations.get(key);
        if (id == null) {
            id = ResourceKeys.idOf("Organization", header.sender(), key);
            organizations.put(key, id);
            add(named ? lab(V2Fields.text(xon, 1), V2Fields.text(xon, 10), Codings.identifierSystem(
                    V2Fields.text(xon, 6, 1), V2Fields.text(xon, 6, 2), V2Fields.text(xon, 6, 3)))
                    : lab(V2Fields.text(producer, 2), V2Fields.text(producer, 1),
                            Codings.identifierSystem(V2Fields.text(producer, 3), "", "")), id);
        }
        return new Reference("Organization/" + id);
    }

    private static Organization lab(String name, String identifier, String system) {
        Organization lab = new Organization();
        if (!identifier.isEmpty()) {
            lab.addIdentifier().setSystem(system).setValue(identifier);
        }
        if (!name.isEmpty()) {
            lab.setName(name);
        }
        return lab;
    }

    private DiagnosticReport report(OBR obr, String location, Reference patient) throws LabMappingException {
        DiagnosticReport report = new DiagnosticReport();
        report.setStatus(ResultStatuses.reportStatus(V2Fields.text(obr.getObr25_ResultStatus())));
        report.addCategory().addCoding().setSystem(DIAGNOSTIC_SERVICE).setCode("LAB").setDisplay("Laboratory");
        report.setCode(codeOrAbsent(obr.getObr4_UniversalServiceIdentifier()));
        report.setSubject(patient);
        String effective = dateTime(V2Fields.text(obr.getObr7_ObservationDateTime()), location + "-7");
        if (effective != null) {
            report.setEffective(new DateTimeType(effective));
        }
        String issued = instant(V2Fields.text(obr.getObr22_ResultsRptStatusChngDateTime()), location + "-22");
        if (issued != null) {
            report.setIssuedElement(new InstantType(issued));
        } else if (!V2Fields.text(obr.getObr22_ResultsRptStatusChngDateTime()).isEmpty()) {
            warnings.leftOut(MappingWarnings.FIELD_NOT_MAPPED, location + "-22",
                    "a date without a time cannot be DiagnosticReport.issued, an instant");
        }
        return report;
    }

    private static Identifier orderIdentifier(Type ei, String type) {
        String value = V2Fields.text(ei, 1);
        if (value.isEmpty()) {
            return null;
        }
        Identifier identifier = new Identifier().setValue(value)
                .setSystem(Codings.identifierSystem(V2Fields.text(ei, 2), V2Fields.text(ei, 3), V2Fields.text(ei, 4)));
        identifier.getType().addCoding().setSystem("http://terminology.hl7.org/CodeSystem/v2-0203").setCode(type);
        return identifier;
    }

    /**
     * The report's identity: sender plus filler order number (OBR-3, else ORC-3), else the placer's (OBR-2), else
     * the message control id and OBR position. A number repeated within one message gets the position too, so two
     * OBR never collapse into one report.
     */
    private String reportKey(ORU_R01_ORDER_OBSERVATION order, OBR obr) {
        String filler = entity(obr.getObr3_FillerOrderNumber());
        if (filler.isEmpty()) {
            filler = entity(order.getORC().getOrc3_FillerOrderNumber());
        }
        String placer = entity(obr.getObr2_PlacerOrderNumber());
        String key = header.sender() + "|" + (!filler.isEmpty() ? "filler|" + filler
                : !placer.isEmpty() ? "placer|" + placer : "message|" + header.controlId() + "|OBR|" + obrCount);
        if (!reportKeys.add(key)) {
            key = key + "|OBR|" + obrCount;
            reportKeys.add(key);
        }
        return key;
    }

    private static String entity(Type ei) {
        String id = V2Fields.text(ei, 1);
        return id.isEmpty() ? "" : id + "^" + V2Fields.text(ei, 2);
    }

    private Reference mapSpecimen(SPM spm, String reportKey, Reference patient)
            throws HL7Exception, LabMappingException {
        if (spm.isEmpty()) {
            return null;
        }
        spmCount++;
        String location = "SPM[" + spmCount + "]";
        Specimen specimen = new Specimen();
        Type specimenId = spm.getSpm2_SpecimenID();
        String fillerId = V2Fields.text(specimenId, 2, 1);
        String id = fillerId.isEmpty() ? V2Fields.text(specimenId, 1, 1) : fillerId;
        if (!id.isEmpty()) {
            specimen.addIdentifier().setValue(id);
        }
        specimen.setType(Codings.concept(spm.getSpm4_SpecimenType()));
        specimen.setSubject(patient);
        String collectedStart = dateTime(V2Fields.text(spm.getSpm17_SpecimenCollectionDateTime(), 1), location + "-17");
        String collectedEnd = dateTime(V2Fields.text(spm.getSpm17_SpecimenCollectionDateTime(), 2), location + "-17");
        if (collectedEnd != null) {
            specimen.getCollection().setCollected(new Period().setStartElement(collectedStart == null ? null
                    : new DateTimeType(collectedStart)).setEndElement(new DateTimeType(collectedEnd)));
        } else if (collectedStart != null) {
            specimen.getCollection().setCollected(new DateTimeType(collectedStart));
        }
        String received = dateTime(V2Fields.text(spm.getSpm18_SpecimenReceivedDateTime()), location + "-18");
        if (received != null) {
            specimen.setReceivedTimeElement(new DateTimeType(received));
        }
        String key = id.isEmpty() ? "SPM|" + spmCount : "SPM|" + id;
        return add(specimen, ResourceKeys.idOf("Specimen", reportKey, key));
    }

    /**
     * A test code (OBR-4, OBX-3) with the sender's LOINC mapping, or an empty concept marked data-absent when the
     * sender left it out (FHIR requires it).
     */
    CodeableConcept codeOrAbsent(Type field) {
        CodeableConcept concept = localCodes.addLoinc(Codings.concept(field));
        if (concept != null) {
            return concept;
        }
        CodeableConcept absent = new CodeableConcept();
        absent.addExtension(DATA_ABSENT_REASON, new CodeType("unknown"));
        return absent;
    }

    String dateTime(String dtm, String location) throws LabMappingException {
        try {
            return times.dateTime(dtm);
        } catch (DateTimeException e) {
            throw new LabMappingException("LAB-213", location, "date/time value is not a valid HL7 DTM");
        }
    }

    private String instant(String dtm, String location) throws LabMappingException {
        try {
            return times.instant(dtm);
        } catch (DateTimeException e) {
            throw new LabMappingException("LAB-213", location, "date/time value is not a valid HL7 DTM");
        }
    }
}
