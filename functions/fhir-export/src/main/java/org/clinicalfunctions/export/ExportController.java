package org.clinicalfunctions.export;

import java.io.IOException;
import java.io.InputStream;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import org.clinicalfunctions.auth.AuthProblem;
import org.clinicalfunctions.auth.AuthProblemReplies;
import org.clinicalfunctions.auth.Caller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.InputStreamResource;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The Bulk Data Access v2.0.0 endpoints: kick-off at system, Patient and Group level (GET and POST), the status
 * endpoint (poll and cancel), and the files.
 */
@RestController
public class ExportController {

    private static final Logger LOG = LoggerFactory.getLogger(ExportController.class);

    static final String STATUS_PATH = "/export-status/";
    private static final String NDJSON = "application/fhir+ndjson";

    private final KickoffParser parser;
    private final ExportKickoff kickoff;
    private final ExportJobs jobs;
    private final ExportStorage storage;
    private final Manifests manifests;
    private final OperationOutcomes outcomes;
    private final ExportWorker worker;
    private final ExportProperties properties;
    private final AuthProblemReplies authReplies;

    public ExportController(KickoffParser parser, ExportKickoff kickoff, ExportJobs jobs, ExportStorage storage,
            Manifests manifests, OperationOutcomes outcomes, ExportWorker worker, ExportProperties properties,
            AuthProblemReplies authReplies) {
        this.authReplies = authReplies;
        this.parser = parser;
        this.kickoff = kickoff;
        this.jobs = jobs;
        this.storage = storage;
        this.manifests = manifests;
        this.outcomes = outcomes;
        this.worker = worker;
        this.properties = properties;
    }

    @RequestMapping(path = "/$export", method = {RequestMethod.GET, RequestMethod.POST})
    public ResponseEntity<String> systemExport(Caller caller, HttpServletRequest request,
            @RequestBody(required = false) String body) throws IOException {
        return kickOff(caller, ExportLevel.SYSTEM, null, request, body);
    }

    @RequestMapping(path = "/Patient/$export", method = {RequestMethod.GET, RequestMethod.POST})
    public ResponseEntity<String> patientExport(Caller caller, HttpServletRequest request,
            @RequestBody(required = false) String body) throws IOException {
        return kickOff(caller, ExportLevel.PATIENT, null, request, body);
    }

    @RequestMapping(path = "/Group/{id}/$export", method = {RequestMethod.GET, RequestMethod.POST})
    public ResponseEntity<String> groupExport(Caller caller, @PathVariable("id") String id,
            HttpServletRequest request,
            @RequestBody(required = false) String body) throws IOException {
        return kickOff(caller, ExportLevel.GROUP, id, request, body);
    }

    @GetMapping(STATUS_PATH + "{id}")
    public ResponseEntity<?> status(Caller caller, @PathVariable("id") String id) {
        Optional<ExportJob> found = job(caller, id);
        if (found.isEmpty()) {
            return outcomes.reply(404, ExportProblem.JOB_UNKNOWN, "status");
        }
        ExportJob job = found.get();
        if (!jobs.recordPoll(job.id(), properties.pollInterval())) {
            return ResponseEntity.status(429).header(HttpHeaders.RETRY_AFTER, retryAfter())
                    .header(HttpHeaders.CONTENT_TYPE, OperationOutcomes.FHIR_JSON)
                    .body(outcomes.json(ExportProblem.POLLED_TOO_OFTEN, "status"));
        }
        return switch (job.status()) {
            case ExportJob.COMPLETED -> ResponseEntity.ok()
                    .header(HttpHeaders.CONTENT_TYPE, "application/json")
                    .header(HttpHeaders.EXPIRES, DateTimeFormatter.RFC_1123_DATE_TIME
                            .format(job.finishedAt().plus(properties.fileExpiry()).atOffset(ZoneOffset.UTC)))
                    .body(manifests.manifest(job, jobs.files(job.id())).toString());
            case ExportJob.FAILED -> outcomes.reply(500, ExportProblem.JOB_FAILED, "status");
            default -> inProgress(job);
        };
    }

    @DeleteMapping(STATUS_PATH + "{id}")
    public ResponseEntity<String> cancel(Caller caller, @PathVariable("id") String id) {
        Optional<ExportJob> found = job(caller, id);
        if (found.isEmpty() || !jobs.cancel(found.get().id())) {
            return outcomes.reply(404, ExportProblem.JOB_UNKNOWN, "status");
        }
        try {
            storage.deleteJob(found.get().id());
        } catch (IOException e) {
            // The job is cancelled; its files go with the job's row when housekeeping expires it.
            LOG.warn("export files of cancelled job={} left for housekeeping: {}", found.get().id(),
                    e.getClass().getSimpleName());
        }
        return ResponseEntity.accepted().build();
    }

    @GetMapping(Manifests.FILES_PATH + "{id}/{name}")
    public ResponseEntity<?> file(Caller caller, @PathVariable("id") String id, @PathVariable("name") String name)
            throws IOException {
        Optional<ExportJob> job = job(caller, id).filter(j -> ExportJob.COMPLETED.equals(j.status()));
        boolean listed = job.isPresent()
                && jobs.files(job.get().id()).stream().anyMatch(f -> f.fileName().equals(name));
        InputStream in = listed ? storage.open(job.get().id(), name) : null;
        if (in == null) {
            return outcomes.reply(404, ExportProblem.FILE_UNKNOWN, "file");
        }
        return ResponseEntity.ok().header(HttpHeaders.CONTENT_TYPE, NDJSON).body(new InputStreamResource(in));
    }

    @ExceptionHandler(ExportRejection.class)
    public ResponseEntity<String> rejected(ExportRejection rejection) {
        return outcomes.reply(rejection.status(), rejection.problem(), rejection.location());
    }

    @ExceptionHandler(AuthProblem.class)
    public ResponseEntity<String> unauthorized(AuthProblem problem) {
        return authReplies.reply(problem);
    }

    @ExceptionHandler(DataAccessException.class)
    public ResponseEntity<String> databaseUnavailable(DataAccessException e) {
        return ResponseEntity.status(503).header(HttpHeaders.RETRY_AFTER, "10")
                .header(HttpHeaders.CONTENT_TYPE, OperationOutcomes.FHIR_JSON)
                .body(outcomes.json(ExportProblem.DATABASE_UNAVAILABLE, "database"));
    }

    private ResponseEntity<String> kickOff(Caller caller, ExportLevel level, String groupId,
            HttpServletRequest request, String body) throws IOException {
        PreferHeader prefer = PreferHeader.of(Collections.list(request.getHeaders("Prefer")));
        if (!prefer.respondAsync()) {
            throw new ExportRejection(400, ExportProblem.PREFER_MISSING, "Prefer");
        }
        if (!acceptsFhirJson(request.getHeader(HttpHeaders.ACCEPT))) {
            throw new ExportRejection(400, ExportProblem.ACCEPT_UNSUPPORTED, "Accept");
        }
        boolean post = "POST".equals(request.getMethod());
        ExportRequest parsed = post
                ? parser.fromParameters(level, groupId, body == null ? "" : body, prefer.lenient())
                : parser.fromQuery(level, groupId, request.getQueryString(), prefer.lenient());

        if (properties.oneExportPerClient() && jobs.inProgressFor(caller.subject())) {
            // Bulk Data K11: one export at a time per client; the client may cancel the running one first.
            return ResponseEntity.status(429).header(HttpHeaders.RETRY_AFTER, "30")
                    .header(HttpHeaders.CONTENT_TYPE, OperationOutcomes.FHIR_JSON)
                    .body(outcomes.json(ExportProblem.EXPORT_RUNNING, "$export"));
        }
        String base = ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString();
        ServletUriComponentsBuilder current = ServletUriComponentsBuilder.fromCurrentRequestUri();
        String requestUrl = post || request.getQueryString() == null
                ? current.build().toUriString() : current.build().toUriString() + "?" + request.getQueryString();
        UUID id = kickoff.start(parsed, requestUrl, base, !properties.storage().isSas(), caller);

        return ResponseEntity.accepted().header(HttpHeaders.CONTENT_LOCATION, base + STATUS_PATH + id).build();
    }

    private ResponseEntity<String> inProgress(ExportJob job) {
        worker.wake();
        long[] progress = jobs.progress(job.id());
        String text = String.format(Locale.ROOT, "%d of %d resource types done, %d resources written",
                progress[0], progress[1], progress[2]);
        return ResponseEntity.accepted().header("X-Progress", text).header(HttpHeaders.RETRY_AFTER, retryAfter())
                .build();
    }

    private String retryAfter() {
        return Long.toString(Math.max(1, (properties.pollInterval().toMillis() + 999) / 1000));
    }

    private static boolean acceptsFhirJson(String accept) {
        if (accept == null || accept.isBlank()) {
            return true;
        }
        String lower = accept.toLowerCase(Locale.ROOT);
        return lower.contains("application/fhir+json") || lower.contains("application/json")
                || lower.contains("*/*");
    }

    /** The caller's job: another client's is a 403 (IG X01: status and files only to the one who asked). */
    private Optional<ExportJob> job(Caller caller, String id) {
        Optional<ExportJob> job;
        try {
            job = jobs.find(UUID.fromString(id)).filter(j -> !ExportJob.CANCELLED.equals(j.status()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (job.isPresent() && !Objects.equals(job.get().clientId(), caller.subject())) {
            throw new ExportRejection(403, ExportProblem.UNAUTHORIZED_FILE, "status");
        }
        return job;
    }
}
