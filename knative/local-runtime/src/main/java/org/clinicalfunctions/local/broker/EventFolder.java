package org.clinicalfunctions.local.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A folder of JSON records, one file each, named so that listing returns them in the order written. Files are
 * written to a temporary name and moved into place, so a crash never leaves half a record (no fsync: local use).
 */
final class EventFolder {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SUFFIX = ".json";

    private final Path folder;

    EventFolder(Path folder) throws IOException {
        this.folder = Files.createDirectories(folder);
    }

    /** A new record id: time first so names sort in arrival order. */
    static String newId() {
        return String.format("%015d-%s", System.currentTimeMillis(), UUID.randomUUID());
    }

    void write(String id, ObjectNode record) throws IOException {
        Path temporary = folder.resolve("." + id + ".tmp");
        JSON.writerWithDefaultPrettyPrinter().writeValue(temporary.toFile(), record);
        try {
            Files.move(temporary, file(id), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException noAtomicMove) {
            Files.move(temporary, file(id), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    Optional<JsonNode> read(String id) {
        try {
            return Optional.of(JSON.readTree(file(id).toFile()));
        } catch (IOException missingOrBroken) {
            return Optional.empty();
        }
    }

    /** Removes a record; false when it was already gone. */
    boolean delete(String id) {
        try {
            return Files.deleteIfExists(file(id));
        } catch (NoSuchFileException gone) {
            return false;
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }

    /** Ids of all records, oldest first. */
    List<String> ids() {
        try (Stream<Path> files = Files.list(folder)) {
            List<String> ids = new ArrayList<>();
            files.map(f -> f.getFileName().toString())
                    .filter(name -> name.endsWith(SUFFIX) && !name.startsWith("."))
                    .sorted()
                    .forEach(name -> ids.add(name.substring(0, name.length() - SUFFIX.length())));
            return ids;
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }

    private Path file(String id) {
        if (!id.matches("[0-9A-Za-z-]+")) {
            throw new IllegalArgumentException("BRK-ID-1: record id must be letters, digits and dashes");
        }
        return folder.resolve(id + SUFFIX);
    }
}
