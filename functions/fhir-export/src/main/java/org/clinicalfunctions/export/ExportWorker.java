package org.clinicalfunctions.export;

import java.io.IOException;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Runs the chunks of every job, on any instance. Each worker thread claims a chunk whose lease is free (new, or
 * left by a pod that died or was scaled away), exports it and claims the next. An instance resumes work when it
 * starts and whenever a kick-off or a status poll wakes it, which is what brings a scaled-to-zero service back.
 */
@Component
public class ExportWorker implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(ExportWorker.class);
    private static final long IDLE_MILLIS = 1000;

    private final ExportJobs jobs;
    private final ChunkExporter exporter;
    private final ExportStorage storage;
    private final Manifests manifests;
    private final ExportEvents events;
    private final ExportProperties properties;
    private final Semaphore wake = new Semaphore(0);
    private volatile boolean running;
    private ExecutorService threads;

    public ExportWorker(ExportJobs jobs, ChunkExporter exporter, ExportStorage storage, Manifests manifests,
            ExportEvents events, ExportProperties properties) {
        this.jobs = jobs;
        this.exporter = exporter;
        this.storage = storage;
        this.manifests = manifests;
        this.events = events;
        this.properties = properties;
    }

    /** Lets idle workers look for work now instead of at their next idle tick. */
    public void wake() {
        wake.release(properties.workers());
    }

    @Override
    public void start() {
        running = true;
        threads = Executors.newFixedThreadPool(properties.workers(), Thread.ofPlatform().name("export-", 1).factory());
        for (int i = 0; i < properties.workers(); i++) {
            threads.submit(this::work);
        }
    }

    @Override
    public void stop() {
        running = false;
        threads.shutdownNow();
        try {
            threads.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void work() {
        while (running && !Thread.currentThread().isInterrupted()) {
            try {
                Optional<ChunkClaim> claim = jobs.claim(properties.lease(), properties.maxAttempts());
                if (claim.isPresent()) {
                    run(claim.get());
                } else {
                    wake.tryAcquire(IDLE_MILLIS, TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (DataAccessException e) {
                LOG.warn("export worker: database unavailable ({})", e.getClass().getSimpleName());
                pause();
            }
        }
    }

    private void run(ChunkClaim claim) {
        Optional<ExportJob> job = jobs.find(claim.jobId()).filter(j -> ExportJob.IN_PROGRESS.equals(j.status()));
        if (job.isEmpty()) {
            return;
        }
        long started = System.nanoTime();
        try {
            exporter.export(job.get(), claim);
            boolean jobDone = jobs.finish(claim);
            LOG.info("export chunk job={} type={} done in {} ms", claim.jobId(), claim.resourceType(),
                    (System.nanoTime() - started) / 1_000_000);
            if (jobDone) {
                announce(claim.jobId());
            }
        } catch (ChunkExporter.ClaimLost e) {
            LOG.info("export chunk job={} type={} no longer ours", claim.jobId(), claim.resourceType());
        } catch (IOException | SQLException | RuntimeException e) {
            LOG.warn("export chunk job={} type={} attempt {} failed: {}", claim.jobId(), claim.resourceType(),
                    claim.attempts(), e.getClass().getSimpleName());
            if (jobs.release(claim, properties.maxAttempts(), ExportProblem.JOB_FAILED.diagnostics("export"))) {
                announce(claim.jobId());
            }
        }
    }

    /** Sends the completion or failure event of a finished job, once it went through. */
    void announce(UUID id) {
        Optional<ExportJob> found = jobs.find(id);
        if (found.isEmpty() || found.get().eventSent()) {
            return;
        }
        ExportJob job = found.get();
        boolean completed = ExportJob.COMPLETED.equals(job.status());
        ObjectNode manifest = manifests.manifest(job, completed ? jobs.files(id) : List.of());
        if (!completed) {
            manifest.putObject("extension").put("failure", job.failure());
        }
        if (events.publish(job, completed ? ExportEvents.COMPLETED : ExportEvents.FAILED, manifest.toString())) {
            jobs.markAnnounced(id);
        }
    }

    /** Fails jobs stuck in a crash loop, retries events that did not go out, removes expired jobs and files. */
    @Scheduled(fixedDelayString = "${clinical.fhir-export.housekeeping-interval:5s}")
    void housekeeping() {
        try {
            jobs.failExhausted(properties.maxAttempts()).forEach(this::announce);
            jobs.completeFinished().forEach(this::announce);
            jobs.unannounced().forEach(this::announce);
            for (UUID id : jobs.expired(properties.fileExpiry())) {
                storage.deleteJob(id);
                jobs.delete(id);
            }
        } catch (DataAccessException | IOException e) {
            LOG.warn("export housekeeping skipped: {}", e.getClass().getSimpleName());
        }
    }

    private static void pause() {
        try {
            Thread.sleep(IDLE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
