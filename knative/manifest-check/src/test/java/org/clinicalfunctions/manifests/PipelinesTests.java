package org.clinicalfunctions.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

/** The CI definitions in pipelines/: their shape, and that everything they call exists here. */
class PipelinesTests {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Path ROOT = ManifestFiles.repositoryRoot();
    private static final List<String> PIPELINE_FILES = List.of("pipelines/github/ci.yml",
            "pipelines/azure-devops/azure-pipelines.yml", "pipelines/scripts/deploy.sh",
            "pipelines/scripts/smoke-test.sh", "pipelines/scripts/rollback.sh");
    private static final Pattern REPOSITORY_PATH = Pattern.compile(
            "(?<![\\w/.$-])(?:\\./)?((?:knative|functions|pipelines|eventing)/[A-Za-z0-9_.*$(){}/-]*[A-Za-z0-9_*)}])");
    private static final Pattern MAVEN_MODULE = Pattern.compile("-pl \"?([a-z0-9/$(){}-]+)\"?");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\(?\\{?(function|overlay)\\)?}?");

    @Test
    void githubWorkflowIsTheCopyGithubRuns() throws IOException {
        String source = Files.readString(ROOT.resolve("pipelines/github/ci.yml"));
        String copy = Files.readString(ROOT.resolve(".github/workflows/ci.yml"));

        assertThat(copy).isEqualTo(source);
    }

    @Test
    void githubWorkflowBuildsPushesThenDeploysDevThenProdWithRollback() throws IOException {
        JsonNode jobs = YAML.readTree(ROOT.resolve("pipelines/github/ci.yml").toFile()).path("jobs");

        String build = jobs.path("build").path("steps").toString();
        String images = jobs.path("images").path("steps").toString();

        assertThat(jobs.path("images").path("needs").asText()).isEqualTo("build");
        assertThat(jobs.path("deploy-dev").path("needs").asText()).isEqualTo("images");
        assertThat(jobs.path("deploy-prod").path("needs").toString()).isEqualTo("[\"images\",\"deploy-dev\"]");
        assertThat(build).contains("\"java-version\":\"21\"", "./mvnw -B -ntp verify", "kubectl kustomize");
        assertThat(images).contains("azure/login", "az acr login", "jib-image.digest");
        for (String job : List.of("deploy-dev", "deploy-prod")) {
            String steps = jobs.path(job).path("steps").toString();
            String overlay = job.replace("deploy-", "aks-");
            assertThat(jobs.path(job).path("permissions").path("id-token").asText()).isEqualTo("write");
            assertThat(steps).contains("azure/login", "azure/use-kubelogin", "pipelines/scripts/deploy.sh " + overlay,
                    "pipelines/scripts/smoke-test.sh", "\"if\":\"failure()\"", "pipelines/scripts/rollback.sh");
        }
    }

    @Test
    void azureDevopsPipelineHasTheSameStages() throws IOException {
        JsonNode pipeline = YAML.readTree(ROOT.resolve("pipelines/azure-devops/azure-pipelines.yml").toFile());

        List<String> stages = pipeline.path("stages").valueStream()
                .map(stage -> stage.path("stage").asText() + "<" + stage.path("dependsOn").asText("")).toList();
        String text = pipeline.toString();

        assertThat(stages).containsExactly("Build<", "Image<Build", "DeployDev<Image", "DeployProd<DeployDev");
        assertThat(text).contains("./mvnw -B -ntp -Dmaven.repo.local=$(MAVEN_CACHE_FOLDER) verify",
                "az acr login", "jib-image.digest", "pipelines/scripts/deploy.sh aks-dev",
                "pipelines/scripts/deploy.sh aks-prod", "pipelines/scripts/smoke-test.sh",
                "\"condition\":\"failed()\"", "pipelines/scripts/rollback.sh");
    }

    @Test
    void bothPipelinesBuildAnImageForEveryFunctionOfTheBase() throws IOException {
        JsonNode workflow = YAML.readTree(ROOT.resolve("pipelines/github/ci.yml").toFile());
        JsonNode pipeline = YAML.readTree(ROOT.resolve("pipelines/azure-devops/azure-pipelines.yml").toFile());

        List<String> services = functions();

        assertThat(words(workflow.path("env").path("FUNCTIONS"))).isEqualTo(services);
        assertThat(words(pipeline.path("variables").path("functions"))).isEqualTo(services);
    }

    @Test
    void everyPathAndModuleThePipelinesCallExists() throws IOException {
        List<String> missing = new ArrayList<>();
        for (String file : PIPELINE_FILES) {
            missing.addAll(missingReferences(file, Files.readString(ROOT.resolve(file))));
        }

        assertThat(missing).isEmpty();
    }

    @Test
    void everyScriptThePipelinesRunIsExecutableAndTheWrapperIsThere() {
        List<String> notExecutable = Stream.concat(PIPELINE_FILES.stream().filter(f -> f.endsWith(".sh")),
                Stream.of("mvnw")).filter(f -> !Files.isExecutable(ROOT.resolve(f))).toList();

        assertThat(notExecutable).isEmpty();
    }

    @Test
    void theReferenceCheckFindsAPathThatIsNotThere() {
        String broken = "run: pipelines/scripts/deploy-everything.sh && ./mvnw -pl knative/no-such-module package\n"
                + "kubectl kustomize knative/overlays/$overlay";

        List<String> missing = missingReferences("broken.yml", broken);

        assertThat(missing).containsExactlyInAnyOrder("broken.yml: pipelines/scripts/deploy-everything.sh",
                "broken.yml: knative/no-such-module");
    }

    /** Repository paths and Maven modules named in a text that do not exist, variables expanded. */
    private static List<String> missingReferences(String file, String text) {
        Set<String> references = new LinkedHashSet<>();
        Matcher path = REPOSITORY_PATH.matcher(text);
        while (path.find()) {
            references.add(path.group(1));
        }
        Matcher module = MAVEN_MODULE.matcher(text);
        while (module.find()) {
            references.add(module.group(1));
        }
        List<String> missing = new ArrayList<>();
        for (String reference : references) {
            for (String expanded : expand(reference)) {
                if (!exists(expanded)) {
                    missing.add(file + ": " + expanded);
                }
            }
        }
        return missing;
    }

    private static List<String> expand(String reference) {
        Matcher variable = VARIABLE.matcher(reference);
        if (!variable.find()) {
            return List.of(reference);
        }
        List<String> values = "function".equals(variable.group(1)) ? functions()
                : List.of("local", "aks-dev", "aks-prod");
        return values.stream().map(value -> reference.substring(0, variable.start()) + value
                + reference.substring(variable.end())).flatMap(r -> expand(r).stream()).toList();
    }

    /** A path exists, or for build output under target/, the module that builds it does. */
    private static boolean exists(String reference) {
        int target = reference.indexOf("/target/");
        if (target >= 0) {
            return Files.isRegularFile(ROOT.resolve(reference.substring(0, target)).resolve("pom.xml"));
        }
        return Files.exists(ROOT.resolve(reference));
    }

    private static List<String> functions() {
        return ManifestFiles.under("knative/base").stream()
                .filter(m -> m.is("serving.knative.dev/v1", "Service")).map(Manifest::name).sorted().toList();
    }

    private static List<String> words(JsonNode value) {
        return Arrays.stream(value.asText().split(" ")).sorted().toList();
    }
}
