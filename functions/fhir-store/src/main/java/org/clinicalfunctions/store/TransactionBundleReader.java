package org.clinicalfunctions.store;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ca.uhn.fhir.parser.DataFormatException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.stereotype.Component;

/**
 * Reads a FHIR R4 transaction Bundle of PUTs into resource writes, or rejects it naming the first offending element.
 * The Bundle is walked as plain JSON first so that each rejection can point at {@code Bundle.entry[n]}.
 */
@Component
public class TransactionBundleReader {

    /** FHIR R4 id: 1 to 64 of letters, digits, '-' and '.'. Conditional updates (Type?query) are not supported. */
    private static final Pattern TYPE_AND_ID = Pattern.compile("([A-Z][A-Za-z]{0,63})/([A-Za-z0-9.\\-]{1,64})");

    private final ObjectMapper json = new ObjectMapper();
    private final FhirJson fhir;

    public TransactionBundleReader(FhirJson fhir) {
        this.fhir = fhir;
    }

    public List<ResourceWrite> read(byte[] body) {
        JsonNode bundle = parseJson(body);
        if (!bundle.isObject() || !"Bundle".equals(text(bundle, "resourceType"))) {
            throw new StoreRejection(StoreProblem.NOT_A_BUNDLE, "Bundle");
        }
        if (!"transaction".equals(text(bundle, "type"))) {
            throw new StoreRejection(StoreProblem.NOT_A_TRANSACTION, "Bundle.type");
        }

        JsonNode entries = bundle.path("entry");
        if (entries.isMissingNode()) {
            return List.of();
        }
        if (!entries.isArray()) {
            throw new StoreRejection(StoreProblem.MALFORMED_ENTRY, "Bundle.entry");
        }
        List<ResourceWrite> writes = new ArrayList<>(entries.size());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            String path = "Bundle.entry[" + i + "]";
            ResourceWrite write = readEntry(entries.get(i), path);
            if (!seen.add(write.reference())) {
                throw new StoreRejection(StoreProblem.DUPLICATE_ENTRY, path + ".request.url");
            }
            writes.add(write);
        }
        return writes;
    }

    private JsonNode parseJson(byte[] body) {
        try {
            JsonNode node = json.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw new StoreRejection(StoreProblem.NOT_JSON, "Bundle");
            }
            return node;
        } catch (IOException e) {
            throw new StoreRejection(StoreProblem.NOT_JSON, "Bundle");
        }
    }

    private ResourceWrite readEntry(JsonNode entry, String path) {
        if (!entry.isObject()) {
            throw new StoreRejection(StoreProblem.MALFORMED_ENTRY, path);
        }
        JsonNode request = entry.path("request");
        if (!"PUT".equals(text(request, "method"))) {
            throw new StoreRejection(StoreProblem.UNSUPPORTED_METHOD, path + ".request.method");
        }
        String url = text(request, "url");
        if (url == null || url.isEmpty()) {
            throw new StoreRejection(StoreProblem.MISSING_URL, path + ".request.url");
        }
        Matcher typeAndId = TYPE_AND_ID.matcher(url);
        if (!typeAndId.matches()) {
            throw new StoreRejection(StoreProblem.UNSUPPORTED_URL, path + ".request.url");
        }
        String type = typeAndId.group(1);
        String id = typeAndId.group(2);
        if (!fhir.isResourceType(type)) {
            throw new StoreRejection(StoreProblem.UNKNOWN_TYPE, path + ".request.url");
        }

        JsonNode resource = entry.path("resource");
        if (!resource.isObject()) {
            throw new StoreRejection(StoreProblem.MISSING_RESOURCE, path + ".resource");
        }
        // FHIR R4 http.html#update: the resource's id SHALL equal the id of the URL.
        if (!type.equals(text(resource, "resourceType")) || !id.equals(text(resource, "id"))) {
            throw new StoreRejection(StoreProblem.TYPE_ID_MISMATCH, path + ".request.url");
        }
        return new ResourceWrite(type, id, parseResource(resource, path));
    }

    private Resource parseResource(JsonNode resource, String path) {
        // FHIR R4 datatypes.html#string: no characters below U+0020 but tab, CR and LF. PostgreSQL jsonb refuses
        // U+0000 too, so letting one through would turn a bad entry into a 503 retried until the dead letter.
        if (hasControlCharacter(resource)) {
            throw new StoreRejection(StoreProblem.INVALID_RESOURCE, path + ".resource");
        }
        try {
            return fhir.parse(resource.toString());
        } catch (DataFormatException | ClassCastException e) {
            // The parser's message quotes the offending value; only the location leaves this method.
            throw new StoreRejection(StoreProblem.INVALID_RESOURCE, path + ".resource");
        }
    }

    private static boolean hasControlCharacter(JsonNode node) {
        if (node.isTextual()) {
            return node.asText().chars().anyMatch(c -> c < 0x20 && c != '\t' && c != '\n' && c != '\r');
        }
        for (JsonNode child : node) {
            if (hasControlCharacter(child)) {
                return true;
            }
        }
        return false;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() ? value.asText() : null;
    }
}
