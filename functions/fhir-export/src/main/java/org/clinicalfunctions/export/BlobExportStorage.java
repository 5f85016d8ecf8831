package org.clinicalfunctions.export;

import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;

import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.models.UserDelegationKey;
import com.azure.storage.blob.options.BlockBlobOutputStreamOptions;
import com.azure.storage.blob.sas.BlobSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;

/**
 * Export files as block blobs {@code <job>/<file>} in one container. On AKS the client signs in with
 * DefaultAzureCredential (workload identity of the function's ServiceAccount) and SAS URLs are user delegation
 * SAS; with a connection string (Azurite, or a shared key) they are service SAS signed with the account key.
 */
public class BlobExportStorage implements ExportStorage {

    private static final int BUFFER = 1 << 16;
    private static final String NDJSON = "application/fhir+ndjson";

    private final BlobServiceClient service;
    private final BlobContainerClient container;
    private final boolean sharedKey;

    public BlobExportStorage(ExportProperties.Storage settings) {
        BlobServiceClientBuilder builder = new BlobServiceClientBuilder();
        sharedKey = !settings.blobConnectionString().isBlank();
        if (sharedKey) {
            builder.connectionString(settings.blobConnectionString());
        } else {
            builder.endpoint(settings.blobEndpoint()).credential(new DefaultAzureCredentialBuilder().build());
        }
        service = builder.buildClient();
        container = service.getBlobContainerClient(settings.blobContainer());
        container.createIfNotExists();
    }

    @Override
    public OutputStream create(UUID job, String name) {
        BlockBlobOutputStreamOptions options = new BlockBlobOutputStreamOptions()
                .setHeaders(new BlobHttpHeaders().setContentType(NDJSON));
        return new BufferedOutputStream(blob(job, name).getBlockBlobClient().getBlobOutputStream(options), BUFFER);
    }

    @Override
    public InputStream open(UUID job, String name) {
        BlobClient blob = blob(job, name);
        return Boolean.TRUE.equals(blob.exists()) ? blob.openInputStream() : null;
    }

    @Override
    public void deleteJob(UUID job) {
        ListBlobsOptions options = new ListBlobsOptions().setPrefix(job + "/");
        for (BlobItem item : container.listBlobs(options, null)) {
            container.getBlobClient(item.getName()).deleteIfExists();
        }
    }

    @Override
    public String readOnlyUrl(UUID job, String name, Duration validity) {
        BlobClient blob = blob(job, name);
        OffsetDateTime expiry = OffsetDateTime.now().plus(validity);
        BlobServiceSasSignatureValues values =
                new BlobServiceSasSignatureValues(expiry, new BlobSasPermission().setReadPermission(true));
        if (sharedKey) {
            return blob.getBlobUrl() + "?" + blob.generateSas(values);
        }
        UserDelegationKey key = service.getUserDelegationKey(OffsetDateTime.now().minusMinutes(5), expiry);
        return blob.getBlobUrl() + "?" + blob.generateUserDelegationSas(values, key);
    }

    private BlobClient blob(UUID job, String name) {
        return container.getBlobClient(job + "/" + name);
    }
}
