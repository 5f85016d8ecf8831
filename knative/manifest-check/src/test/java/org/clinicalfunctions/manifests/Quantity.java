package org.clinicalfunctions.manifests;

import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Kubernetes resource quantity ({@code 500m}, {@code 2}, {@code 768Mi}, {@code 1G}) as a plain number. */
final class Quantity {

    private static final Pattern FORM = Pattern.compile("^([0-9]+(?:\\.[0-9]+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$");
    private static final Map<String, BigDecimal> SUFFIXES = Map.of(
            "m", new BigDecimal("0.001"),
            "k", BigDecimal.TEN.pow(3), "M", BigDecimal.TEN.pow(6), "G", BigDecimal.TEN.pow(9),
            "T", BigDecimal.TEN.pow(12),
            "Ki", BigDecimal.valueOf(1024L), "Mi", BigDecimal.valueOf(1024L * 1024),
            "Gi", BigDecimal.valueOf(1024L * 1024 * 1024), "Ti", BigDecimal.valueOf(1024L * 1024 * 1024 * 1024));

    private Quantity() {
    }

    /** The quantity's value: cores for CPU, bytes for memory. */
    static BigDecimal parse(String quantity) {
        Matcher matcher = FORM.matcher(quantity);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a Kubernetes quantity: " + quantity);
        }
        BigDecimal number = new BigDecimal(matcher.group(1));
        return matcher.group(2) == null ? number : number.multiply(SUFFIXES.get(matcher.group(2)));
    }
}
