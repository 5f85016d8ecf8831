package org.clinicalfunctions.export;

/**
 * A committed file part.
 *
 * @param kind {@code output} or {@code error}
 */
public record ExportFile(String kind, String resourceType, int part, String fileName, long lineCount) {

    public static final String OUTPUT = "output";
    public static final String ERROR = "error";
}
