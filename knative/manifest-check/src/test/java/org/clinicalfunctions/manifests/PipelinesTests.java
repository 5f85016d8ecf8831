package org.clinicalfunctions.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

/** The CI definitions in pipelines/: their shape, since no GitHub, Azure DevOps or AKS is reachable here. */
class PipelinesTests {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Path ROOT = ManifestFiles.repositoryRoot();

    @Test
    void githubWorkflowIsTheCopyGithubRuns() throws IOException {
        String source = Files.readString(ROOT.resolve("pipelines/github/ci.yml"));
        String copy = Files.readString(ROOT.resolve(".github/workflows/ci.yml"));

        assertThat(copy).isEqualTo(source);
    }

    @Test
    void githubWorkflowBuildsPushesAndDeploysInOrder() throws IOException {
        JsonNode workflow = YAML.readTree(ROOT.resolve("pipelines/github/ci.yml").toFile());

        JsonNode jobs = workflow.path("jobs");
        String build = jobs.path("build").path("steps").toString();
        String images = jobs.path("images").path("steps").toString();
        String deploy = jobs.path("deploy").path("steps").toString();

        assertThat(jobs.path("images").path("needs").asText()).isEqualTo("build");
        assertThat(jobs.path("deploy").path("needs").asText()).isEqualTo("images");
        assertThat(build).contains("actions/setup-java", "\"java-version\":\"21\"", "\"distribution\":\"temurin\"",
                "\"cache\":\"maven\"", "./mvnw -B -ntp verify");
        assertThat(jobs.path("images").path("permissions").path("id-token").asText()).isEqualTo("write");
        assertThat(images).contains("azure/login", "az acr login", "jib-image.digest");
        assertThat(deploy).contains("kustomize edit set image");
        assertThat(deploy.indexOf("kubectl apply -k knative/overlays/aks"))
                .isPositive().isLessThan(deploy.indexOf("kubectl apply -f eventing/"));
    }

    @Test
    void azureDevopsPipelineHasTheSameStages() throws IOException {
        JsonNode pipeline = YAML.readTree(ROOT.resolve("pipelines/azure-devops/azure-pipelines.yml").toFile());

        List<String> stages = pipeline.path("stages").valueStream()
                .map(stage -> stage.path("stage").asText() + "<" + stage.path("dependsOn").asText("")).toList();
        String text = pipeline.toString();

        assertThat(stages).containsExactly("Build<", "Image<Build", "Deploy<Image");
        assertThat(text).contains("./mvnw -B -ntp -Dmaven.repo.local=$(MAVEN_CACHE_FOLDER) verify",
                "az acr login", "jib-image.digest", "kustomize edit set image");
        assertThat(text.indexOf("kubectl apply -k knative/overlays/aks"))
                .isPositive().isLessThan(text.indexOf("kubectl apply -f eventing/"));
    }

    @Test
    void bothPipelinesBuildAnImageForEveryFunctionOfTheBase() throws IOException {
        JsonNode workflow = YAML.readTree(ROOT.resolve("pipelines/github/ci.yml").toFile());
        JsonNode pipeline = YAML.readTree(ROOT.resolve("pipelines/azure-devops/azure-pipelines.yml").toFile());

        List<String> services = ManifestFiles.under("knative/base").stream()
                .filter(m -> m.is("serving.knative.dev/v1", "Service")).map(Manifest::name).sorted().toList();

        assertThat(words(workflow.path("env").path("FUNCTIONS"))).isEqualTo(services);
        assertThat(words(pipeline.path("variables").path("functions"))).isEqualTo(services);
    }

    private static List<String> words(JsonNode value) {
        return Arrays.stream(value.asText().split(" ")).sorted().toList();
    }
}
