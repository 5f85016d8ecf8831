package org.clinicalfunctions.auth;

/** The SMART on FHIR v2 interactions a scope can grant: create, read, update, delete, search ({@code cruds}). */
public enum Interaction {
    CREATE('c'),
    READ('r'),
    UPDATE('u'),
    DELETE('d'),
    SEARCH('s');

    private final char letter;

    Interaction(char letter) {
        this.letter = letter;
    }

    /** The letter of this interaction in a v2 scope, e.g. {@code c} in {@code patient/Appointment.cruds}. */
    public char letter() {
        return letter;
    }
}
