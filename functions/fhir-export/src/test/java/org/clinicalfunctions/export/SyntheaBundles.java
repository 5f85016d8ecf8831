package org.clinicalfunctions.export;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * The Synthea sample Bundles, loaded through fhir-store's HTTP API. Synthea writes POST entries linked by urn:uuid
 * fullUrls; fhir-store takes PUT Type/id entries, so each Bundle is rewritten to that form first (ids and
 * references keep the Synthea UUIDs).
 *
 * <p>These May 2020 Bundles carry no Provenance; the Synthea releases since write one per Bundle whose targets are
 * every resource of the Bundle, author and transmitter the Bundle's practitioner on behalf of its organization.
 * {@link #withProvenance} adds one of that shape, so each patient has exactly one Provenance (Bulk Data K17).
 */
final class SyntheaBundles {

    static final List<String> PATIENT_BUNDLES = List.of(
            "Fannie_Waelchi_8666cd40-7af9-48c6-a1a6-86a161195542.json",
            "Dwain_McGlynn_7515d14b-843b-4210-8b6b-a33ab253d560.json",
            "Wm_Bergstrom_c536dee9-9ef6-4807-ae20-9f1045c9c7d6.json");
    /** All twenty patient Bundles of the shared set, 3,147 resources (and 20 Provenance): exported and validated. */
    static final List<String> ALL_PATIENT_BUNDLES = List.of(
            "Aleta_Wintheiser_58c297c4-d684-4677-8024-01131d93835e.json",
            "Bernie_Smitham_7a05bc93-cf1a-4929-9aca-6178ba9abcb7.json",
            "Carmelo_Streich_4026988c-ab06-4635-8c53-86cbad7b1c56.json",
            "Catheryn_Macejkovic_62247e85-c8c1-4047-90b3-e0b3a9c59600.json",
            "Christinia_Medhurst_c2f03d5b-7219-4dec-bcc6-03ee42166769.json",
            "Darcy_Schmidt_af9d61c1-30b4-452b-9f07-abe1cb6d0a12.json",
            "Derek_Brekke_4bc3ef6a-65c5-470d-8911-f26194b2a0e3.json",
            "Dillon_Leuschke_39699402-f976-4fa0-8635-f015a54f1f8b.json",
            "Dwain_McGlynn_7515d14b-843b-4210-8b6b-a33ab253d560.json",
            "Fannie_Waelchi_8666cd40-7af9-48c6-a1a6-86a161195542.json",
            "Felipe_Herman_0fe762e3-9350-4387-98d4-a7e8a739d4e1.json",
            "Fred_Beer_a0c6fb94-31c5-4bac-ba67-26d7f9385fbb.json",
            "Lakeshia_Feeney_70ac5078-22ef-471d-bed7-cb694775b4ba.json",
            "Myles_Hoppe_3cbdd43e-7cb5-48b0-a097-47fecc7b4098.json",
            "Sherman_Green_b1e834a6-e110-4402-ac76-f78433ed09fa.json",
            "Terence_Russel_b156a323-bbab-463f-b1a4-fba103269d16.json",
            "Terrance_Runte_33f95545-e4cd-4535-a9ce-f91438f6f5ec.json",
            "Troy_Krajcik_7cacc2af-8f5b-4ed5-b5d9-8679dfecc4ca.json",
            "Wilfredo_Schmeler_5efb1ac1-d29b-40a5-a3d1-2d682f10bfa7.json",
            "Wm_Bergstrom_c536dee9-9ef6-4807-ae20-9f1045c9c7d6.json");
    static final String GROUP = "groupInformation1588766256867.json";
    static final String GROUP_ID = "d9f31445-f448-48c0-af57-295c005e07df";
    static final String FANNIE = "8666cd40-7af9-48c6-a1a6-86a161195542";

    private SyntheaBundles() {
    }

    /**
     * Posts every sample Bundle and the Group to fhir-store as plain transactions, with {@code token} (create and
     * update rights on every type); returns the resources stored, by type.
     */
    static Map<String, Integer> loadAll(int storePort, String token) {
        return load(storePort, token, PATIENT_BUNDLES);
    }

    /** As {@link #loadAll}, with the given patient Bundles. */
    static Map<String, Integer> load(int storePort, String token, List<String> names) {
        Map<String, Integer> counts = new HashMap<>();
        // Bundles share their providers' Organization and Practitioner: the store keeps each once.
        Set<String> stored = new HashSet<>();
        for (String name : names) {
            JsonNode bundle = asPutTransaction(withProvenance(read(name), name));
            for (JsonNode entry : bundle.path("entry")) {
                if (stored.add(entry.path("request").path("url").asText())) {
                    counts.merge(entry.path("resource").path("resourceType").asText(), 1, Integer::sum);
                }
            }
            post(storePort, token, bundle.toString());
        }
        post(storePort, token, groupTransaction(read(GROUP)).toString());
        counts.merge("Group", 1, Integer::sum);
        return counts;
    }

    /** The id of the Provenance {@link #withProvenance} adds to the Bundle of that file. */
    static String provenanceId(String name) {
        return UUID.nameUUIDFromBytes(("provenance|" + name).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** Appends a Provenance targeting every entry of the Synthea Bundle, as newer Synthea releases write it. */
    static JsonNode withProvenance(JsonNode bundle, String name) {
        ObjectNode provenance = BulkClient.JSON.createObjectNode().put("resourceType", "Provenance");
        ArrayNode targets = provenance.putArray("target");
        String practitioner = null;
        String organization = null;
        for (JsonNode entry : bundle.path("entry")) {
            String fullUrl = entry.path("fullUrl").asText();
            targets.addObject().put("reference", fullUrl);
            String type = entry.path("resource").path("resourceType").asText();
            practitioner = practitioner == null && "Practitioner".equals(type) ? fullUrl : practitioner;
            organization = organization == null && "Organization".equals(type) ? fullUrl : organization;
        }
        provenance.put("recorded", "2020-05-06T11:57:36.867+00:00");
        ArrayNode agents = provenance.putArray("agent");
        // R4's participant types have author; transmitter is US Core's, the system Synthea writes it with.
        Map<String, String> roles = Map.of(
                "author", "http://terminology.hl7.org/CodeSystem/provenance-participant-type",
                "transmitter", "http://hl7.org/fhir/us/core/CodeSystem/us-core-provenance-participant-type");
        for (String role : List.of("author", "transmitter")) {
            ObjectNode agent = agents.addObject();
            agent.putObject("type").putArray("coding").addObject().put("system", roles.get(role)).put("code", role);
            agent.putObject("who").put("reference", practitioner);
            agent.putObject("onBehalfOf").put("reference", organization);
        }
        ObjectNode entry = ((ArrayNode) bundle.path("entry")).addObject();
        entry.put("fullUrl", "urn:uuid:" + provenanceId(name));
        entry.set("resource", provenance);
        return bundle;
    }

    static JsonNode asPutTransaction(JsonNode bundle) {
        Map<String, String> typeOf = new HashMap<>();
        for (JsonNode entry : bundle.path("entry")) {
            typeOf.put(entry.path("fullUrl").asText(), entry.path("resource").path("resourceType").asText());
        }
        for (JsonNode entry : bundle.path("entry")) {
            ObjectNode resource = (ObjectNode) entry.path("resource");
            String id = entry.path("fullUrl").asText().substring("urn:uuid:".length());
            resource.put("id", id);
            ObjectNode request = ((ObjectNode) entry).putObject("request");
            request.put("method", "PUT");
            request.put("url", resource.path("resourceType").asText() + "/" + id);
            ((ObjectNode) entry).remove("fullUrl");
            rewriteReferences(resource, typeOf);
        }
        return bundle;
    }

    private static JsonNode groupTransaction(JsonNode group) {
        for (JsonNode member : group.path("member")) {
            ObjectNode entity = (ObjectNode) member.path("entity");
            entity.put("reference", "Patient/" + entity.path("reference").asText().substring("urn:uuid:".length()));
        }
        ObjectNode bundle = BulkClient.JSON.createObjectNode();
        bundle.put("resourceType", "Bundle").put("type", "transaction");
        ObjectNode entry = bundle.putArray("entry").addObject();
        entry.set("resource", group);
        entry.putObject("request").put("method", "PUT").put("url", "Group/" + GROUP_ID);
        return bundle;
    }

    private static void rewriteReferences(JsonNode node, Map<String, String> typeOf) {
        if (node instanceof ObjectNode object) {
            JsonNode reference = object.get("reference");
            if (reference != null && reference.isTextual() && typeOf.containsKey(reference.asText())) {
                String uuid = reference.asText().substring("urn:uuid:".length());
                object.set("reference", TextNode.valueOf(typeOf.get(reference.asText()) + "/" + uuid));
            }
            object.elements().forEachRemaining(child -> rewriteReferences(child, typeOf));
        } else if (node.isArray()) {
            node.elements().forEachRemaining(child -> rewriteReferences(child, typeOf));
        }
    }

    static void post(int storePort, String token, String bundle) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + storePort + "/"))
                .header("Content-Type", "application/fhir+json")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(bundle))
                .build();
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(request,
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError("fhir-store refused a Bundle: " + response.statusCode() + " "
                        + response.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode read(String name) {
        try (InputStream in = SyntheaBundles.class.getResourceAsStream("/synthea/" + name)) {
            return BulkClient.JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
