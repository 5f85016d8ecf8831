package org.clinicalfunctions.booking;

/**
 * A stored slot written as the FHIR JSON callers see, with the instants it holds as written (offset included), for
 * the booking path, which needs no FHIR model of the slot.
 *
 * @param start the slot's {@code start} as its JSON text, or {@code null} when it has none
 * @param end the slot's {@code end} as its JSON text, or {@code null}
 */
record SlotJson(String id, String start, String end, String text) {
}
