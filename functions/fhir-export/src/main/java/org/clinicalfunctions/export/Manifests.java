package org.clinicalfunctions.export;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.stereotype.Component;

/**
 * The completion manifest of Bulk Data v2.0.0: plain JSON, not a FHIR resource. File URLs are the function's own
 * ({@code requiresAccessToken} as the API) or short-lived SAS URLs of the blobs ({@code requiresAccessToken}
 * false).
 */
@Component
public class Manifests {

    /** Path under the service base where the function serves export files. */
    public static final String FILES_PATH = "/export-files/";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ExportStorage storage;
    private final ExportProperties properties;

    public Manifests(ExportStorage storage, ExportProperties properties) {
        this.storage = storage;
        this.properties = properties;
    }

    public ObjectNode manifest(ExportJob job, List<ExportFile> files) {
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("transactionTime", job.transactionTime().toString());
        manifest.put("request", job.requestUrl());
        manifest.put("requiresAccessToken", job.requiresAccessToken());
        ArrayNode output = manifest.putArray("output");
        ArrayNode error = manifest.putArray("error");
        for (ExportFile file : files) {
            ObjectNode item = ExportFile.ERROR.equals(file.kind()) ? error.addObject() : output.addObject();
            item.put("type", file.resourceType());
            item.put("url", url(job, file));
            item.put("count", file.lineCount());
        }
        return manifest;
    }

    private String url(ExportJob job, ExportFile file) {
        if (properties.storage().isSas()) {
            String url = storage.readOnlyUrl(job.id(), file.fileName(), properties.storage().sasValidity());
            if (url != null) {
                return url;
            }
        }
        return job.baseUrl() + FILES_PATH + job.id() + "/" + file.fileName();
    }
}
