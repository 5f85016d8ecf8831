package org.clinicalfunctions.lab;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Type;
import ca.uhn.hl7v2.model.Varies;
import ca.uhn.hl7v2.model.v251.datatype.IS;
import ca.uhn.hl7v2.model.v251.segment.NTE;
import ca.uhn.hl7v2.model.v251.segment.OBX;
import ca.uhn.hl7v2.parser.EncodingCharacters;
import ca.uhn.hl7v2.parser.PipeParser;
import org.clinicalfunctions.hl7.MessageHeader;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationReferenceRangeComponent;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

/** OBX segments of one message as Observations (v2-to-FHIR IG {@code OBX[Observation]}). */
final class ObservationMapping {

    static final String UCUM = "http://unitsofmeasure.org";
    private static final String CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category";

    /** What an OBX takes from its order: the report's key and resource, the patient, OBR-7 and the request. */
    record Order(String reportKey, DiagnosticReport report, Reference patient, DateTimeType effective,
            Reference request) {
    }

    private final MessageMapping message;
    private final ObservationValues values;
    private final UcumUnits ucum;
    private final EncodingCharacters encoding;
    private final List<ObxText> obxTexts;
    private final Map<String, Integer> occurrences = new HashMap<>();
    private final MappingWarnings warnings;
    private int obxCount;

    ObservationMapping(MessageMapping message, Hl7DateTimes times, UcumUnits ucum, MessageHeader header,
            List<ObxText> obxTexts, MappingWarnings warnings) {
        this.obxTexts = obxTexts;
        this.message = message;
        this.warnings = warnings;
        this.values = new ObservationValues(times, warnings);
        this.ucum = ucum;
        this.encoding = new EncodingCharacters(header.fieldSeparator(), header.encodingCharacters());
    }

    /** Fails when HAPI placed a kept OBX where the mapping did not find it: a result is never dropped silently. */
    void checkAllMapped() throws LabMappingException {
        if (obxCount < obxTexts.size()) {
            throw new LabMappingException("LAB-204", "OBX[" + obxTexts.get(obxCount).position() + "]",
                    "OBX is out of place in the ORU^R01 structure");
        }
    }

    void map(OBX obx, List<NTE> notes, Order order, Reference specimen) throws HL7Exception, LabMappingException {
        if (obx.isEmpty()) {
            return;
        }
        ObxText text = obxCount < obxTexts.size() ? obxTexts.get(obxCount) : null;
        obxCount++;
        String location = "OBX[" + (text == null ? obxCount : text.position()) + "]";
        String status = V2Fields.text(obx.getObx11_ObservationResultStatus());
        Observation observation = new Observation()
                .setStatus(ResultStatuses.observationStatus(status))
                .setCode(message.codeOrAbsent(obx.getObx3_ObservationIdentifier()))
                .setSubject(order.patient())
                .setSpecimen(specimen);
        observation.addCategory().addCoding().setSystem(CATEGORY).setCode("laboratory").setDisplay("Laboratory");

        Quantity unit = unitOf(obx.getObx6_Units(), location + "-6");
        if (!setText(observation, obx, text)) {
            setValues(observation, obx, unit, location, order.report());
        }
        boolean empty = !observation.hasValue() && !observation.hasComponent() && !isAttachment(obx);
        if (empty && ResultStatuses.absentReason(status) != null) {
            observation.getDataAbsentReason().addCoding()
                    .setSystem("http://terminology.hl7.org/CodeSystem/data-absent-reason")
                    .setCode(ResultStatuses.absentReason(status));
        }
        setRangeAndFlags(observation, obx, unit, location);
        Type[] methods = obx.getObx17_ObservationMethod();
        if (methods.length > 0) {
            observation.setMethod(Codings.concept(methods[0]));
        }
        String effective = message.dateTime(V2Fields.text(obx.getObx14_DateTimeOfTheObservation()), location + "-14");
        if (effective != null || order.effective() != null) {
            observation.setEffective(effective != null ? new DateTimeType(effective) : order.effective().copy());
        }
        addNotes(observation, notes);
        if (order.request() != null) {
            observation.addBasedOn(order.request());
        }
        Reference lab = message.performingLab(obx);
        if (lab != null) {
            observation.addPerformer(lab);
        }

        order.report().addResult(message.add(observation, ResourceKeys.idOf("Observation", idKey(obx, order))));
    }

    /** Report key + OBX-3 + OBX-4 + how often that pair came before in the report: distinct OBX never collide. */
    private String idKey(OBX obx, Order order) {
        Type code = obx.getObx3_ObservationIdentifier();
        String pair = order.reportKey() + "|" + V2Fields.text(code, 1) + "^" + V2Fields.text(code, 3) + "|"
                + V2Fields.text(obx.getObx4_ObservationSubID());
        int occurrence = occurrences.merge(pair, 1, Integer::sum);
        return pair + "|" + occurrence;
    }

    /** ST, TX and FT values come from the segment text; false when this OBX is not text or its text is unknown. */
    private boolean setText(Observation observation, OBX obx, ObxText text) {
        String valueType = valueTypeOf(obx);
        if (text == null || !ObservationValues.isText(valueType) || !text.isSegmentOf(
                V2Fields.text(obx.getObx1_SetIDOBX()), valueType, V2Fields.text(obx.getObx3_ObservationIdentifier()),
                encoding)) {
            return false;
        }
        List<org.hl7.fhir.r4.model.Type> values = new ArrayList<>();
        for (String value : text.values(encoding)) {
            values.add(new StringType(value));
        }
        setMapped(observation, values);
        return true;
    }

    /**
     * One OBX-5 repetition is the value; several become components with the OBX-3 code and no value of their own
     * (FHIR obs-7 forbids a value beside a component of the same code).
     */
    private void setValues(Observation observation, OBX obx, Quantity unit, String location,
            DiagnosticReport report) throws LabMappingException {
        String valueType = valueTypeOf(obx);
        List<org.hl7.fhir.r4.model.Type> mapped = new ArrayList<>();
        for (Varies repetition : obx.getObx5_ObservationValue()) {
            if (isAttachment(obx)) {
                addPresentedForm(report, valueType, repetition);
                continue;
            }
            org.hl7.fhir.r4.model.Type value = values.valueOf(valueType, repetition, unit, location + "-5");
            if (value != null) {
                mapped.add(value);
            }
        }
        setMapped(observation, mapped);
    }

    private static void setMapped(Observation observation, List<org.hl7.fhir.r4.model.Type> values) {
        if (values.size() == 1) {
            observation.setValue(values.get(0));
            return;
        }
        for (org.hl7.fhir.r4.model.Type value : values) {
            observation.addComponent().setCode(observation.getCode().copy()).setValue(value);
        }
    }

    /** OBX-2, with an empty one read as ST as the parser is configured to (v2.5.1: OBX-2 is conditional). */
    static String valueTypeOf(OBX obx) {
        String valueType = V2Fields.text(obx.getObx2_ValueType());
        return valueType.isEmpty() ? "ST" : valueType;
    }

    private static boolean isAttachment(OBX obx) {
        String valueType = valueTypeOf(obx);
        return "ED".equals(valueType) || "RP".equals(valueType);
    }

    /** ED and RP are documents, not results: they go to DiagnosticReport.presentedForm (IG practical choice). */
    private static void addPresentedForm(DiagnosticReport report, String valueType, Type value) {
        Attachment attachment = new Attachment();
        if ("RP".equals(valueType)) {
            String pointer = V2Fields.text(value, 1);
            if (!pointer.isEmpty()) {
                report.addPresentedForm(attachment.setUrl(pointer));
            }
            return;
        }
        String data = V2Fields.text(value, 5);
        if (data.isEmpty() || !"BASE64".equalsIgnoreCase(V2Fields.text(value, 4))) {
            return;
        }
        String subtype = V2Fields.text(value, 3);
        attachment.setContentType("PDF".equalsIgnoreCase(subtype) ? "application/pdf" : "application/octet-stream");
        attachment.getDataElement().setValueAsString(data);
        report.addPresentedForm(attachment);
    }

    /** OBX-6 as a Quantity prototype: UCUM system and code only when the unit is valid UCUM, else unit text. */
    private Quantity unitOf(Type units, String location) {
        String code = V2Fields.text(units, 1);
        boolean powerOfTen = "10".equals(code) || "x10".equals(code);
        if (powerOfTen && !V2Fields.text(units, 2).isEmpty()) {
            // "10^3/uL" sent unescaped splits at the component separator; "10" alone would be a false UCUM code.
            code = code + "^" + V2Fields.text(units, 2);
        }
        String text = code.isEmpty() ? V2Fields.text(units, 2) : code;
        if (text.isEmpty()) {
            return null;
        }
        Quantity quantity = new Quantity().setUnit(text);
        String ucumCode = ucum.codeOf(code);
        if (ucumCode != null) {
            quantity.setSystem(UCUM).setCode(ucumCode);
        } else {
            warnings.kept(MappingWarnings.UNIT_NOT_UCUM, location, "unit is not UCUM, kept as text only");
        }
        return quantity;
    }

    private void setRangeAndFlags(Observation observation, OBX obx, Quantity unit, String location)
            throws HL7Exception {
        // OBX-7 is kept whole, components included: some senders write "^^10.000000".
        String range = PipeParser.encode(obx.getObx7_ReferencesRange(), encoding);
        ObservationReferenceRangeComponent referenceRange = ReferenceRanges.of(range, unit);
        if (referenceRange != null) {
            observation.addReferenceRange(referenceRange);
        }
        for (IS flag : obx.getObx8_AbnormalFlags()) {
            String code = V2Fields.text(flag);
            CodeableConcept interpretation = Interpretations.of(code);
            if (interpretation == null) {
                continue;
            }
            observation.addInterpretation(interpretation);
            if (!Interpretations.isKnown(code)) {
                warnings.kept(MappingWarnings.UNKNOWN_INTERPRETATION, location + "-8",
                        "abnormal flag is not in HL7 table 0078, kept under a local system");
            }
        }
    }

    private static void addNotes(Observation observation, List<NTE> notes) {
        for (Annotation note : OrderNotes.annotations(notes)) {
            observation.addNote(note);
        }
    }
}
