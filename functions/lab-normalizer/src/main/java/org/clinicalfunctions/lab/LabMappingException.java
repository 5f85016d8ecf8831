package org.clinicalfunctions.lab;

/**
 * An ORU^R01 that can never be mapped as sent. The code is stable ({@code LAB-2xx}) and the location names a segment
 * and field ({@code OBX[2]-5}), never a value, so the message is safe to log and to return to the sender.
 */
public class LabMappingException extends Exception {

    private final String code;
    private final String location;

    /**
     * @param code stable error code, e.g. {@code LAB-210}
     * @param location HL7 location, e.g. {@code OBX[2]-5}; the segment index counts that segment in the message
     * @param message what rule was broken, without any field value
     */
    public LabMappingException(String code, String location, String message) {
        super(message);
        this.code = code;
        this.location = location;
    }

    public String code() {
        return code;
    }

    public String location() {
        return location;
    }

    /** Code, location and rule in one line: what an OperationOutcome's diagnostics carries. */
    public String diagnostics() {
        return code + " " + location + ": " + getMessage();
    }
}
