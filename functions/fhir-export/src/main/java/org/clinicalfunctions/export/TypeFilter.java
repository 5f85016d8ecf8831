package org.clinicalfunctions.export;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.rest.api.RestSearchParameterTypeEnum;
import ca.uhn.fhir.util.FhirTerser;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Reference;

/**
 * One {@code _typeFilter} query, {@code Type?param=value&...}: its parameters are AND-ed, the comma-separated
 * values of one parameter OR-ed (FHIR search). Token and reference parameters of the R4 search parameter registry
 * and {@code _id} are supported, on the simple element paths of their definition; anything else is refused so a
 * client never gets more than it asked for without knowing.
 */
public final class TypeFilter {

    private static final Pattern SIMPLE_PATH = Pattern.compile("[A-Za-z]+(\\.[A-Za-z]+)+");

    private final String query;
    private final String resourceType;
    private final List<Condition> conditions;

    private TypeFilter(String query, String resourceType, List<Condition> conditions) {
        this.query = query;
        this.resourceType = resourceType;
        this.conditions = conditions;
    }

    /** The query as the client sent it, {@code Type?param=value}, kept with the job so a worker can re-parse it. */
    public String query() {
        return query;
    }

    public String resourceType() {
        return resourceType;
    }

    /** Parses {@code Type?query}; throws an {@link ExportRejection} naming {@code _typeFilter}. */
    public static TypeFilter parse(FhirContext fhir, String filter) {
        int question = filter.indexOf('?');
        if (question <= 0 || question == filter.length() - 1) {
            throw unsupported();
        }
        String type = filter.substring(0, question);
        if (!fhir.getResourceTypes().contains(type)) {
            throw new ExportRejection(400, ExportProblem.TYPE_UNKNOWN, "_typeFilter");
        }
        RuntimeResourceDefinition definition = fhir.getResourceDefinition(type);
        List<Condition> conditions = new ArrayList<>();
        for (String pair : filter.substring(question + 1).split("&")) {
            conditions.add(condition(definition, pair));
        }
        return new TypeFilter(filter, type, conditions);
    }

    /** True when the resource meets every condition of this query. */
    public boolean matches(FhirTerser terser, IBaseResource resource) {
        for (Condition condition : conditions) {
            if (!condition.matches(terser, resource)) {
                return false;
            }
        }
        return true;
    }

    private static Condition condition(RuntimeResourceDefinition definition, String pair) {
        int equals = pair.indexOf('=');
        if (equals <= 0) {
            throw unsupported();
        }
        String name = pair.substring(0, equals);
        List<String> values = Arrays.stream(pair.substring(equals + 1).split(","))
                .map(v -> URLDecoder.decode(v.replace("+", "%2B"), StandardCharsets.UTF_8))
                .toList();
        if (values.stream().anyMatch(String::isEmpty)) {
            throw unsupported();
        }
        if ("_id".equals(name)) {
            return new Condition(RestSearchParameterTypeEnum.TOKEN, List.of("id"), values, true);
        }
        RuntimeSearchParam param = definition.getSearchParam(name);
        if (param == null || (param.getParamType() != RestSearchParameterTypeEnum.TOKEN
                && param.getParamType() != RestSearchParameterTypeEnum.REFERENCE)) {
            throw unsupported();
        }
        List<String> paths = Arrays.stream(param.getPath().split("\\|"))
                .map(String::trim)
                .filter(p -> p.startsWith(definition.getName() + ".") && SIMPLE_PATH.matcher(p).matches())
                .map(p -> p.substring(definition.getName().length() + 1))
                .toList();
        if (paths.isEmpty()) {
            throw unsupported();
        }
        return new Condition(param.getParamType(), paths, values, false);
    }

    private static ExportRejection unsupported() {
        return new ExportRejection(400, ExportProblem.TYPE_FILTER_UNSUPPORTED, "_typeFilter");
    }

    /** One search parameter with its OR-ed values. */
    private record Condition(RestSearchParameterTypeEnum type, List<String> paths, List<String> values,
            boolean idParam) {

        boolean matches(FhirTerser terser, IBaseResource resource) {
            if (idParam) {
                return values.contains(resource.getIdElement().getIdPart());
            }
            for (String path : paths) {
                for (IBase element : terser.getValues(resource, resource.fhirType() + "." + path)) {
                    if (values.stream().anyMatch(v -> matchesValue(element, v))) {
                        return true;
                    }
                }
            }
            return false;
        }

        private boolean matchesValue(IBase element, String value) {
            if (type == RestSearchParameterTypeEnum.REFERENCE) {
                return element instanceof Reference reference && referenceMatches(reference.getReference(), value);
            }
            return tokenMatches(element, value);
        }

        private static boolean referenceMatches(String reference, String value) {
            if (reference == null) {
                return false;
            }
            return reference.equals(value) || reference.endsWith("/" + value);
        }

        private static boolean tokenMatches(IBase element, String value) {
            if (element instanceof CodeableConcept concept) {
                return concept.getCoding().stream().anyMatch(c -> codeMatches(c.getSystem(), c.getCode(), value));
            }
            if (element instanceof Coding coding) {
                return codeMatches(coding.getSystem(), coding.getCode(), value);
            }
            if (element instanceof Identifier identifier) {
                return codeMatches(identifier.getSystem(), identifier.getValue(), value);
            }
            if (element instanceof PrimitiveType<?> primitive) {
                return codeMatches(null, primitive.getValueAsString(), value);
            }
            return false;
        }

        /** FHIR token forms: {@code code}, {@code system|code}, {@code |code} (no system), {@code system|}. */
        private static boolean codeMatches(String system, String code, String value) {
            int bar = value.indexOf('|');
            if (bar < 0) {
                return value.equals(code);
            }
            String wantedSystem = value.substring(0, bar);
            String wantedCode = value.substring(bar + 1);
            boolean systemOk = wantedSystem.isEmpty() ? system == null : wantedSystem.equals(system);
            return systemOk && (wantedCode.isEmpty() || wantedCode.equals(code));
        }
    }
}
