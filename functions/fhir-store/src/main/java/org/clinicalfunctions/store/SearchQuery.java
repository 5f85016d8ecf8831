package org.clinicalfunctions.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A parsed search on one resource type. Several {@code _lastUpdated} parameters are all applied (a range is
 * {@code ge..&_lastUpdated=lt..}); a comma in {@code patient} means any of the listed patients.
 *
 * @param type the resource type searched
 * @param patientIds patients whose resources match; empty for any
 * @param lastUpdated conditions on lastUpdated, all of which must hold
 * @param count the most entries to return
 * @param summaryCount true for {@code _summary=count}: the total only
 */
public record SearchQuery(String type, List<String> patientIds, List<LastUpdatedBound> lastUpdated, int count,
        boolean summaryCount) {

    private static final Set<String> JSON_FORMATS = Set.of("json", "application/json", "application/fhir+json");
    private static final Pattern PATIENT = Pattern.compile("(?:Patient/)?([A-Za-z0-9.\\-]{1,64})");
    private static final Pattern PARAMETER_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_:.\\-]{0,63}");

    /**
     * Parses the query parameters of {@code GET /{type}}.
     *
     * @throws StoreRejection for an unknown parameter or an invalid value
     */
    public static SearchQuery parse(String type, Map<String, List<String>> parameters,
            FhirStoreProperties properties) {
        List<String> patientIds = new ArrayList<>();
        List<LastUpdatedBound> lastUpdated = new ArrayList<>();
        int count = Math.min(properties.defaultCount(), properties.maxCount());
        boolean summaryCount = false;
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            String name = parameter.getKey();
            for (String value : parameter.getValue()) {
                switch (name) {
                    case "patient" -> patientIds.addAll(patientIds(value));
                    case "_lastUpdated" -> lastUpdated.add(LastUpdatedBound.parse(value));
                    case "_count" -> count = Math.min(count(value), properties.maxCount());
                    case "_summary" -> summaryCount = summaryCount || summary(value);
                    case "_format" -> requireJson(value);
                    default -> throw unknown(name);
                }
            }
        }
        return new SearchQuery(type, List.copyOf(patientIds), List.copyOf(lastUpdated), count, summaryCount);
    }

    private static List<String> patientIds(String value) {
        List<String> ids = new ArrayList<>();
        for (String reference : value.split(",", -1)) {
            var matcher = PATIENT.matcher(reference.trim());
            if (!matcher.matches()) {
                throw new StoreRejection(StoreProblem.INVALID_SEARCH_VALUE, "patient");
            }
            ids.add(matcher.group(1));
        }
        return ids;
    }

    private static int count(String value) {
        try {
            int count = Integer.parseInt(value.trim());
            if (count >= 0) {
                return count;
            }
        } catch (NumberFormatException e) {
            // falls through to the rejection below
        }
        throw new StoreRejection(StoreProblem.INVALID_SEARCH_VALUE, "_count");
    }

    /** Only {@code count} (and the no-op {@code false}) are supported; the other summaries need element filtering. */
    private static boolean summary(String value) {
        return switch (value) {
            case "count" -> true;
            case "false" -> false;
            default -> throw new StoreRejection(StoreProblem.INVALID_SEARCH_VALUE, "_summary");
        };
    }

    private static void requireJson(String value) {
        if (!JSON_FORMATS.contains(value.replace(' ', '+'))) {
            throw new StoreRejection(StoreProblem.INVALID_SEARCH_VALUE, "_format");
        }
    }

    /** The same search limited to {@code ids}, for a caller whose grant reaches only those patients. */
    public SearchQuery forPatients(List<String> ids) {
        return new SearchQuery(type, List.copyOf(ids), lastUpdated, count, summaryCount);
    }

    /** The parameter name is the location; a name that is not a plausible parameter is not echoed back. */
    private static StoreRejection unknown(String name) {
        String location = PARAMETER_NAME.matcher(name).matches() ? name : "query";
        return new StoreRejection(StoreProblem.UNKNOWN_SEARCH_PARAMETER, location);
    }
}
