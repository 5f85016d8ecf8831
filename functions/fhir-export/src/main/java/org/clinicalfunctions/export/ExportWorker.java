package org.clinicalfunctions.export;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
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
 *
 * <p>With {@code chunk-events} the threads claim nothing: each chunk is announced as a chunk.ready CloudEvent, the
 * broker delivers it back, and {@link #workDelivered} works the chunk inside that request. Knative keeps a pod
 * with a request in flight, and a pod lost mid-chunk fails the delivery, which the broker retries.
 */
@Component
public class ExportWorker implements SmartLifecycle {

    /** What one turn on a chunk came to. */
    enum Outcome {
        /** The chunk is done now, or was already (or its job is over): nothing left to do. */
        DONE,
        /** The time budget ran out; the rest is pending again and announced. */
        MORE,
        /** Another live worker holds the chunk's lease. */
        HELD,
        /** This instance works as many chunks as it has workers already. */
        BUSY,
        /** This attempt failed; the chunk is pending again for another. */
        FAILED
    }

    private static final Logger LOG = LoggerFactory.getLogger(ExportWorker.class);
    private static final long IDLE_MILLIS = 1000;

    private final ExportJobs jobs;
    private final ChunkExporter exporter;
    private final ExportStorage storage;
    private final Manifests manifests;
    private final ExportEvents events;
    private final ExportProperties properties;
    private final Semaphore wake = new Semaphore(0);
    private final Semaphore deliveredSlots;
    /** Chunk events on and a sink to send them to; without a sink the worker threads do the work after all. */
    private final boolean brokerWakes;
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
        this.deliveredSlots = new Semaphore(properties.workers());
        this.brokerWakes = properties.chunkEvents() && !properties.eventSink().isBlank();
        if (properties.chunkEvents() && !brokerWakes) {
            LOG.warn("export chunk events are on but no event sink is set: worker threads claim the chunks");
        }
    }

    /**
     * Gets waiting work going: lets idle workers look for it now, or with chunk events announces every claimable
     * chunk not announced within a lease (so polls and kick-offs do not flood the broker).
     */
    public void wake() {
        if (brokerWakes) {
            announceDue();
            return;
        }
        wake.release(properties.workers());
    }

    @Override
    public void start() {
        running = true;
        if (brokerWakes) {
            return;
        }
        threads = Executors.newFixedThreadPool(properties.workers(), Thread.ofPlatform().name("export-", 1).factory());
        for (int i = 0; i < properties.workers(); i++) {
            threads.submit(this::work);
        }
    }

    @Override
    public void stop() {
        running = false;
        if (threads == null) {
            return;
        }
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

    /**
     * Works the chunk a chunk.ready event names, in the caller's thread, for at most {@code chunk-time-budget}.
     * Idempotent: a chunk already done, or of a job cancelled, finished or expired, is {@link Outcome#DONE}.
     */
    public Outcome workDelivered(ChunkRef chunk) {
        if (!deliveredSlots.tryAcquire()) {
            return Outcome.BUSY;
        }
        try {
            Optional<ChunkClaim> claim = jobs.claim(chunk.jobId(), chunk.resourceType(), properties.lease(),
                    properties.maxAttempts());
            if (claim.isEmpty()) {
                return jobs.heldFor(chunk.jobId(), chunk.resourceType()).isPresent() ? Outcome.HELD : Outcome.DONE;
            }
            return run(claim.get(), properties.chunkTimeBudget());
        } finally {
            deliveredSlots.release();
        }
    }

    /** How long the lease on a held chunk still runs, for the Retry-After of the delivery it turned away. */
    public Duration heldFor(ChunkRef chunk) {
        return jobs.heldFor(chunk.jobId(), chunk.resourceType()).orElse(Duration.ZERO);
    }

    private void work() {
        while (running && !Thread.currentThread().isInterrupted()) {
            try {
                Optional<ChunkClaim> claim = jobs.claim(properties.lease(), properties.maxAttempts());
                if (claim.isPresent()) {
                    run(claim.get(), null);
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

    private Outcome run(ChunkClaim claim, Duration budget) {
        Optional<ExportJob> job = jobs.find(claim.jobId()).filter(j -> ExportJob.IN_PROGRESS.equals(j.status()));
        if (job.isEmpty()) {
            return Outcome.DONE;
        }
        long started = System.nanoTime();
        try {
            Optional<String> resumeAfter = exporter.export(job.get(), claim, budget);
            if (resumeAfter.isPresent()) {
                if (jobs.yieldChunk(claim, resumeAfter.get())) {
                    announce(new ChunkRef(claim.jobId(), claim.resourceType()));
                }
                LOG.info("export chunk job={} type={} slice of {} ms, more to come", claim.jobId(),
                        claim.resourceType(), (System.nanoTime() - started) / 1_000_000);
                return Outcome.MORE;
            }
            boolean jobDone = jobs.finish(claim);
            LOG.info("export chunk job={} type={} done in {} ms", claim.jobId(), claim.resourceType(),
                    (System.nanoTime() - started) / 1_000_000);
            if (jobDone) {
                announce(claim.jobId());
            }
            return Outcome.DONE;
        } catch (ChunkExporter.ClaimLost e) {
            LOG.info("export chunk job={} type={} no longer ours", claim.jobId(), claim.resourceType());
            return Outcome.DONE;
        } catch (IOException | SQLException | RuntimeException e) {
            LOG.warn("export chunk job={} type={} attempt {} failed: {}", claim.jobId(), claim.resourceType(),
                    claim.attempts(), e.getClass().getSimpleName());
            if (jobs.release(claim, properties.maxAttempts(), ExportProblem.JOB_FAILED.diagnostics("export"))) {
                announce(claim.jobId());
                return Outcome.DONE;
            }
            return Outcome.FAILED;
        }
    }

    /** Sends a chunk.ready event for every claimable chunk not announced within a lease. */
    void announceDue() {
        jobs.announceable(properties.lease(), properties.maxAttempts()).forEach(this::announce);
    }

    private void announce(ChunkRef chunk) {
        if (!events.publishChunkReady(chunk)) {
            jobs.unannounce(chunk);
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
            if (brokerWakes) {
                announceDue();
            }
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
