package org.clinicalfunctions.export;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.UUID;

/** Where export files are written and read back: a local folder or an Azure Blob Storage container. */
public interface ExportStorage {

    /** Opens a new file of the job for writing, replacing any file of that name. */
    OutputStream create(UUID job, String name) throws IOException;

    /** Opens a file of the job for reading; null if there is none. */
    InputStream open(UUID job, String name) throws IOException;

    /** Removes every file of the job. */
    void deleteJob(UUID job) throws IOException;

    /** A URL that reads the file without a bearer token for {@code validity}, or null if this storage has none. */
    default String readOnlyUrl(UUID job, String name, Duration validity) {
        return null;
    }
}
