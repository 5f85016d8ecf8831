package org.clinicalfunctions.lab;

import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.hl7.fhir.r4.model.Observation.ObservationReferenceRangeComponent;
import org.hl7.fhir.r4.model.Quantity;

/**
 * OBX-7 reference ranges. The text always survives as sent; low and high are added only when the text is a plain
 * {@code a-b}, {@code a to b}, {@code <b}, {@code <=b}, {@code >a} or {@code >=a} (v2-to-FHIR IG: "if sufficiently
 * parseable"), with the units of OBX-6. Qualitative ranges stay text.
 */
final class ReferenceRanges {

    private static final String NUMBER = "([-+]?(?:\\d+\\.?\\d*|\\.\\d+))";
    private static final Pattern BETWEEN = Pattern.compile(NUMBER + "\\s*(?:-|to|_)\\s*" + NUMBER);
    private static final Pattern BELOW = Pattern.compile("<=?\\s*" + NUMBER);
    private static final Pattern ABOVE = Pattern.compile(">=?\\s*" + NUMBER);

    private ReferenceRanges() {
    }

    /**
     * The reference range for OBX-7, or null when it is empty.
     *
     * @param unit the Quantity prototype carrying OBX-6's unit, or null
     */
    static ObservationReferenceRangeComponent of(String range, Quantity unit) {
        String text = range.trim();
        if (text.isEmpty()) {
            return null;
        }
        ObservationReferenceRangeComponent component = new ObservationReferenceRangeComponent().setText(text);
        Matcher between = BETWEEN.matcher(text);
        if (between.matches() && decimal(between.group(1)).compareTo(decimal(between.group(2))) <= 0) {
            component.setLow(quantity(between.group(1), unit)).setHigh(quantity(between.group(2), unit));
            return component;
        }
        Matcher below = BELOW.matcher(text);
        if (below.matches()) {
            return component.setHigh(quantity(below.group(1), unit));
        }
        Matcher above = ABOVE.matcher(text);
        if (above.matches()) {
            return component.setLow(quantity(above.group(1), unit));
        }
        return component;
    }

    private static Quantity quantity(String number, Quantity unit) {
        Quantity quantity = unit == null ? new Quantity() : unit.copy();
        return quantity.setValue(decimal(number));
    }

    static BigDecimal decimal(String number) {
        String unsigned = number.startsWith("+") ? number.substring(1) : number;
        return new BigDecimal(unsigned.endsWith(".") ? unsigned.substring(0, unsigned.length() - 1) : unsigned);
    }
}
