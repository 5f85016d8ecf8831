package org.clinicalfunctions.lab;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.util.regex.Pattern;

import ca.uhn.hl7v2.model.Type;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Quantity.QuantityComparator;
import org.hl7.fhir.r4.model.Range;
import org.hl7.fhir.r4.model.Ratio;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.TimeType;

/**
 * One OBX-5 repetition as an Observation value, chosen by OBX-2 (v2-to-FHIR IG OBX rows). A value that OBX-2 says
 * is numeric, structured or a date but cannot be read as one is refused: guessing would change a clinical result.
 */
final class ObservationValues {

    private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)");
    private static final Pattern TIME = Pattern.compile("(\\d{2})(\\d{2})?(\\d{2})?(\\.\\d{1,4})?([+-]\\d{4})?");

    private final Hl7DateTimes times;
    private final MappingWarnings warnings;

    ObservationValues(Hl7DateTimes times, MappingWarnings warnings) {
        this.times = times;
        this.warnings = warnings;
    }

    /**
     * The value for OBX-5, or null when the repetition is empty.
     *
     * @param unit a Quantity carrying OBX-6's unit, or null; it is copied, never changed
     * @param location where the value is, e.g. {@code OBX[2]-5}, for the error
     */
    org.hl7.fhir.r4.model.Type valueOf(String valueType, Type value, Quantity unit, String location)
            throws LabMappingException {
        if (V2Fields.text(value).isEmpty() && V2Fields.text(value, 2).isEmpty()) {
            return isText(valueType) && !V2Fields.raw(value).isBlank() ? new StringType(V2Fields.raw(value)) : null;
        }
        return switch (valueType) {
            case "NM" -> number(V2Fields.text(value), unit, location);
            case "SN" -> structuredNumeric(value, unit, location);
            case "CE", "CWE", "CNE", "CF" -> Codings.concept(value);
            case "DT", "DTM", "TS" -> dateTime(V2Fields.text(value), location);
            case "TM" -> time(V2Fields.text(value), location);
            // Other types (ED, RP, TX lines with components...) keep their first component as text.
            default -> new StringType(V2Fields.raw(value));
        };
    }

    static boolean isText(String valueType) {
        return "ST".equals(valueType) || "TX".equals(valueType) || "FT".equals(valueType);
    }

    /** A non-numeric NM (a lab writing "see note" or "<5" into NM) is kept as text, never guessed at. */
    private org.hl7.fhir.r4.model.Type number(String number, Quantity unit, String location)
            throws LabMappingException {
        if (!DECIMAL.matcher(number.trim()).matches()) {
            warnings.kept(MappingWarnings.NUMBER_AS_TEXT, location, "numeric value is not a number, kept as text");
            return new StringType(number);
        }
        return quantity(number, unit, location);
    }

    private static Quantity quantity(String number, Quantity unit, String location) throws LabMappingException {
        Quantity quantity = unit == null ? new Quantity() : unit.copy();
        return quantity.setValue(decimal(number, location));
    }

    /** NM is canonicalised (sign, leading zeros, leading dot) but keeps its scale: {@code 065.880} is 65.880. */
    static BigDecimal decimal(String number, String location) throws LabMappingException {
        String trimmed = number.trim();
        if (!DECIMAL.matcher(trimmed).matches()) {
            throw new LabMappingException("LAB-211", location, "numeric value is not a decimal number");
        }
        return ReferenceRanges.decimal(trimmed);
    }

    /** SN: comparator ^ num1 ^ separator/suffix ^ num2 (HL7 v2.5.1 2A.3.71). An {@code =} comparator is dropped. */
    private static org.hl7.fhir.r4.model.Type structuredNumeric(Type sn, Quantity unit, String location)
            throws LabMappingException {
        String comparator = V2Fields.text(sn, 1);
        String first = V2Fields.text(sn, 2);
        String separator = V2Fields.text(sn, 3);
        String second = V2Fields.text(sn, 4);
        if (separator.isEmpty() && second.isEmpty()) {
            return quantity(first, unit, location).setComparator(comparatorOf(comparator, location));
        }
        if (!comparator.isEmpty()) {
            throw new LabMappingException("LAB-212", location, "structured numeric combines a comparator and a range");
        }
        return switch (separator) {
            case "-" -> new Range().setLow(quantity(first, unit, location)).setHigh(quantity(second, unit, location));
            case ":", "/" -> new Ratio().setNumerator(new Quantity().setValue(decimal(first, location)))
                    .setDenominator(new Quantity().setValue(decimal(second, location)));
            case "+" -> plusSuffix(first, second, location);
            default -> throw new LabMappingException("LAB-212", location, "structured numeric separator is unknown");
        };
    }

    /** {@code 2^+} means "2 or more" (a categorical grade), which no Quantity expresses: it stays text. */
    private static StringType plusSuffix(String first, String second, String location) throws LabMappingException {
        if (!second.isEmpty()) {
            throw new LabMappingException("LAB-212", location, "structured numeric suffix is followed by a number");
        }
        decimal(first, location);
        return new StringType(first + "+");
    }

    private static QuantityComparator comparatorOf(String comparator, String location) throws LabMappingException {
        return switch (comparator) {
            case "", "=" -> null;
            case "<" -> QuantityComparator.LESS_THAN;
            case "<=" -> QuantityComparator.LESS_OR_EQUAL;
            case ">" -> QuantityComparator.GREATER_THAN;
            case ">=" -> QuantityComparator.GREATER_OR_EQUAL;
            default -> throw new LabMappingException("LAB-212", location, "structured numeric comparator is unknown");
        };
    }

    private DateTimeType dateTime(String dtm, String location) throws LabMappingException {
        try {
            return new DateTimeType(times.dateTime(dtm));
        } catch (DateTimeException | IllegalArgumentException e) {
            throw new LabMappingException("LAB-213", location, "date/time value is not a valid HL7 DTM");
        }
    }

    private static TimeType time(String tm, String location) throws LabMappingException {
        java.util.regex.Matcher m = TIME.matcher(tm);
        if (!m.matches() || Integer.parseInt(m.group(1)) > 23) {
            throw new LabMappingException("LAB-213", location, "time value is not a valid HL7 TM");
        }
        String minutes = m.group(2) == null ? "00" : m.group(2);
        String seconds = m.group(3) == null ? "00" : m.group(3);
        return new TimeType(m.group(1) + ":" + minutes + ":" + seconds + (m.group(4) == null ? "" : m.group(4)));
    }
}
