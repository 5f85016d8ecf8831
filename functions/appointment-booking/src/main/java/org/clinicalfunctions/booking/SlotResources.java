package org.clinicalfunctions.booking;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Date;
import java.util.Set;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Slot;
import org.hl7.fhir.r4.model.Slot.SlotStatus;
import org.springframework.stereotype.Component;

/** A stored slot as the FHIR Slot callers see: its text plus the status and version the columns hold. */
@Component
public class SlotResources {

    private static final JsonFactory JSON = new JsonFactory();
    /** Slot's elements after {@code status} in definition order, and status's own extension: status goes first. */
    private static final Set<String> FROM_STATUS = Set.of("_status", "start", "_start", "end", "_end", "overbooked",
            "_overbooked", "comment", "_comment");

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

    /**
     * The slot as {@link #render} gives it, encoded, without parsing it into the FHIR model: the stored text is
     * copied field by field, with the id, meta and status from the columns put where FHIR's element order puts
     * them. The same bytes as HAPI writes for the rendered slot ({@code SlotJsonTests}), at a fraction of the cost
     * on the booking path.
     */
    SlotJson json(SlotRecord record) {
        StringWriter out = new StringWriter(record.resource().length() + 96);
        String start = null;
        String end = null;
        try (JsonParser in = JSON.createParser(record.resource()); JsonGenerator json = JSON.createGenerator(out)) {
            if (in.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalStateException("stored slot " + record.id() + " is not a JSON object");
            }
            json.writeStartObject();
            boolean statusWritten = false;
            while (in.nextToken() == JsonToken.FIELD_NAME) {
                String name = in.currentName();
                in.nextToken();
                if ("resourceType".equals(name)) {
                    json.writeStringField("resourceType", "Slot");
                    json.writeStringField("id", record.id());
                    writeMeta(json, record);
                } else if ("id".equals(name) || "meta".equals(name)) {
                    in.skipChildren();
                } else {
                    if (!statusWritten && FROM_STATUS.contains(name)) {
                        json.writeStringField("status", record.status());
                        statusWritten = true;
                    }
                    start = "start".equals(name) ? in.getText() : start;
                    end = "end".equals(name) ? in.getText() : end;
                    json.writeFieldName(name);
                    copyValue(in, json);
                }
            }
            if (!statusWritten) {
                json.writeStringField("status", record.status());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new SlotJson(record.id(), start, end, out.toString());
    }

    private static void writeMeta(JsonGenerator json, SlotRecord record) throws IOException {
        json.writeObjectFieldStart("meta");
        json.writeStringField("versionId", Integer.toString(record.version()));
        json.writeStringField("lastUpdated", new InstantType(Date.from(record.updatedAt())).getValueAsString());
        json.writeEndObject();
    }

    /** Copies the value the parser is on, numbers as written (FHIR decimals keep their trailing zeros). */
    private static void copyValue(JsonParser in, JsonGenerator json) throws IOException {
        int depth = 0;
        do {
            JsonToken token = in.currentToken();
            json.copyCurrentEventExact(in);
            depth += token.isStructStart() ? 1 : token.isStructEnd() ? -1 : 0;
        } while (depth > 0 && in.nextToken() != null);
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
