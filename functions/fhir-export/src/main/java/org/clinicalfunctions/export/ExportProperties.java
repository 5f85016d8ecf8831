package org.clinicalfunctions.export;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the export function, under {@code clinical.fhir-export}.
 *
 * @param maxLinesPerFile a file part is closed after this many resources; default 100000
 * @param maxBytesPerFile a file part is closed once it holds at least this many bytes; default 128 MiB
 * @param workers how many chunks (one resource type of one job) this instance exports at once; default 2
 * @param lease how long a claimed chunk stays with its worker without a renewal; default 60 s
 * @param pollInterval the shortest interval between two status polls of one job, else 429; default 2 s
 * @param fetchSize rows fetched from the database cursor at a time; default 1000
 * @param rowsPerSecond cap on resources exported per second by one worker, to spare the database; 0 (default)
 *     means no cap
 * @param maxAttempts a chunk claimed this many times without finishing fails its job (a pod lost mid-chunk
 *     counts too, so this is a crash-loop guard, not a retry policy); default 5
 * @param fileExpiry how long after completion the files are kept and advertised in {@code Expires}; default 1 h
 * @param eventSink where export.completed and export.failed CloudEvents go ({@code K_SINK}); empty: none
 * @param oneExportPerClient a client (token subject) with an export in progress gets 429 and Retry-After for
 *     another one (Bulk Data K11); default true
 * @param chunkEvents true: chunks are woken by {@code chunk.ready} CloudEvents through the broker (event-sink and
 *     a Trigger back to {@code /export-chunks}) and worked inside that delivery, which keeps a Knative pod alive
 *     while it works; the worker threads then claim nothing. Default false: worker threads claim the chunks
 * @param chunkTimeBudget how long one delivery works on a chunk before it commits what it wrote and announces the
 *     rest in a new event; must stay well under the Trigger's delivery timeout (PT60S); default 20 s
 * @param storage where the files are written
 */
@ConfigurationProperties("clinical.fhir-export")
public record ExportProperties(
        @DefaultValue("100000") int maxLinesPerFile,
        @DefaultValue("134217728") long maxBytesPerFile,
        @DefaultValue("2") int workers,
        @DefaultValue("60s") Duration lease,
        @DefaultValue("2s") Duration pollInterval,
        @DefaultValue("1000") int fetchSize,
        @DefaultValue("0") int rowsPerSecond,
        @DefaultValue("5") int maxAttempts,
        @DefaultValue("1h") Duration fileExpiry,
        @DefaultValue("") String eventSink,
        @DefaultValue("true") boolean oneExportPerClient,
        @DefaultValue("false") boolean chunkEvents,
        @DefaultValue("20s") Duration chunkTimeBudget,
        @DefaultValue Storage storage) {

    /**
     * Where export files go.
     *
     * @param kind {@code local} (default) or {@code azure-blob}
     * @param localFolder folder of the local storage; {@code ${java.io.tmpdir}/fhir-export-files} in application.yml
     * @param blobEndpoint Blob service URL for workload identity (DefaultAzureCredential), e.g.
     *     {@code https://<account>.blob.core.windows.net}
     * @param blobConnectionString a connection string instead of the endpoint (Azurite, shared key); empty: none
     * @param blobContainer container of the export files; default {@code fhir-export}
     * @param fileUrls {@code served} (default): the function serves the files and the manifest says
     *     requiresAccessToken as the API does; {@code sas}: short-lived read-only SAS URLs of the blobs and
     *     requiresAccessToken false (azure-blob only)
     * @param sasValidity lifetime of a SAS URL, counted from the status poll that hands it out; default 1 h
     */
    public record Storage(
            @DefaultValue("local") String kind,
            @DefaultValue("export-files") Path localFolder,
            @DefaultValue("") String blobEndpoint,
            @DefaultValue("") String blobConnectionString,
            @DefaultValue("fhir-export") String blobContainer,
            @DefaultValue("served") String fileUrls,
            @DefaultValue("1h") Duration sasValidity) {

        boolean isSas() {
            return "sas".equals(fileUrls);
        }
    }
}
