package org.clinicalfunctions.hl7;

/**
 * An HL7 v2 message that can never be processed as sent. The message text names the rule and the location
 * ({@code MSH-10}), never a field value, so it is safe to log and to return to the sender.
 */
public class Hl7FormatException extends Exception {

    private final String errorCode;
    private final String location;

    /**
     * @param errorCode HL7 table 0357 message error condition code, e.g. {@code 101} required field missing
     * @param location segment and field, e.g. {@code MSH-10}; empty when the message as a whole is at fault
     */
    public Hl7FormatException(String errorCode, String location, String message) {
        super(message);
        this.errorCode = errorCode;
        this.location = location;
    }

    public String errorCode() {
        return errorCode;
    }

    public String location() {
        return location;
    }
}
