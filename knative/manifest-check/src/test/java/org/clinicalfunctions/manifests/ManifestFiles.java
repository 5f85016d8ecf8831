package org.clinicalfunctions.manifests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/** Finds and parses the manifest files of the repository. */
public final class ManifestFiles {

    /** The folders, relative to the repository root, whose YAML files are deployed. */
    public static final List<String> DEPLOYED_FOLDERS = List.of("knative/base", "knative/overlays", "eventing");

    private static final YAMLMapper YAML = new YAMLMapper();

    private ManifestFiles() {
    }

    /** The repository root: the nearest folder above the working directory holding knative/base and eventing. */
    public static Path repositoryRoot() {
        Path candidate = Path.of("").toAbsolutePath();
        while (candidate != null) {
            boolean holdsManifests = Files.isDirectory(candidate.resolve("knative/base"))
                    && Files.isDirectory(candidate.resolve("eventing"));
            if (holdsManifests) {
                return candidate;
            }
            candidate = candidate.getParent();
        }
        throw new IllegalStateException("no folder above the working directory holds knative/base and eventing");
    }

    /** Every YAML file under the given folders of the repository, sorted by path. */
    public static List<Path> yamlFiles(Path root, List<String> folders) {
        List<Path> files = new ArrayList<>();
        for (String folder : folders) {
            try (Stream<Path> walk = Files.walk(root.resolve(folder))) {
                walk.filter(ManifestFiles::isYaml).sorted().forEach(files::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }

    /** Every document of every deployed YAML file. */
    public static List<Manifest> deployed() {
        Path root = repositoryRoot();
        return yamlFiles(root, DEPLOYED_FOLDERS).stream().flatMap(file -> read(root, file).stream()).toList();
    }

    /** Every document under one folder of the repository, e.g. {@code knative/base}. */
    public static List<Manifest> under(String folder) {
        Path root = repositoryRoot();
        return yamlFiles(root, List.of(folder)).stream().flatMap(file -> read(root, file).stream()).toList();
    }

    /** The non-empty documents of one file, named by their path relative to root. */
    public static List<Manifest> read(Path root, Path file) {
        try {
            return parse(root.relativize(file).toString().replace('\\', '/'), Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The non-empty documents of a YAML text; none for a JSON 6902 patch (a list of operations). */
    public static List<Manifest> parse(String name, String yaml) {
        List<Manifest> manifests = new ArrayList<>();
        try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            JsonNode first = YAML.readTree(yaml);
            if (first != null && first.isArray()) {
                return manifests;
            }
            int index = 0;
            while (documents.hasNextValue()) {
                JsonNode document = documents.nextValue();
                if (document != null && document.isObject() && !document.isEmpty()) {
                    manifests.add(new Manifest(name, index, document));
                }
                index++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + name, e);
        }
        return manifests;
    }

    private static boolean isYaml(Path file) {
        String name = file.getFileName().toString();
        return Files.isRegularFile(file) && (name.endsWith(".yaml") || name.endsWith(".yml"));
    }
}
