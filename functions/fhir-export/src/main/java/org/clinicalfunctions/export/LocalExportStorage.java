package org.clinicalfunctions.export;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/** Export files under a local folder, one sub-folder per job. The default, and what the local runtime uses. */
public class LocalExportStorage implements ExportStorage {

    private static final int BUFFER = 1 << 16;

    private final Path root;

    public LocalExportStorage(Path root) {
        this.root = root.toAbsolutePath();
    }

    @Override
    public OutputStream create(UUID job, String name) throws IOException {
        Path folder = Files.createDirectories(root.resolve(job.toString()));
        return new BufferedOutputStream(Files.newOutputStream(folder.resolve(name)), BUFFER);
    }

    @Override
    public InputStream open(UUID job, String name) throws IOException {
        try {
            return Files.newInputStream(root.resolve(job.toString()).resolve(name));
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * Deletes the job's folder. A worker that has not yet seen the job cancelled may still create a file in it
     * while the folder is emptied; the walk is then made again, a few times, before giving up.
     */
    @Override
    public void deleteJob(UUID job) throws IOException {
        Path folder = root.resolve(job.toString());
        for (int attempt = 1; Files.exists(folder); attempt++) {
            try (Stream<Path> files = Files.walk(folder)) {
                for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            } catch (DirectoryNotEmptyException raced) {
                if (attempt == 3) {
                    throw raced;
                }
            }
        }
    }
}
