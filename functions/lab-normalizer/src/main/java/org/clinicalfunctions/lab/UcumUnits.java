package org.clinicalfunctions.lab;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.fhir.ucum.UcumEssenceService;
import org.fhir.ucum.UcumException;

/**
 * Decides whether an OBX-6 unit is a valid UCUM code. Only then does a Quantity carry the UCUM system and code;
 * anything else keeps the unit text alone, because a wrong UCUM code is worse than none. The common spellings
 * {@code µ} (micro sign or Greek mu), {@code 10^3} and a lower-case litre are normalised to UCUM's {@code u},
 * {@code 10*3} and {@code L} first.
 */
final class UcumUnits {

    /** Bound on cached units, so that a sender inventing units cannot grow the heap. */
    private static final int MAX_CACHED = 10_000;
    /**
     * A litre written {@code l}, alone or after a metric prefix ({@code mg/dl}, {@code mmol/l}): UCUM accepts both
     * {@code l} and {@code L}, labs and the UCUM common-units table write {@code L}.
     */
    private static final Pattern LITRE = Pattern.compile("(?<=^|[/.])([dcmunpf]?)l(?=$|[/.])");

    /** Units seen so far; a lab sends a few dozen distinct units, so the cache stays small. */
    private final Map<String, String> codes = new ConcurrentHashMap<>();
    private final UcumEssenceService ucum;

    UcumUnits() {
        try (InputStream essence = UcumEssenceService.class.getResourceAsStream("/ucum-essence.xml")) {
            this.ucum = new UcumEssenceService(essence);
        } catch (IOException | UcumException e) {
            throw new IllegalStateException("LAB-500 UCUM definitions could not be loaded", e);
        }
    }

    /** The UCUM code for a unit as sent, or null when it is not valid UCUM. */
    String codeOf(String unit) {
        if (unit.isEmpty()) {
            return null;
        }
        String code = codes.size() < MAX_CACHED ? codes.computeIfAbsent(unit, this::validate) : codes.get(unit);
        if (code == null) {
            code = validate(unit);
        }
        return code.isEmpty() ? null : code;
    }

    private String validate(String unit) {
        String candidate = LITRE.matcher(unit.replace('\u00B5', 'u').replace('\u03BC', 'u').replace("10^", "10*"))
                .replaceAll("$1L");
        return ucum.validate(candidate) == null ? candidate : "";
    }
}
