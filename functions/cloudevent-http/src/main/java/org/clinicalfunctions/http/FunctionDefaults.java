package org.clinicalfunctions.http;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Settings every function shares, added below everything else (a function's application.yml, the environment and
 * arguments all override them), so the five functions do not each repeat them:
 * <ul>
 * <li>Actuator exposes {@code health} for the probes and {@code prometheus} for Azure Monitor's managed Prometheus.
 * On AKS both answer on the management port only (MANAGEMENT_SERVER_PORT in ConfigMap clinical-functions),
 * outside the Knative route; {@code /readyz} and {@code /livez} stay on the serving port, the only one Knative
 * probes.</li>
 * <li>Every series carries the {@code application} tag, the function's name.</li>
 * <li>spring-cloud-function 4.3.0 warns "Failed to locate function ... Returning null" on its first lookup, which
 * only searches the registrations, then finds the function in the bean factory (spring-cloud-function #1265,
 * #1291; DEBUG in later versions): a false alarm at every cold start, so that logger reports errors only.</li>
 * </ul>
 * Registered in META-INF/spring.factories, so it applies before logging is configured.
 */
public class FunctionDefaults implements EnvironmentPostProcessor {

    static final String SOURCE = "clinicalFunctionDefaults";

    private static final Map<String, Object> DEFAULTS = Map.of(
            "management.endpoints.web.exposure.include", "health,prometheus",
            "management.endpoint.health.probes.enabled", "true",
            "management.endpoint.health.probes.add-additional-paths", "true",
            "management.metrics.tags.application", "${spring.application.name:function}",
            "logging.level.org.springframework.cloud.function.context.catalog.BeanFactoryAwareFunctionRegistry",
            "ERROR");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE, DEFAULTS));
    }
}
