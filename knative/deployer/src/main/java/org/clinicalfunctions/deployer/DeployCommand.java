package org.clinicalfunctions.deployer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * The deployer's command line, for the pipelines:
 * {@code java -jar deployer-<version>-exec.jar deploy --manifests rendered.yaml [--ready-timeout PT10M]
 * [--steps 10,50,100] [--bake PT2M] [--smoke-path /readyz]}. The cluster comes from the
 * kubeconfig ({@code az aks get-credentials} plus kubelogin with the pipeline's workload identity). Exit 0 when
 * every Service is deployed or promoted, 1 when one was rolled back or failed, 2 on a usage error.
 */
public final class DeployCommand {

    private static final Map<String, String> DEFAULTS = Map.of(
            "--ready-timeout", "PT10M", "--steps", "10,50,100", "--bake", "PT2M",
            "--smoke-path", "/readyz", "--smoke-attempts", "5");

    private DeployCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command; the exit code as documented above. */
    public static int run(String[] args) {
        Map<String, String> options;
        try {
            options = options(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: deploy --manifests FILE [--ready-timeout PT10M] [--steps 10,50,100]"
                    + " [--bake PT2M] [--smoke-path PATH] [--smoke-attempts 5]");
            return 2;
        }
        try (KubernetesClient client = new KubernetesClientBuilder().build()) {
            return deploy(client, options);
        }
    }

    /** Deploys with the given client; visible for the tests, which pass the mock server's client. */
    static int deploy(KubernetesClient client, Map<String, String> options) {
        List<Long> steps = Arrays.stream(options.get("--steps").split(",")).map(String::strip).map(Long::valueOf)
                .toList();
        Deployer.Settings settings = new Deployer.Settings(Duration.parse(options.get("--ready-timeout")), steps,
                Duration.parse(options.get("--bake")));
        HealthCheck check = new HttpHealthCheck(options.get("--smoke-path"),
                Integer.parseInt(options.get("--smoke-attempts")), false);
        Deployer deployer = new Deployer(client, settings, check, System.out::println);

        List<Outcome> outcomes = deployer.deploy(RenderedManifests.read(Path.of(options.get("--manifests"))));

        outcomes.forEach(o -> System.out.println(o.result() + " " + o.state()));
        return outcomes.stream().allMatch(Outcome::succeeded) ? 0 : 1;
    }

    static Map<String, String> options(String[] args) {
        if (args.length == 0 || !"deploy".equals(args[0])) {
            throw new IllegalArgumentException("the only command is deploy");
        }
        Map<String, String> options = new LinkedHashMap<>(DEFAULTS);
        for (int i = 1; i < args.length; i += 2) {
            if (i + 1 >= args.length || !args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option value at " + args[i]);
            }
            options.put(args[i], args[i + 1]);
        }
        if (!options.containsKey("--manifests")) {
            throw new IllegalArgumentException("--manifests is required");
        }
        List<Long> steps = Arrays.stream(options.get("--steps").split(",")).map(String::strip).map(Long::valueOf)
                .toList();
        if (steps.isEmpty() || steps.get(steps.size() - 1) != 100L) {
            throw new IllegalArgumentException("--steps must end at 100");
        }
        return options;
    }
}
