package org.clinicalfunctions.export;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Type;
import org.springframework.stereotype.Component;

/**
 * Turns a GET query or a POST {@code Parameters} body into an {@link ExportRequest}, with the checks of the Bulk
 * Data IG v2.0.0. Under {@code Prefer: handling=lenient} an unsupported parameter or type is skipped and noted
 * instead of refused.
 */
@Component
public class KickoffParser {

    /** FHIR {@code instant}: seconds and a zone are required, fractions optional. */
    private static final Pattern INSTANT =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})");
    /** A comma that starts the next sub-query of a comma-joined {@code _typeFilter} (IG v2 K04). */
    private static final Pattern FILTER_SEPARATOR = Pattern.compile(",(?=[A-Z][A-Za-z]+\\?)");
    private static final Set<String> FORMATS = Set.of("application/fhir+ndjson", "application/ndjson", "ndjson");
    private static final Set<String> KNOWN =
            Set.of("_outputFormat", "_since", "_type", "_typeFilter", "_elements", "patient");

    private final FhirContext fhir;

    public KickoffParser(FhirContext fhir) {
        this.fhir = fhir;
    }

    /**
     * Parses a raw query string. A {@code +} is taken literally, never as a space: {@code _since} offsets such as
     * {@code +05:30} arrive both encoded and unencoded.
     */
    public ExportRequest fromQuery(ExportLevel level, String groupId, String rawQuery, boolean lenient) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                int equals = pair.indexOf('=');
                String name = decode(equals < 0 ? pair : pair.substring(0, equals));
                String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
                params.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            }
        }
        if (params.containsKey("patient")) {
            throw new ExportRejection(400, ExportProblem.PATIENT_NOT_ALLOWED, "patient");
        }
        return build(level, groupId, params, List.of(), lenient);
    }

    /** Parses a FHIR {@code Parameters} resource in JSON. */
    public ExportRequest fromParameters(ExportLevel level, String groupId, String body, boolean lenient) {
        Parameters parameters = parseParameters(body);
        Map<String, List<String>> params = new LinkedHashMap<>();
        List<String> patients = new ArrayList<>();
        for (ParametersParameterComponent parameter : parameters.getParameter()) {
            String name = parameter.getName();
            Type value = parameter.getValue();
            if ("patient".equals(name)) {
                patients.add(patientId(value));
            } else {
                String text = value == null || !value.isPrimitive() ? "" : value.primitiveValue();
                params.computeIfAbsent(name, n -> new ArrayList<>()).add(text == null ? "" : text);
            }
        }
        if (!patients.isEmpty() && level == ExportLevel.SYSTEM) {
            throw new ExportRejection(400, ExportProblem.PATIENT_NOT_ALLOWED, "Parameters.parameter[patient]");
        }
        return build(level, groupId, params, patients, lenient);
    }

    private ExportRequest build(ExportLevel level, String groupId, Map<String, List<String>> params,
            List<String> patients, boolean lenient) {
        List<ExportRejection> skipped = new ArrayList<>();
        for (String name : params.keySet()) {
            if (!KNOWN.contains(name)) {
                skipOrRefuse(lenient, skipped, 400, ExportProblem.PARAMETER_UNSUPPORTED, name);
            }
        }
        for (String format : params.getOrDefault("_outputFormat", List.of())) {
            if (!FORMATS.contains(format)) {
                throw new ExportRejection(400, ExportProblem.OUTPUT_FORMAT_UNSUPPORTED, "_outputFormat");
            }
        }
        Instant since = since(params.get("_since"));
        List<String> types = types(level, params.get("_type"), lenient, skipped);
        Map<String, List<TypeFilter>> filters = filters(params.get("_typeFilter"), lenient, skipped);
        Map<String, List<String>> elements = elements(params.get("_elements"), lenient, skipped);
        return new ExportRequest(level, groupId, types, since, filters, elements, List.copyOf(patients), skipped);
    }

    /** {@code _elements}: {@code Type.element} or {@code element}, top-level elements only (IG P08). */
    private Map<String, List<String>> elements(List<String> values, boolean lenient, List<ExportRejection> skipped) {
        Map<String, List<String>> elements = new LinkedHashMap<>();
        for (String value : values == null ? List.<String>of() : values) {
            for (String entry : value.split(",")) {
                String name = entry.trim();
                int dot = name.indexOf('.');
                String type = dot < 0 ? ElementSubset.ANY_TYPE : name.substring(0, dot);
                String element = name.substring(dot + 1);
                boolean known = dot < 0
                        ? fhir.getResourceTypes().stream().anyMatch(t -> ElementSubset.isTopLevel(fhir, t, element))
                        : fhir.getResourceTypes().contains(type) && ElementSubset.isTopLevel(fhir, type, element);
                if (known) {
                    elements.computeIfAbsent(type, t -> new ArrayList<>()).add(element);
                } else if (!name.isEmpty()) {
                    skipOrRefuse(lenient, skipped, 400, ExportProblem.ELEMENT_UNSUPPORTED, "_elements");
                }
            }
        }
        return elements;
    }

    private static Instant since(List<String> values) {
        if (values == null || values.isEmpty()) {
            return null;
        }
        String value = values.get(values.size() - 1);
        if (values.size() > 1 || !INSTANT.matcher(value).matches()) {
            throw new ExportRejection(400, ExportProblem.SINCE_INVALID, "_since");
        }
        return OffsetDateTime.parse(value).toInstant();
    }

    private List<String> types(ExportLevel level, List<String> values, boolean lenient,
            List<ExportRejection> skipped) {
        if (values == null) {
            return null;
        }
        Set<String> types = new LinkedHashSet<>();
        for (String value : values) {
            for (String type : value.split(",")) {
                String name = type.trim();
                if (!fhir.getResourceTypes().contains(name)) {
                    skipOrRefuse(lenient, skipped, 400, ExportProblem.TYPE_UNKNOWN, "_type");
                } else if (level != ExportLevel.SYSTEM && !PatientCompartment.contains(fhir, name)) {
                    skipOrRefuse(lenient, skipped, 400, ExportProblem.TYPE_NOT_IN_COMPARTMENT, "_type");
                } else {
                    types.add(name);
                }
            }
        }
        if (types.isEmpty()) {
            throw new ExportRejection(400, ExportProblem.TYPE_UNKNOWN, "_type");
        }
        return List.copyOf(types);
    }

    private Map<String, List<TypeFilter>> filters(List<String> values, boolean lenient,
            List<ExportRejection> skipped) {
        Map<String, List<TypeFilter>> filters = new LinkedHashMap<>();
        if (values == null) {
            return filters;
        }
        for (String value : values) {
            for (String query : FILTER_SEPARATOR.split(value)) {
                try {
                    TypeFilter filter = TypeFilter.parse(fhir, query);
                    filters.computeIfAbsent(filter.resourceType(), t -> new ArrayList<>()).add(filter);
                } catch (ExportRejection e) {
                    skipOrRefuse(lenient, skipped, e.status(), e.problem(), e.location());
                }
            }
        }
        return filters;
    }

    private static void skipOrRefuse(boolean lenient, List<ExportRejection> skipped, int status, ExportProblem problem,
            String location) {
        if (!lenient) {
            throw new ExportRejection(status, problem, location);
        }
        skipped.add(new ExportRejection(status, problem, location));
    }

    private Parameters parseParameters(String body) {
        try {
            if (fhir.newJsonParser().parseResource(body) instanceof Parameters parameters) {
                return parameters;
            }
        } catch (DataFormatException | IllegalArgumentException e) {
            throw new ExportRejection(400, ExportProblem.BODY_INVALID, "Parameters");
        }
        throw new ExportRejection(400, ExportProblem.BODY_INVALID, "Parameters");
    }

    private static String patientId(Type value) {
        if (value instanceof Reference reference && reference.getReferenceElement().hasIdPart()
                && "Patient".equals(reference.getReferenceElement().getResourceType())) {
            return reference.getReferenceElement().getIdPart();
        }
        throw new ExportRejection(400, ExportProblem.PATIENT_UNKNOWN, "Parameters.parameter[patient].valueReference");
    }

    private static String decode(String raw) {
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
