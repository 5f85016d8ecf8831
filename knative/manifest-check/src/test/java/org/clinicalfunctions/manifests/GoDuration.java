package org.clinicalfunctions.manifests;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go's {@code time.ParseDuration} format (e.g. {@code 5m}, {@code 1h30m}, {@code 0.5s}), which Knative uses. */
final class GoDuration {

    private static final Pattern WHOLE = Pattern.compile("(?:[0-9]*\\.?[0-9]+(?:ns|us|µs|ms|s|m|h))+");
    private static final Pattern PART = Pattern.compile("([0-9]*\\.?[0-9]+)(ns|us|µs|ms|s|m|h)");
    private static final Map<String, Long> NANOS_PER_UNIT = Map.of(
            "ns", 1L, "us", 1_000L, "µs", 1_000L, "ms", 1_000_000L,
            "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);

    private GoDuration() {
    }

    /** The duration, or empty when the text is not a non-negative Go duration ({@code 0} alone is allowed). */
    static Optional<Duration> parse(String text) {
        if ("0".equals(text)) {
            return Optional.of(Duration.ZERO);
        }
        if (text.isEmpty() || !WHOLE.matcher(text).matches()) {
            return Optional.empty();
        }
        BigDecimal nanos = BigDecimal.ZERO;
        Matcher part = PART.matcher(text);
        while (part.find()) {
            BigDecimal unit = BigDecimal.valueOf(NANOS_PER_UNIT.get(part.group(2)));
            nanos = nanos.add(new BigDecimal(part.group(1)).multiply(unit));
        }
        return Optional.of(Duration.ofNanos(nanos.longValue()));
    }
}
