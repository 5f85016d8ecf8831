package org.clinicalfunctions.export;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.clinicalfunctions.auth.AuthProblem;
import org.clinicalfunctions.auth.Caller;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/** Starts an export: resolves the Group and patients, fixes transactionTime and the types, stores the job. */
@Service
public class ExportKickoff {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Loose index scan over resource_current's primary key: the distinct types without reading every row. */
    private static final String ALL_TYPES = "WITH RECURSIVE t AS (SELECT min(resource_type) AS rt"
            + " FROM resource_current UNION ALL SELECT (SELECT min(resource_type) FROM resource_current"
            + " WHERE resource_type > t.rt) FROM t WHERE t.rt IS NOT NULL) SELECT rt FROM t WHERE rt IS NOT NULL";

    private final JdbcTemplate jdbc;
    private final ExportJobs jobs;
    private final ExportStorage storage;
    private final OperationOutcomes outcomes;
    private final ExportWorker worker;

    public ExportKickoff(JdbcTemplate jdbc, ExportJobs jobs, ExportStorage storage, OperationOutcomes outcomes,
            ExportWorker worker) {
        this.jdbc = jdbc;
        this.jobs = jobs;
        this.storage = storage;
        this.outcomes = outcomes;
        this.worker = worker;
    }

    /**
     * Stores the job and wakes the workers; returns its id.
     *
     * @param requestUrl the kick-off URL for the manifest's {@code request}
     * @param baseUrl the service base the caller used, for the status and file URLs
     */
    public UUID start(ExportRequest request, String requestUrl, String baseUrl, boolean requiresAccessToken,
            Caller caller) throws IOException {
        Optional<String> bound = ExportAccess.boundPatient(caller, request.level(), request.types());
        List<String> patients = patients(request, bound);
        List<String> types = request.types();
        if (types == null) {
            // Without _type: every type there is data of that the caller may read (IG K12), not a 403.
            types = types(request.level(), patients).stream()
                    .filter(type -> ExportAccess.mayExport(caller, type)).toList();
        } else {
            types.forEach(type -> ExportAccess.grant(caller, type));
        }
        Map<String, List<String>> filters = new LinkedHashMap<>();
        request.filters().forEach((type, list) -> filters.put(type, list.stream().map(TypeFilter::query).toList()));
        UUID id = UUID.randomUUID();
        ExportJob job = new ExportJob(id, ExportJob.IN_PROGRESS, request.level(), request.groupId(), requestUrl,
                baseUrl, jobs.now(), request.since(), patients, filters, request.elements(), requiresAccessToken,
                caller.subject(), null, null, false);
        jobs.create(job, types);
        if (!request.skipped().isEmpty()) {
            writeSkipped(id, request.skipped());
        }
        worker.wake();
        return id;
    }

    /** Patient ids the export is limited to: a Group's members (and the listed ones among them), or the list. */
    private List<String> patients(ExportRequest request, Optional<String> bound) {
        if (bound.isPresent()) {
            request.patients().stream().filter(p -> !p.equals(bound.get())).findFirst()
                    .ifPresent(other -> {
                        throw AuthProblem.otherPatient("Patient");
                    });
            return List.of(bound.get());
        }
        if (request.level() == ExportLevel.GROUP) {
            Set<String> members = groupMembers(request.groupId());
            for (String patient : request.patients()) {
                if (!members.contains(patient)) {
                    throw new ExportRejection(400, ExportProblem.PATIENT_UNKNOWN, "Parameters.parameter[patient]");
                }
            }
            return request.patients().isEmpty() ? List.copyOf(members) : request.patients();
        }
        for (String patient : request.patients()) {
            Integer found = jdbc.queryForObject("SELECT count(*) FROM resource_current"
                    + " WHERE resource_type = 'Patient' AND resource_id = ?", Integer.class, patient);
            if (found == null || found == 0) {
                throw new ExportRejection(400, ExportProblem.PATIENT_UNKNOWN, "Parameters.parameter[patient]");
            }
        }
        return request.patients().isEmpty() ? null : request.patients();
    }

    private Set<String> groupMembers(String groupId) {
        List<String> found = jdbc.queryForList("SELECT content::text FROM resource_current"
                + " WHERE resource_type = 'Group' AND resource_id = ?", String.class, groupId);
        if (found.isEmpty()) {
            throw new ExportRejection(404, ExportProblem.GROUP_UNKNOWN, "Group");
        }
        Set<String> members = new LinkedHashSet<>();
        try {
            for (JsonNode member : JSON.readTree(found.get(0)).path("member")) {
                String reference = member.path("entity").path("reference").asText("");
                if (reference.startsWith("Patient/") && !member.path("inactive").asBoolean(false)) {
                    members.add(reference.substring("Patient/".length()));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("FX-500 stored Group is not JSON", e);
        }
        return members;
    }

    private List<String> types(ExportLevel level, List<String> patients) {
        if (level == ExportLevel.SYSTEM) {
            return jdbc.queryForList(ALL_TYPES, String.class);
        }
        List<String> types = new ArrayList<>(patients == null
                ? jdbc.queryForList("SELECT DISTINCT resource_type FROM resource_current"
                        + " WHERE patient_id IS NOT NULL ORDER BY 1", String.class)
                : jdbc.queryForList("SELECT DISTINCT resource_type FROM resource_current"
                        + " WHERE patient_id = ANY (?::text[]) ORDER BY 1", String.class,
                        (Object) patients.toArray(String[]::new)));
        // Provenance links to the compartment through target (K17), which patient_id does not record: its chunk
        // finds which ones belong, and writes no file when none does.
        if (Boolean.TRUE.equals(jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM resource_current"
                + " WHERE resource_type = 'Provenance')", Boolean.class)) && !types.contains("Provenance")) {
            types.add("Provenance");
        }
        return types;
    }

    /** One OperationOutcome line per parameter or type that {@code handling=lenient} let pass (IG M09). */
    private void writeSkipped(UUID id, List<ExportRejection> skipped) throws IOException {
        String name = "OperationOutcome-skipped.ndjson";
        List<String> lines = new ArrayList<>();
        for (ExportRejection rejection : skipped) {
            lines.add(outcomes.skippedJson(rejection.problem(), rejection.location()));
        }
        byte[] body = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = storage.create(id, name)) {
            out.write(body);
        }
        jobs.addFile(id, new ExportFile(ExportFile.ERROR, "OperationOutcome", 1, name, lines.size()), body.length);
    }
}
