package org.clinicalfunctions.lab;

import ca.uhn.hl7v2.model.AbstractComposite;
import ca.uhn.hl7v2.model.AbstractPrimitive;
import ca.uhn.hl7v2.model.Composite;
import ca.uhn.hl7v2.model.Primitive;
import ca.uhn.hl7v2.model.Type;
import ca.uhn.hl7v2.model.Varies;

/**
 * Reads values from HAPI's v2 model without caring whether a field arrived as a primitive, a composite or the
 * {@code Varies} of OBX-5: senders put composites where the standard has primitives and the other way round.
 */
final class V2Fields {

    private V2Fields() {
    }

    /** The text of a field or component: its first primitive, trimmed; empty when absent. */
    static String text(Type type) {
        Type first = type;
        while (true) {
            // The abstract classes first: HAPI's types extend one of them, and a class test is a single compare
            // where an interface test looks through the type's interfaces. This runs for every value read.
            if (first instanceof AbstractPrimitive primitive) {
                return trimmed(primitive.getValue());
            } else if (first instanceof AbstractComposite composite) {
                first = firstOf(composite.getComponents());
            } else if (first instanceof Varies varies) {
                first = varies.getData();
            } else if (first instanceof Composite composite) {
                first = firstOf(composite.getComponents());
            } else if (first instanceof Primitive primitive) {
                return trimmed(primitive.getValue());
            } else {
                return "";
            }
        }
    }

    private static Type firstOf(Type[] parts) {
        return parts.length == 0 ? null : parts[0];
    }

    private static String trimmed(String value) {
        return value == null ? "" : value.trim();
    }

    /** Component {@code number} (1-based) of a field; a primitive is its own first component; null when absent. */
    static Type component(Type type, int number) {
        Type unwrapped = type instanceof Varies varies ? varies.getData() : type;
        Type[] parts = unwrapped instanceof AbstractComposite composite ? composite.getComponents()
                : unwrapped instanceof Composite composite ? composite.getComponents() : null;
        if (parts != null) {
            return number <= parts.length ? parts[number - 1] : null;
        }
        return number == 1 ? unwrapped : null;
    }

    /** The text of component {@code number} (1-based). */
    static String text(Type type, int number) {
        return text(component(type, number));
    }

    /** The text of sub-component {@code sub} of component {@code number}. */
    static String text(Type type, int number, int sub) {
        return text(component(component(type, number), sub));
    }

    /** The primitive value of a field exactly as sent (after unescaping), untrimmed; empty when absent. */
    static String raw(Type type) {
        Type unwrapped = type instanceof Varies varies ? varies.getData() : type;
        if (unwrapped instanceof Primitive primitive) {
            return primitive.getValue() == null ? "" : primitive.getValue();
        }
        Type first = component(unwrapped, 1);
        return first == null || first == unwrapped ? "" : raw(first);
    }
}
