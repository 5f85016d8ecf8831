package org.clinicalfunctions.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.clinicalfunctions.auth.AuthProblem;
import org.clinicalfunctions.auth.AuthProblemReplies;
import org.clinicalfunctions.auth.BearerTokenVerifier;
import org.clinicalfunctions.auth.Caller;
import org.clinicalfunctions.auth.Interaction;
import org.clinicalfunctions.http.CloudEventHeaders;
import org.clinicalfunctions.http.FunctionReply;
import org.clinicalfunctions.http.RequestGuard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.messaging.Message;

/**
 * Guards the plain HTTP POST of a transaction Bundle: a bearer token with create and update rights (SMART
 * {@code cu}) on every resource type the Bundle names, from a {@code user/} or {@code system/} scope, because a
 * transaction writes whatever patient its resources belong to. Broker deliveries (CloudEvents) pass untouched
 * here: the endpoint has already checked the Knative dispatcher's OIDC token ({@code clinical.eventing.oidc.*}).
 */
public class TransactionWriteGuard implements RequestGuard {

    private static final Logger log = LoggerFactory.getLogger(TransactionWriteGuard.class);
    private static final Interaction[] WRITE = {Interaction.CREATE, Interaction.UPDATE};

    private final ObjectMapper json = new ObjectMapper();
    private final BearerTokenVerifier verifier;
    private final AuthProblemReplies replies;
    private final FhirJson fhir;

    public TransactionWriteGuard(BearerTokenVerifier verifier, AuthProblemReplies replies, FhirJson fhir) {
        this.verifier = verifier;
        this.replies = replies;
        this.fhir = fhir;
    }

    @Override
    public Verdict check(Map<String, List<String>> headers, byte[] body) {
        if (isCloudEvent(headers)) {
            return Verdict.allow(Map.of());
        }

        try {
            Caller caller = verifier.verifyHeader(first(headers, HttpHeaders.AUTHORIZATION));
            for (String type : typesIn(body)) {
                requireWrite(caller, type);
            }
        } catch (AuthProblem problem) {
            log.atInfo().addKeyValue("outcome", problem.code())
                    .log("fhirStore transaction refused outcome={}", problem.code());
            return Verdict.deny(reply(problem));
        }
        return Verdict.allow(Map.of());
    }

    /** The endpoint's own test, so nothing it reads as plain HTTP passes unchecked. */
    private static boolean isCloudEvent(Map<String, List<String>> headers) {
        return CloudEventHeaders.isCloudEventRequest(headers, first(headers, HttpHeaders.CONTENT_TYPE));
    }

    private static void requireWrite(Caller caller, String type) {
        for (Interaction interaction : WRITE) {
            if (caller.require(type, interaction).boundPatient().isPresent()) {
                throw AuthProblem.insufficientScope(type, interaction);
            }
        }
    }

    /**
     * The FHIR resource types of the entries' {@code request.url} and {@code resource.resourceType}, both, since the
     * function refuses an entry where they differ. Names that are not R4 resource types are left to the function,
     * which refuses them, and so are bodies that are not JSON: a Bundle that names no type writes nothing.
     */
    private Set<String> typesIn(byte[] body) {
        Set<String> types = new TreeSet<>();
        JsonNode entries;
        try {
            entries = json.readTree(body).path("entry");
        } catch (IOException | RuntimeException unreadable) {
            return types;
        }
        for (JsonNode entry : entries) {
            String url = entry.path("request").path("url").asText("");
            addIfResourceType(types, url.split("[/?]", 2)[0]);
            addIfResourceType(types, entry.path("resource").path("resourceType").asText(""));
        }
        return types;
    }

    private void addIfResourceType(Set<String> types, String name) {
        if (!name.isEmpty() && fhir.isResourceType(name)) {
            types.add(name);
        }
    }

    private Message<byte[]> reply(AuthProblem problem) {
        ResponseEntity<String> answer = replies.reply(problem);
        Message<byte[]> reply = FunctionReply.http(answer.getStatusCode().value(),
                AuthProblemReplies.FHIR_JSON.toString(), answer.getBody().getBytes(StandardCharsets.UTF_8));
        for (String name : List.of(HttpHeaders.WWW_AUTHENTICATE, HttpHeaders.RETRY_AFTER)) {
            String value = answer.getHeaders().getFirst(name);
            if (value != null) {
                reply = FunctionReply.withResponseHeader(reply, name, value);
            }
        }
        return reply;
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
