package org.clinicalfunctions.local.broker;

/** A Broker or Trigger manifest the Knative webhook would reject; names the file and the field. */
public class ManifestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String file;
    private final String field;

    public ManifestException(String file, String field, String problem) {
        super(file + ": " + field + ": " + problem);
        this.file = file;
        this.field = field;
    }

    public String file() {
        return file;
    }

    public String field() {
        return field;
    }
}
