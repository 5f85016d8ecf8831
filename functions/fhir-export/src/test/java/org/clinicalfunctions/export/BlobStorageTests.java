package org.clinicalfunctions.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.fasterxml.jackson.databind.JsonNode;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Export files in Azure Blob Storage (Azurite): short-lived SAS URLs, and files served by the function. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BlobStorageTests {

    private static final int OBSERVATIONS = 2_500;

    @TempDir
    static Path work;

    private AzuriteProcess azurite;
    private ExportTestEnvironment environment;
    private BulkClient sas;
    private BulkClient served;

    @BeforeAll
    void start() throws SQLException {
        azurite = AzuriteProcess.start(work);
        environment = new ExportTestEnvironment();
        Flyway.configure().dataSource(environment.postgres().getPostgresDatabase())
                .locations("classpath:db/migration").load().migrate();
        try (Connection connection = environment.postgres().getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(GeneratedResources.insertSql("Observation", OBSERVATIONS, 10));
            statement.execute(GeneratedResources.insertSql("Patient", 10, 10));
        }
        String blob = "--clinical.fhir-export.storage.blob-connection-string=" + azurite.connectionString();
        String kind = "--clinical.fhir-export.storage.kind=azure-blob";
        String split = "--clinical.fhir-export.max-lines-per-file=1000";
        sas = environment.systemClient(environment.startExport(work, kind, blob, split,
                "--clinical.fhir-export.storage.file-urls=sas"));
        served = environment.systemClient(environment.startExport(work, kind, blob, split));
    }

    @AfterAll
    void stop() throws IOException, InterruptedException {
        // Without Azurite the class is skipped before either was made.
        if (environment != null) {
            environment.close();
        }
        if (azurite != null) {
            azurite.close();
        }
    }

    @Test
    void sasManifestPointsAtTheBlobsAndNeedsNoToken() {
        JsonNode manifest = sas.export("/$export?_type=Observation");

        assertThat(manifest.path("requiresAccessToken").asBoolean(true)).isFalse();
        assertThat(manifest.path("output").size()).isEqualTo(3);
        long lines = 0;
        for (JsonNode output : manifest.path("output")) {
            String url = output.path("url").asText();
            assertThat(url).startsWith("http://127.0.0.1:" + azurite.port() + "/devstoreaccount1/fhir-export/")
                    .contains("sig=").contains("sp=r");
            HttpResponse<String> file = sas.get(url);
            assertThat(file.statusCode()).isEqualTo(200);
            lines += file.body().lines().count();
        }
        assertThat(lines).isEqualTo(OBSERVATIONS);
    }

    @Test
    void servedManifestReadsTheBlobsThroughTheFunction() {
        JsonNode manifest = served.export("/Patient/$export");

        assertThat(manifest.path("output").size()).isEqualTo(4);
        long lines = 0;
        for (JsonNode output : manifest.path("output")) {
            assertThat(output.path("url").asText()).startsWith(served.base() + "/export-files/");
            HttpResponse<String> file = served.get(output.path("url").asText());
            assertThat(file.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/fhir+ndjson");
            lines += file.body().lines().count();
        }
        assertThat(lines).isEqualTo(OBSERVATIONS + 10);
    }

    @Test
    void aFileServedFromABlobIsGzipCompressedForAClientThatAcceptsGzip() {
        JsonNode manifest = served.export("/Patient/$export?_type=Observation");
        String url = manifest.path("output").get(0).path("url").asText();

        HttpResponse<String> plain = served.get(url);
        HttpResponse<byte[]> gzipped = served.getEncoded(url, "gzip");

        BulkClient.assertGzipOf(gzipped, plain);
        assertThat(plain.body().lines().count()).isEqualTo(1000);
    }

    @Test
    void cancelRemovesTheJobsBlobs() {
        String status = sas.kickOff("/$export?_type=Patient").headers().firstValue("Content-Location").orElseThrow();
        sas.awaitCompletion(status);
        String job = status.substring(status.lastIndexOf('/') + 1);
        BlobContainerClient container = new BlobServiceClientBuilder().connectionString(azurite.connectionString())
                .buildClient().getBlobContainerClient("fhir-export");
        ListBlobsOptions ofJob = new ListBlobsOptions().setPrefix(job + "/");
        assertThat(container.listBlobs(ofJob, null).stream().count()).isEqualTo(1);

        assertThat(sas.delete(status).statusCode()).isEqualTo(202);

        assertThat(container.listBlobs(ofJob, null).stream().count()).isZero();
        assertThat(sas.get(status).statusCode()).isEqualTo(404);
    }
}
