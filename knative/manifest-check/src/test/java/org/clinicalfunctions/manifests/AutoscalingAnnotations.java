package org.clinicalfunctions.manifests;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The Knative Serving webhook's checks of {@code autoscaling.knative.dev/*} revision annotations
 * (serving {@code pkg/apis/autoscaling/annotation_validation.go}, release 1.22), which the CRD schema cannot
 * express because annotation values are plain strings there.
 */
final class AutoscalingAnnotations {

    static final String PREFIX = "autoscaling.knative.dev/";

    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?");
    private static final Map<String, String> LEGACY_NAMES = Map.of(
            "minScale", "min-scale", "maxScale", "max-scale", "initialScale", "initial-scale");
    private static final Set<String> KNOWN = Set.of("class", "metric", "min-scale", "max-scale", "initial-scale",
            "activation-scale", "target", "target-utilization-percentage", "target-burst-capacity", "window",
            "panic-window-percentage", "panic-threshold-percentage", "scale-down-delay",
            "scale-to-zero-pod-retention-period", "metric-aggregation-algorithm");
    private static final String KPA = "kpa.autoscaling.knative.dev";
    private static final String HPA = "hpa.autoscaling.knative.dev";

    private final JsonNode annotations;
    private final String base;
    private final List<Violation> violations = new ArrayList<>();

    private AutoscalingAnnotations(JsonNode annotations, String base) {
        this.annotations = annotations;
        this.base = base;
    }

    /** The violations among the annotations of a revision template; {@code base} is their location. */
    static List<Violation> check(JsonNode annotations, String base) {
        AutoscalingAnnotations check = new AutoscalingAnnotations(annotations, base);
        check.names();
        check.scaleBounds();
        check.targets();
        check.windows();
        check.classAndMetric();
        return check.violations;
    }

    private void names() {
        annotations.fieldNames().forEachRemaining(key -> {
            if (!key.startsWith(PREFIX)) {
                return;
            }
            String name = key.substring(PREFIX.length());
            String modern = LEGACY_NAMES.get(name);
            if (modern != null && annotations.has(PREFIX + modern)) {
                add("autoscaling.duplicate", key, "set either the legacy or the current name, not both");
            }
            // Our rule, not the webhook's: an unknown key does nothing, which hides a misspelt annotation.
            if (modern == null && !KNOWN.contains(name)) {
                add("autoscaling.unknown", key, "not an annotation Knative autoscaling reads");
            }
        });
    }

    private void scaleBounds() {
        Optional<Long> min = integer("min-scale", 0);
        Optional<Long> max = integer("max-scale", 0);
        Optional<Long> initial = integer("initial-scale", 0);
        Optional<Long> activation = integer("activation-scale", 2);
        if (min.isPresent() && max.isPresent() && max.get() != 0 && max.get() < min.get()) {
            add("autoscaling.max-scale", PREFIX + "max-scale", "must be 0 (unlimited) or at least min-scale");
        }
        // Knative rejects initial-scale 0 unless the cluster sets allow-zero-initial-scale, off by default.
        if (initial.isPresent() && initial.get() == 0) {
            add("autoscaling.initial-scale", PREFIX + "initial-scale", "0 needs allow-zero-initial-scale");
        }
        boolean aboveMax = activation.isPresent() && max.isPresent() && max.get() != 0
                && activation.get() > max.get();
        if (aboveMax || activation.isPresent() && min.isPresent() && activation.get() < min.get()) {
            add("autoscaling.activation-scale", PREFIX + "activation-scale", "must lie within min-scale..max-scale");
        }
    }

    private void targets() {
        decimal("target", 0.01, Double.MAX_VALUE);
        decimal("target-utilization-percentage", 1, 100);
        decimal("panic-window-percentage", 1, 100);
        decimal("panic-threshold-percentage", 110, 1000);
        Optional<Double> burst = decimal("target-burst-capacity", -1, Double.MAX_VALUE);
        if (burst.isPresent() && burst.get() < 0 && burst.get() != -1) {
            add("autoscaling.target-burst-capacity", PREFIX + "target-burst-capacity", "must be >= 0 or exactly -1");
        }
    }

    private void windows() {
        duration("window", Duration.ofSeconds(6), Duration.ofHours(1), true);
        duration("scale-down-delay", Duration.ZERO, Duration.ofHours(1), true);
        duration("scale-to-zero-pod-retention-period", Duration.ZERO, Duration.ofHours(1), false);
    }

    private void classAndMetric() {
        String autoscalerClass = text("class").orElse(KPA);
        if (autoscalerClass.endsWith(".knative.dev") && !KPA.equals(autoscalerClass) && !HPA.equals(autoscalerClass)) {
            add("autoscaling.class", PREFIX + "class", "must be " + KPA + " or " + HPA);
        }
        Optional<String> metric = text("metric");
        if (KPA.equals(autoscalerClass) && metric.isPresent() && !Set.of("concurrency", "rps").contains(metric.get())) {
            add("autoscaling.metric", PREFIX + "metric", "the KPA scales on concurrency or rps");
        }
        Optional<String> algorithm = text("metric-aggregation-algorithm");
        Set<String> algorithms = Set.of("linear", "weighted-exponential", "weightedExponential");
        if (algorithm.isPresent() && !algorithms.contains(algorithm.get())) {
            add("autoscaling.metric-aggregation-algorithm", PREFIX + "metric-aggregation-algorithm",
                    "must be linear or weighted-exponential");
        }
    }

    private Optional<Long> integer(String name, long minimum) {
        Optional<String> value = text(name);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (!INTEGER.matcher(value.get()).matches() || !fitsInt32(value.get())
                || Long.parseLong(value.get()) < minimum) {
            add("autoscaling." + name, PREFIX + name, "must be an integer (int32) of at least " + minimum);
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(value.get()));
    }

    private Optional<Double> decimal(String name, double minimum, double maximum) {
        Optional<String> value = text(name);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (!DECIMAL.matcher(value.get()).matches()) {
            add("autoscaling." + name, PREFIX + name, "must be a number");
            return Optional.empty();
        }
        double number = Double.parseDouble(value.get());
        if (number < minimum || number > maximum) {
            add("autoscaling." + name, PREFIX + name, "must lie within " + minimum + ".." + maximum);
            return Optional.empty();
        }
        return Optional.of(number);
    }

    private void duration(String name, Duration minimum, Duration maximum, boolean wholeSeconds) {
        Optional<String> value = text(name);
        if (value.isEmpty()) {
            return;
        }
        Optional<Duration> duration = GoDuration.parse(value.get());
        boolean inRange = duration.isPresent() && duration.get().compareTo(minimum) >= 0
                && duration.get().compareTo(maximum) <= 0;
        if (!inRange || wholeSeconds && duration.get().getNano() != 0) {
            String unit = wholeSeconds ? " in whole seconds" : "";
            add("autoscaling." + name, PREFIX + name, "a Go duration within " + minimum + ".." + maximum + unit);
        }
    }

    private Optional<String> text(String name) {
        JsonNode value = annotations.get(PREFIX + name);
        if (value == null) {
            String legacy = LEGACY_NAMES.entrySet().stream().filter(e -> e.getValue().equals(name))
                    .map(Map.Entry::getKey).findFirst().orElse(null);
            value = legacy == null ? null : annotations.get(PREFIX + legacy);
        }
        return value == null ? Optional.empty() : Optional.of(value.asText());
    }

    private static boolean fitsInt32(String value) {
        try {
            return Math.abs(Long.parseLong(value)) <= Integer.MAX_VALUE;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private void add(String code, String key, String message) {
        violations.add(new Violation(code, base + "." + key, message));
    }
}
