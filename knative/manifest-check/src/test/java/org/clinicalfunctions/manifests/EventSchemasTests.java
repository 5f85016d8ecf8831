package org.clinicalfunctions.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The event catalogue's JSON Schemas in eventing/schemas against sample events of each type. */
class EventSchemasTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final String HL7_SCHEMA = "org.clinicalfunctions.hl7v2.json";
    private static final String NORMALIZED_SCHEMA = "org.clinicalfunctions.lab.result.normalized.json";
    private static final String APPOINTMENT_SCHEMA = "org.clinicalfunctions.appointment.json";
    private static final String CHUNK_SCHEMA = "org.clinicalfunctions.fhir.export.chunk.ready.json";
    private static final String AVAILABILITY_SCHEMA = "org.clinicalfunctions.availability.json";

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "oru-r01.json, " + HL7_SCHEMA,
        "adt-a01.json, " + HL7_SCHEMA,
        "lab-result-normalized.json, " + NORMALIZED_SCHEMA,
        "appointment-booked.json, " + APPOINTMENT_SCHEMA,
        "export-chunk-ready.json, " + CHUNK_SCHEMA,
        "availability.json, " + AVAILABILITY_SCHEMA
    })
    void sampleEventMatchesTheSchemaOfItsType(String sample, String schema) throws IOException {
        JsonNode event = sample(sample);

        List<String> errors = validate(schema, event);

        assertThat(errors).isEmpty();
    }

    @ParameterizedTest(name = "{1} = {2}")
    @CsvSource(delimiter = '|', value = {
        "oru-r01.json|/type|\"org.clinicalfunctions.hl7v2.oru_r01\"|pattern at type",
        "oru-r01.json|/id|\"b6b37174-001d-4e44-87da-762aa4b66bf0\"|pattern at id",
        "oru-r01.json|/source|\"/hl7v2/LAB\"|pattern at source",
        "oru-r01.json|/subject|\"\"|minLength at subject",
        "oru-r01.json|/datacontenttype|\"text/plain\"|const at datacontenttype",
        "oru-r01.json|/partitionkey||required at partitionkey",
        "oru-r01.json|/data|\"PID^1\"|pattern at data",
        "lab-result-normalized.json|/source|\"/functions/fhir-store\"|const at source",
        "lab-result-normalized.json|/hl7eventid||required at hl7eventid",
        "lab-result-normalized.json|/data/type|\"collection\"|const at data.type",
        "lab-result-normalized.json|/data/entry|[]|minItems at data.entry",
        "lab-result-normalized.json|/data/entry/0/request/method|\"GIVE\"|enum at data.entry[0].request.method",
        "appointment-booked.json|/type|\"org.clinicalfunctions.appointment.moved\"|enum at type",
        "appointment-booked.json|/partitionkey||required at partitionkey",
        "appointment-booked.json|/data/entry/0/request/method|\"POST\"|const at data.entry[0].request.method",
        "export-chunk-ready.json|/data/chunk|\"observation\"|pattern at data.chunk",
        "export-chunk-ready.json|/data/job||required at data.job",
        "export-chunk-ready.json|/data/patient|\"Patient/1\"|additionalProperties at data",
        "availability.json|/data/type|\"batch\"|const at data.type",
        "availability.json|/data/entry/1/resource/resourceType|\"Patient\"|enum at data.entry[1].resource.resourceType",
        "availability.json|/data/entry/0/request/url|\"Practitioner/dr-1\"|pattern at data.entry[0].request.url"
    })
    void rejectsAnEventThatBreaksTheContract(String sample, String pointer, String replacement, String expected)
            throws IOException {
        ObjectNode event = (ObjectNode) sample(sample);
        String schema = sample.startsWith("lab-result") ? NORMALIZED_SCHEMA
                : sample.startsWith("appointment") ? APPOINTMENT_SCHEMA
                : sample.startsWith("export-chunk") ? CHUNK_SCHEMA
                : sample.startsWith("availability") ? AVAILABILITY_SCHEMA : HL7_SCHEMA;
        replace(event, pointer, replacement);

        List<String> errors = validate(schema, event);

        assertThat(errors).containsExactly(expected);
    }

    @Test
    void hl7EventAttributesFollowFromTheMessageHeader() throws IOException {
        JsonNode event = sample("oru-r01.json");
        String[] msh = event.path("data").asText().split("\r")[0].split("\\|");

        String name = msh[2] + "|" + msh[3] + "|" + msh[9];
        UUID expectedId = UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));

        assertThat(event.path("id").asText()).isEqualTo(expectedId.toString());
        assertThat(event.path("source").asText()).isEqualTo("/hl7v2/" + event.path("partitionkey").asText());
        assertThat(event.path("partitionkey").asText()).isEqualTo(msh[2] + "/" + msh[3]);
        assertThat(event.path("subject").asText()).isEqualTo(msh[9]);
    }

    @Test
    void replyIdFollowsFromTheInputEvent() throws IOException {
        JsonNode input = sample("oru-r01.json");
        JsonNode reply = sample("lab-result-normalized.json");

        String name = input.path("source").asText() + "|" + input.path("id").asText() + "|normalized";
        UUID expectedId = UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));

        assertThat(reply.path("id").asText()).isEqualTo(expectedId.toString());
        assertThat(reply.path("hl7eventid").asText()).isEqualTo(input.path("id").asText());
        assertThat(reply.path("subject").asText()).isEqualTo(input.path("subject").asText());
    }

    private static List<String> validate(String schemaFile, JsonNode event) throws IOException {
        Path file = ManifestFiles.repositoryRoot().resolve("eventing/schemas").resolve(schemaFile);
        JsonSchema schema = FACTORY.getSchema(JSON.readTree(Files.readString(file)));
        return schema.validate(event).stream().map(EventSchemasTests::brief).sorted().toList();
    }

    private static String brief(ValidationMessage message) {
        String location = message.getInstanceLocation().toString().replaceFirst("^\\$\\.?", "");
        if ("required".equals(message.getType())) {
            location = location.isEmpty() ? message.getProperty() : location + "." + message.getProperty();
        }
        return message.getType() + " at " + location;
    }

    private static void replace(ObjectNode event, String pointer, String replacement) throws IOException {
        int slash = pointer.lastIndexOf('/');
        JsonNode parent = event.at(pointer.substring(0, slash));
        String field = pointer.substring(slash + 1);
        if (parent.isArray()) {
            throw new IllegalArgumentException("replace an array element through its object: " + pointer);
        }
        if (replacement == null) {
            ((ObjectNode) parent).remove(field);
        } else {
            ((ObjectNode) parent).set(field, JSON.readTree(replacement));
        }
    }

    private static JsonNode sample(String name) throws IOException {
        try (InputStream in = EventSchemasTests.class.getClassLoader().getResourceAsStream("events/" + name)) {
            return JSON.readTree(in);
        }
    }
}
