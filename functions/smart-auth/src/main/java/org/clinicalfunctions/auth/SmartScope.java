package org.clinicalfunctions.auth;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * One SMART on FHIR clinical scope, such as {@code patient/Appointment.cruds} (v2) or {@code user/Slot.read} (v1).
 *
 * <p>Entra ID does not allow {@code /} in delegated scope names, so the form Azure Health Data Services uses,
 * {@code patient.Appointment.rs}, is read the same way. Scopes with v2 search constraints
 * ({@code ?category=...}) are not understood here and grant nothing, which errs on the side of refusing.
 *
 * @param context {@code patient}, {@code user} or {@code system}
 * @param resourceType a FHIR resource type, or {@code *} for all
 * @param interactions what the scope allows
 */
public record SmartScope(String context, String resourceType, Set<Interaction> interactions) {

    private static final Set<String> CONTEXTS = Set.of("patient", "user", "system");

    public SmartScope {
        interactions = Set.copyOf(interactions);
    }

    /** Reads one scope string; empty when it is not a clinical scope this library understands. */
    public static Optional<SmartScope> parse(String scope) {
        if (scope == null || scope.contains("?")) {
            return Optional.empty();
        }
        int contextEnd = firstSeparator(scope);
        int permissionStart = scope.lastIndexOf('.');
        if (contextEnd < 0 || permissionStart <= contextEnd) {
            return Optional.empty();
        }
        String context = scope.substring(0, contextEnd);
        String resourceType = scope.substring(contextEnd + 1, permissionStart);
        if (!CONTEXTS.contains(context) || !isResourceType(resourceType)) {
            return Optional.empty();
        }
        return interactions(scope.substring(permissionStart + 1))
                .map(granted -> new SmartScope(context, resourceType, granted));
    }

    /** Whether this scope allows {@code interaction} on {@code type}. */
    public boolean allows(String type, Interaction interaction) {
        return ("*".equals(resourceType) || resourceType.equals(type)) && interactions.contains(interaction);
    }

    /** Whether the patient in context limits what this scope reaches. */
    public boolean isPatientScope() {
        return "patient".equals(context);
    }

    private static int firstSeparator(String scope) {
        int slash = scope.indexOf('/');
        return slash >= 0 ? slash : scope.indexOf('.');
    }

    private static boolean isResourceType(String type) {
        return "*".equals(type) || type.matches("[A-Z][A-Za-z]{1,63}");
    }

    private static Optional<Set<Interaction>> interactions(String permission) {
        switch (permission) {
            case "read":
                return Optional.of(EnumSet.of(Interaction.READ, Interaction.SEARCH));
            case "write":
                return Optional.of(EnumSet.of(Interaction.CREATE, Interaction.UPDATE, Interaction.DELETE));
            case "*":
                return Optional.of(EnumSet.allOf(Interaction.class));
            default:
                return v2Interactions(permission);
        }
    }

    /** SMART v2 letters must appear in the order c, r, u, d, s, each at most once. */
    private static Optional<Set<Interaction>> v2Interactions(String letters) {
        if (letters.isEmpty()) {
            return Optional.empty();
        }
        Set<Interaction> granted = EnumSet.noneOf(Interaction.class);
        int next = 0;
        Interaction[] order = Interaction.values();
        for (char letter : letters.toCharArray()) {
            while (next < order.length && order[next].letter() != letter) {
                next++;
            }
            if (next == order.length) {
                return Optional.empty();
            }
            granted.add(order[next++]);
        }
        return Optional.of(granted);
    }
}
