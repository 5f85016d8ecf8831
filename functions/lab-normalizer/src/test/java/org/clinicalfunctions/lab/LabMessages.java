package org.clinicalfunctions.lab;

/** Small ORU^R01 messages written for the tests; every person and number in them is invented. */
final class LabMessages {

    static final String MSH = "MSH|^~\\&|LAB|ACME|EHR|CLINIC|20240305101500+0100||ORU^R01|CTRL1|P|2.5.1";
    static final String PID = "PID|1||MRN1^^^HOSP^MR||Doe^Jane||19800102|F";
    static final String OBR = "OBR|1|PL1^EHR|FL1^LAB|2345-7^Glucose^LN|||20240305093000+0100||||||||||||||||||F";

    private LabMessages() {
    }

    /** MSH, PID and one OBR followed by the given segments, CR-terminated. */
    static String withObservations(String... segments) {
        return join(MSH, PID, OBR) + join(segments);
    }

    /** The segments CR-terminated, as HL7 wants them. */
    static String join(String... segments) {
        StringBuilder text = new StringBuilder();
        for (String segment : segments) {
            text.append(segment).append('\r');
        }
        return text.toString();
    }
}
